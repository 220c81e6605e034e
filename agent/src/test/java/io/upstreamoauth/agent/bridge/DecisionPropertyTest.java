package io.upstreamoauth.agent.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import io.upstreamoauth.agent.cache.MemoryTokenCache;
import io.upstreamoauth.agent.config.AgentConfig;
import io.upstreamoauth.agent.config.CacheSettings;
import io.upstreamoauth.agent.config.CacheStrategy;
import io.upstreamoauth.agent.config.ConfigLoader;
import io.upstreamoauth.agent.config.ProfileConfig;
import io.upstreamoauth.agent.config.RetrySettings;
import io.upstreamoauth.agent.oauth.TokenResponse;
import io.upstreamoauth.agent.token.TokenManager;
import io.upstreamoauth.agent.token.TokenPolicy;
import io.upstreamoauth.agent.util.AgentLog;
import io.upstreamoauth.agent.util.FakeClock;
import io.upstreamoauth.bootstrap.Decision;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A randomised check of the decision core's one promise: no value a profile issued is ever on a
 * request whose target that profile does not serve, as any server would read the target.
 *
 * <p>Each trial makes a random set of profiles (header names that collide or differ in case, host
 * patterns with wildcards, ports, schemes and path prefixes) and walks random redirect chains
 * through a client that keeps every header from hop to hop (the worst case: HttpURLConnection
 * keeps all but Authorization), applying each hop's decision as the advice does. After every hop
 * each header value issued by a profile is checked against an oracle written independently of
 * the agent's matcher. The application's own header values must survive every hop the agent
 * does not set their name on. Seeds are fixed: a failure names its seed and replays.
 */
class DecisionPropertyTest {

  private static final int TRIALS = 300;
  private static final int HOPS = 8;
  private static final String[] HEADER_NAMES = {"Authorization", "X-Api-Token", "x-api-token", "X-Other"};
  private static final String[] HOSTS = {"api.example.com", "b.example.com", "c.b.example.com", "example.com", "other.org"};
  private static final String[] PATTERN_HOSTS = {"api.example.com", "b.example.com", "*.example.com", "*.b.example.com"};
  private static final String[] PREFIXES = {"", "/api", "/api/v1", "/b"};
  private static final String[] SEGMENTS = {
    "api", "API", "v1", "b", "admin", ".", "..", "%2e", "%2E%2e", ".%2e", "..;x", "a;p=1", "%2f", "..%2f", "x%5c..", "",
    "%61pi", "file.json", "..x"
  };
  private static final String APP_VALUE = "Basic YXBwOmFwcA==";

  private final FakeClock clock = new FakeClock();
  private final AtomicInteger crossNameHops = new AtomicInteger();
  private final AtomicInteger servedHops = new AtomicInteger();

  @BeforeEach
  void quietLog() {
    AgentLog.setOutput(new PrintStream(OutputStream.nullOutputStream()));
  }

  @AfterEach
  void restoreLog() {
    AgentLog.setOutput(System.err);
  }

  @Test
  void randomProfilesAndRedirectChains_noIssuedValueOnATargetItsProfileDoesNotServe() throws Exception {
    for (int trial = 0; trial < TRIALS; trial++) {
      long seed = 0x5eed0000L + trial;
      runTrial(seed);
    }
    // the generator must reach the cases that matter, or the test proves nothing
    assertThat(servedHops.get()).as("hops that got a token").isGreaterThan(TRIALS * 5);
    assertThat(crossNameHops.get()).as("hops carrying another profile's header name").isGreaterThan(TRIALS / 4);
  }

  private void runTrial(long seed) throws Exception {
    // scrambled: java.util.Random's first values barely differ between consecutive seeds
    Random random = new Random(seed * 0x9E3779B97F4A7C15L);
    int profileCount = 1 + random.nextInt(4);
    Map<String, String> properties = new HashMap<>();
    StringBuilder names = new StringBuilder();
    for (int p = 0; p < profileCount; p++) {
      String profile = "p" + p;
      names.append(p == 0 ? "" : ",").append(profile);
      StringBuilder hosts = new StringBuilder();
      int entries = 1 + random.nextInt(3);
      for (int e = 0; e < entries; e++) {
        hosts.append(e == 0 ? "" : ",").append(randomPattern(random));
      }
      properties.put("upstream.oauth." + profile + ".hosts", hosts.toString());
      properties.put("upstream.oauth." + profile + ".header-name", HEADER_NAMES[random.nextInt(HEADER_NAMES.length)]);
      properties.put("upstream.oauth." + profile + ".client-id", "client-" + p);
    }
    properties.put("upstream.oauth.profiles", names.toString());
    properties.put("upstream.oauth.token-endpoint", "https://idp.example/token");
    properties.put("upstream.oauth.client-secret", "s");
    AgentConfig config;
    try {
      config = ConfigLoader.load(properties, Map.of(), null);
    } catch (io.upstreamoauth.agent.config.ConfigException e) {
      return; // e.g. one entry in two profiles: the agent would not start
    }

    // every profile its own manager and unique tokens, so each value names its profile
    Map<ProfileConfig, TokenManager> served = new LinkedHashMap<>();
    Map<String, ProfileConfig> issuer = new HashMap<>();
    AtomicInteger counter = new AtomicInteger();
    MemoryTokenCache cache = new MemoryTokenCache(clock);
    for (ProfileConfig profile : config.profiles()) {
      TokenPolicy policy =
          new TokenPolicy(new CacheSettings(CacheStrategy.MEMORY, 0, 3600, false, 0.2), new RetrySettings(1, 1, 1));
      TokenManager manager =
          new TokenManager(
              profile.name(),
              profile.name(),
              () -> {
                String token = "tok-" + counter.incrementAndGet() + "-" + profile.name();
                issuer.put("Bearer " + token, profile);
                return new TokenResponse(token, "Bearer", 3600, TokenResponse.UNKNOWN);
              },
              cache,
              policy,
              clock,
              Runnable::run,
              1000);
      served.put(profile, manager);
    }
    AgentBridge bridge = new AgentBridge(served);

    for (int chain = 0; chain < 5; chain++) {
      Map<String, String> request = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
      if (random.nextBoolean()) {
        request.put("Authorization", APP_VALUE);
      }
      for (int hop = 0; hop < HOPS; hop++) {
        Target target = random.nextInt(10) < 7 ? targetNear(random, config.profiles()) : randomTarget(random);
        Decision decision = bridge.decide(target.scheme, target.host, target.port, target.path, "GET", true);
        boolean appValueBefore = APP_VALUE.equals(request.get("Authorization"));
        if (decision.action() == Decision.SEND) {
          for (Map.Entry<String, String> header : request.entrySet()) {
            if (issuer.containsKey(header.getValue()) && !setsName(decision, header.getKey())) {
              crossNameHops.incrementAndGet(); // the case the cross-profile leak needed
            }
          }
        }        apply(decision, request);
        if (decision.action() == Decision.SEND) {
          servedHops.incrementAndGet();
        }
        String where = "seed " + seed + ", chain " + chain + ", hop " + hop + ": " + target + " with " + properties;
        for (Map.Entry<String, String> header : request.entrySet()) {
          ProfileConfig from = issuer.get(header.getValue());
          if (from != null) {
            assertThat(servesSurely(from, target))
                .as("%s carries %s's value under %s", where, from.name(), header.getKey())
                .isTrue();
            assertThat(header.getKey()).as(where).isEqualToIgnoringCase(from.headerName());
          }
        }
        if (appValueBefore && !setsName(decision, "Authorization")) {
          assertThat(request.get("Authorization")).as("the app's own value, %s", where).isEqualTo(APP_VALUE);
        }
      }
    }
  }

  /** Applies a decision to a header map as advice does. */
  private static void apply(Decision decision, Map<String, String> request) {
    for (int i = 0; i < decision.size(); i++) {
      String name = decision.name(i);
      if (decision.value(i) != null) {
        request.put(name, decision.value(i));
      } else if (decision.removes(i, request.get(name))) {
        request.remove(name);
      }
    }
  }

  private static boolean setsName(Decision decision, String name) {
    for (int i = 0; i < decision.size(); i++) {
      if (decision.name(i).equalsIgnoreCase(name) && decision.value(i) != null) {
        return true;
      }
    }
    return false;
  }

  private static String randomPattern(Random random) {
    String scheme = random.nextInt(3) == 0 ? (random.nextBoolean() ? "https://" : "http://") : "";
    String host = PATTERN_HOSTS[random.nextInt(PATTERN_HOSTS.length)];
    String port = random.nextInt(3) == 0 ? (random.nextBoolean() ? ":443" : ":8080") : "";
    String prefix = PREFIXES[random.nextInt(PREFIXES.length)];
    return scheme + host + port + prefix;
  }

  /** Returns a target derived from one of the profiles' entries: served, or just outside. */
  private static Target targetNear(Random random, List<ProfileConfig> profiles) {
    ProfileConfig profile = profiles.get(random.nextInt(profiles.size()));
    String entry = profile.hosts().get(random.nextInt(profile.hosts().size())).canonical();
    String scheme = random.nextBoolean() ? "https" : "http";
    if (entry.contains("://")) {
      scheme = entry.substring(0, entry.indexOf("://"));
      entry = entry.substring(entry.indexOf("://") + 3);
    }
    String prefix = entry.contains("/") ? entry.substring(entry.indexOf('/')) : "";
    String hostPort = entry.contains("/") ? entry.substring(0, entry.indexOf('/')) : entry;
    int port = -1;
    if (hostPort.contains(":")) {
      port = Integer.parseInt(hostPort.substring(hostPort.indexOf(':') + 1));
      hostPort = hostPort.substring(0, hostPort.indexOf(':'));
      if (port == (scheme.equals("https") ? 443 : 80) && random.nextBoolean()) {
        port = -1;
      }
    }
    String host = hostPort.startsWith("*.") ? (random.nextBoolean() ? "x" : "c.b") + hostPort.substring(1) : hostPort;
    host = random.nextInt(4) == 0 ? lookalike(host, random) : host;
    StringBuilder path = new StringBuilder(prefix);
    int segments = random.nextInt(4);
    for (int i = 0; i < segments; i++) {
      path.append(random.nextInt(8) == 0 ? "\\" : "/").append(SEGMENTS[random.nextInt(SEGMENTS.length)]);
    }
    return new Target(scheme, host, port, path.toString());
  }

  /** Returns the host with letters that Unicode case folding, not ASCII, makes equal to i, k or s. */
  private static String lookalike(String host, Random random) {
    switch (random.nextInt(3)) {
      case 0:
        return host.replace('i', '\u0131'); // dotless i
      case 1:
        return host.replace('k', '\u212a'); // Kelvin sign
      default:
        return host.replace('s', '\u017f'); // long s
    }
  }

  private static Target randomTarget(Random random) {
    String scheme = random.nextBoolean() ? "https" : "http";
    String host = HOSTS[random.nextInt(HOSTS.length)];
    switch (random.nextInt(6)) {
      case 0:
        host = host.toUpperCase(Locale.ROOT);
        break;
      case 1:
        host = host + ".";
        break;
      case 2:
        host = lookalike(host, random);
        break;
      default:
        break;
    }
    int[] ports = {-1, 443, 8080, 80};
    int port = ports[random.nextInt(ports.length)];
    StringBuilder path = new StringBuilder();
    int segments = random.nextInt(5);
    for (int i = 0; i < segments; i++) {
      path.append(random.nextInt(8) == 0 ? "\\" : "/").append(SEGMENTS[random.nextInt(SEGMENTS.length)]);
    }
    if (random.nextInt(4) == 0) {
      path.append("?next=/api/x");
    }
    return new Target(scheme, host, port, path.toString());
  }

  // ---- the oracle: written apart from the agent's matcher

  /** Returns true when every server reading of the target falls under one of the profile's entries. */
  private static boolean servesSurely(ProfileConfig profile, Target target) {
    for (io.upstreamoauth.agent.config.HostPattern pattern : profile.hosts()) {
      String text = pattern.canonical();
      if (entryMatchesUnderEveryReading(text, target)) {
        return true;
      }
    }
    return false;
  }

  private static boolean entryMatchesUnderEveryReading(String entry, Target target) {
    String rest = entry;
    String scheme = null;
    if (rest.contains("://")) {
      scheme = rest.substring(0, rest.indexOf("://"));
      rest = rest.substring(rest.indexOf("://") + 3);
    }
    String prefix = rest.contains("/") ? rest.substring(rest.indexOf('/')) : "";
    String hostPort = rest.contains("/") ? rest.substring(0, rest.indexOf('/')) : rest;
    int port = -1;
    String host = hostPort;
    if (hostPort.contains(":")) {
      host = hostPort.substring(0, hostPort.indexOf(':'));
      port = Integer.parseInt(hostPort.substring(hostPort.indexOf(':') + 1));
    }
    if (scheme != null && !scheme.equals(target.scheme)) {
      return false;
    }
    String targetHost = target.host.endsWith(".") ? target.host.substring(0, target.host.length() - 1) : target.host;
    // an internationalised name is the host its punycode names: a wildcard may cover it, an
    // ASCII name never equals it
    targetHost = java.net.IDN.toASCII(targetHost, java.net.IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
    boolean hostOk =
        host.startsWith("*.")
            ? targetHost.endsWith(host.substring(1)) && targetHost.length() > host.length() - 1
            : targetHost.equals(host);
    if (!hostOk) {
      return false;
    }
    int effective = target.port != -1 ? target.port : (target.scheme.equals("https") ? 443 : 80);
    if (port != -1 && port != effective) {
      return false;
    }
    if (prefix.isEmpty()) {
      return true;
    }
    String raw = target.path.replaceAll("[?#].*", "");
    for (int reading = 0; reading < 16; reading++) {
      List<String> segments = readSegments(raw, reading);
      if (!underPrefix(segments, prefix)) {
        return false;
      }
    }
    return true;
  }

  private static List<String> readSegments(String raw, int reading) {
    String p = raw;
    if ((reading & 4) != 0) {
      p = p.replace("\\", "/").replaceAll("(?i)%5c", "/");
    }
    if ((reading & 2) != 0) {
      p = p.replaceAll("(?i)%2f", "/");
    }
    if ((reading & 1) != 0) {
      p = p.replaceAll(";[^/]*", "");
    }
    p = p.replaceAll("(?i)%2e", ".").replaceAll("(?i)%61", "a");
    if ((reading & 8) != 0) {
      p = p.replaceAll("/+", "/");
    }
    // dot-segments by a stack of segments
    List<String> stack = new ArrayList<>();
    String[] parts = p.split("/", -1);
    for (int i = 1; i < parts.length; i++) {
      String part = parts[i];
      boolean last = i == parts.length - 1;
      if (part.equals(".")) {
        if (last) {
          stack.add("");
        }
      } else if (part.equals("..")) {
        if (!stack.isEmpty()) {
          stack.remove(stack.size() - 1);
        }
        if (last) {
          stack.add("");
        }
      } else {
        stack.add(part);
      }
    }
    return stack;
  }

  private static boolean underPrefix(List<String> segments, String prefix) {
    String[] wanted = prefix.substring(1).split("/");
    if (segments.size() < wanted.length) {
      return false;
    }
    for (int i = 0; i < wanted.length; i++) {
      if (!segments.get(i).equals(wanted[i])) {
        return false;
      }
    }
    return true;
  }

  private static final class Target {
    final String scheme;
    final String host;
    final int port;
    final String path;

    Target(String scheme, String host, int port, String path) {
      this.scheme = scheme;
      this.host = host;
      this.port = port;
      this.path = path;
    }

    @Override
    public String toString() {
      return scheme + "://" + host + (port == -1 ? "" : ":" + port) + path;
    }
  }
}
