package io.upstreamoauth.jmh;

import com.sun.net.httpserver.HttpServer;
import io.upstreamoauth.agent.bridge.AgentBridge;
import io.upstreamoauth.agent.bridge.AgentBridges;
import io.upstreamoauth.agent.config.ConfigLoader;
import io.upstreamoauth.agent.util.Clock;
import io.upstreamoauth.bootstrap.Decision;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The per-request work of the agent with a cached token: the one decision for a physical request
 * ({@link AgentBridge#decide}) and the loop every client's advice runs to apply it (set the
 * values, or take issued values off). The IdP is a real HTTP server in this JVM; every token
 * lives a day, so the measurement never fetches.
 *
 * <p>Scenarios: {@code one-host} (one profile, one hosts entry); {@code ten-hosts} (five profiles,
 * ten entries with wildcards, ports and path prefixes; the target matches the last profile's
 * path-prefix entry); {@code not-configured} (the ten-host configuration, a request to a host no
 * entry serves: the cost every other request of the application pays); {@code dpop} (one host,
 * {@code dpop=true}: a new ES256 proof for every request); {@code dpop-rs256} (the same with RS256).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class DecisionBenchmark {

  @Param({"one-host", "ten-hosts", "not-configured", "dpop", "dpop-rs256"})
  public String scenario;

  private HttpServer idp;
  private AgentBridge bridge;
  private String host;
  private String path;
  /** What the application's request holds under the managed names (none: a plain request). */
  private final String current = null;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    idp = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
    idp.createContext("/token", exchange -> {
      String form = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      boolean dpop = exchange.getRequestHeaders().containsKey("DPoP");
      byte[] body = ("{\"access_token\":\"tok-" + Integer.toHexString(form.hashCode())
              + "-0123456789abcdef0123456789abcdef\",\"token_type\":\"" + (dpop ? "DPoP" : "Bearer")
              + "\",\"expires_in\":86400}").getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    idp.start();
    String endpoint = "http://127.0.0.1:" + idp.getAddress().getPort() + "/token";

    Map<String, String> p = new HashMap<>();
    p.put("upstream.oauth.log-level", "warn");
    switch (scenario) {
      case "one-host":
      case "dpop":
      case "dpop-rs256":
        p.put("upstream.oauth.hosts", "api.partner.example");
        p.put("upstream.oauth.token-endpoint", endpoint);
        p.put("upstream.oauth.client-id", "bench");
        p.put("upstream.oauth.client-secret", "bench-secret");
        p.put("upstream.oauth.dpop", String.valueOf(scenario.startsWith("dpop")));
        p.put("upstream.oauth.dpop-alg", scenario.equals("dpop-rs256") ? "RS256" : "ES256");
        host = "api.partner.example";
        path = "/v1/orders/42";
        break;
      case "ten-hosts":
      case "not-configured":
        p.put("upstream.oauth.profiles", "p1,p2,p3,p4,p5");
        for (int i = 1; i <= 5; i++) {
          String profile = "upstream.oauth.p" + i + ".";
          p.put(profile + "hosts", "*.svc" + i + ".example.com, api" + i + ".partner.example:8443/v" + i);
          p.put(profile + "token-endpoint", endpoint);
          p.put(profile + "client-id", "bench-" + i);
          p.put(profile + "client-secret", "bench-secret-" + i);
          p.put(profile + "header-name", i % 2 == 0 ? "X-Api-Token" : "Authorization");
        }
        host = scenario.equals("ten-hosts") ? "api5.partner.example" : "cdn.elsewhere.example.org";
        path = "/v5/orders/42";
        break;
      default:
        throw new IllegalArgumentException(scenario);
    }
    bridge = AgentBridges.create(ConfigLoader.load(p, Map.of(), null), Clock.SYSTEM);
    Decision first = decide();
    boolean served = !scenario.equals("not-configured");
    if ((first.action() == Decision.SEND) != served) {
      throw new IllegalStateException(scenario + ": expected " + (served ? "SEND" : "PASS") + ", got " + first);
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    idp.stop(0);
  }

  private Decision decide() {
    return bridge.decide("https", host, 8443, path, "GET", true);
  }

  /** One decision, applied as advice applies it: returns what it would set (for the blackhole). */
  @Benchmark
  public int decideAndApply() throws IOException {
    Decision decision = decide();
    if (decision.action() == Decision.FAIL) {
      throw decision.failure();
    }
    int set = 0;
    for (int i = 0; i < decision.size(); i++) {
      String value = decision.value(i);
      if (value != null) {
        set += value.length();
      } else if (decision.removes(i, current)) {
        set--;
      }
    }
    return set;
  }
}
