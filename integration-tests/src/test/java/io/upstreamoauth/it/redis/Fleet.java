package io.upstreamoauth.it.redis;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import io.upstreamoauth.it.support.AgentApp;
import io.upstreamoauth.it.support.AppRun;
import io.upstreamoauth.it.support.FakeIdp;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;

/**
 * Several unchanged test apps in their own JVMs, all with the agent and the same Redis, calling a
 * slow upstream until the test has seen what it waits for ({@link #await}), so tokens (FakeIdp:
 * 4 s) expire several times during a run however fast or slow the machine is. Each app marks its
 * requests with {@code X-Fleet-Member: <n>}.
 *
 * <p>The product's promise, checked from the IdP's own issue times: at most one token request
 * per token lifetime for the whole fleet while Redis works, at most one per JVM while it does not.
 */
final class Fleet implements AutoCloseable {

  static final String APP_A = "http-url-connection";
  static final String APP_B = "java-http-client";
  static final int JVMS = 3;
  static final int TOKEN_LIFETIME_SECONDS = 4;
  /**
   * Two token requests closer than this are two for one lifetime: a 4 s token is refreshed 2.9 to
   * 3.2 s after it was requested (the last 10-20% of 3.6 s usable), never sooner.
   */
  static final long ONE_LIFETIME_MILLIS = 2_000;
  /** How long any awaited event may take: generous, as it only bounds a failing run. */
  static final Duration DEADLINE = Duration.ofMinutes(2);
  static final String MEMBER_HEADER = "X-Fleet-Member";
  static final String ENCRYPTION_KEY = Base64.getEncoder().encodeToString("0123456789abcdef0123456789abcdef".getBytes());

  final FakeIdp idp = new FakeIdp();
  final WireMockServer api = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1").containerThreads(64));
  private final ExecutorService launcher = Executors.newCachedThreadPool();
  private final Path stop;
  private final List<Future<AppRun>> runs = new ArrayList<>();

  Fleet() throws IOException {
    idp.issueTokens(TOKEN_LIFETIME_SECONDS);
    api.start();
    // each request takes a while upstream, as real ones do: the threads overlap token refreshes
    api.stubFor(any(urlPathMatching("/api/.*"))
        .willReturn(aResponse().withStatus(200).withBody("ok").withFixedDelay(100)));
    stop = Files.createTempDirectory("fleet").resolve("stop");
  }

  /** Returns an app with the agent on the redis strategy; {@code redis} are cache.redis.* keys. */
  AgentApp app(String name, Map<String, String> redis) {
    AgentApp app = AgentApp.of(name)
        .oauth("hosts", "localhost:" + api.port())
        .oauth("token-endpoint", idp.tokenEndpoint())
        .oauth("client-id", "fleet-client")
        .oauth("client-secret", "fleet-secret")
        // the default: 2 s timed out the first token request once, three JVMs and six redis-servers
        // starting on 2 cores
        .oauth("timeout", 10_000)
        .oauth("cache.strategy", "redis");
    redis.forEach((key, value) -> app.oauth("cache.redis." + key, value));
    return app;
  }

  /** Starts {@link #JVMS} apps (alternating clients), each calling from 6 threads until {@link #finish()}. */
  void start(Map<String, String> redis) {
    for (int i = 0; i < JVMS; i++) {
      AgentApp app = app(i % 2 == 0 ? APP_A : APP_B, redis);
      String member = MEMBER_HEADER + ":" + i;
      runs.add(launcher.submit(() -> app.run("--url", "http://localhost:" + api.port() + "/api/data",
          "--threads", "6", "--until", stop.toString(), "--header", member)));
    }
  }

  /** Waits until every app has called the upstream. */
  void awaitEveryMemberCalling() throws InterruptedException {
    await("every JVM calling the upstream", () -> latestTokenByMember().size() == JVMS);
  }

  /**
   * Waits until {@code condition} holds; fails after {@link #DEADLINE}, or at once if an app
   * ended meanwhile (it should call until told to stop).
   */
  void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    while (!condition.getAsBoolean()) {
      for (Future<AppRun> run : runs) {
        if (run.isDone()) {
          throw new AssertionError("an app ended while waiting for " + what + ":\n" + outcome(run));
        }
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no " + what + " within " + DEADLINE + "; tokens issued at " + idp.issueTimes());
      }
      Thread.sleep(250);
    }
  }

  /**
   * Waits until every member's latest request carried one and the same token, issued as token
   * {@code notBefore} or later; returns that token's index in the IdP's issue order.
   */
  int awaitOneTokenForAll(int notBefore) throws InterruptedException {
    int[] index = new int[1];
    await("one token for every JVM (token " + notBefore + " or later)", () -> {
      Set<String> latest = new HashSet<>(latestTokenByMember().values());
      index[0] = latest.size() == 1 ? idp.issued().indexOf(latest.iterator().next()) : -1;
      return index[0] >= notBefore;
    });
    return index[0];
  }

  /** Returns the number of tokens issued so far. */
  int issued() {
    return idp.issued().size();
  }

  /** Returns the token of each member's latest request upstream, by member. */
  Map<String, String> latestTokenByMember() {
    Map<String, ServeEvent> latest = new HashMap<>();
    for (ServeEvent event : api.getAllServeEvents()) {
      String member = event.getRequest().getHeader(MEMBER_HEADER);
      ServeEvent known = latest.get(member);
      if (known == null || event.getRequest().getLoggedDate().after(known.getRequest().getLoggedDate())) {
        latest.put(member, event);
      }
    }
    Map<String, String> tokens = new HashMap<>();
    latest.forEach((member, event) -> tokens.put(member, bearer(event)));
    return tokens;
  }

  /** Returns the tokens each member's requests carried, in the order first used, by member. */
  Map<String, List<String>> tokensByMember() {
    Map<String, List<String>> tokens = new HashMap<>();
    for (ServeEvent event : api.getAllServeEvents()) {
      List<String> used = tokens.computeIfAbsent(event.getRequest().getHeader(MEMBER_HEADER), m -> new ArrayList<>());
      if (!used.contains(bearer(event))) {
        used.add(bearer(event));
      }
    }
    return tokens;
  }

  private static String bearer(ServeEvent event) {
    String authorization = event.getRequest().getHeader("Authorization");
    return authorization == null ? "<none>" : authorization.substring("Bearer ".length());
  }

  /** Stops the traffic and returns every app's run, once all have exited. */
  List<AppRun> finish() throws Exception {
    Files.createFile(stop);
    List<AppRun> done = new ArrayList<>();
    for (Future<AppRun> run : runs) {
      done.add(run.get());
    }
    for (AppRun run : done) {
      assertThat(run.errors()).as(run.toString()).isZero();
      assertThat(run.other()).as(run.toString()).isZero();
      assertThat(run.ok()).as(run.toString()).isPositive();
      assertThat(run.stderr()).as(run.toString()).doesNotContain("SLF4J");
    }
    return done;
  }

  /** Asserts that consecutive tokens in {@code issueTimes} were requested at least a lifetime apart. */
  static void assertOnePerLifetime(String when, List<Long> issueTimes) {
    assertThat(issueTimes).as("tokens issued " + when).hasSizeGreaterThan(1);
    for (int i = 1; i < issueTimes.size(); i++) {
      assertThat(issueTimes.get(i) - issueTimes.get(i - 1))
          .as("ms between token requests %d and %d %s (all: %s)", i - 1, i, when, issueTimes)
          .isGreaterThanOrEqualTo(ONE_LIFETIME_MILLIS);
    }
  }

  /** Asserts that no lifetime saw more token requests than there are JVMs (each on its own). */
  static void assertAtMostOnePerJvmPerLifetime(List<Long> issueTimes) {
    for (int i = JVMS; i < issueTimes.size(); i++) {
      assertThat(issueTimes.get(i) - issueTimes.get(i - JVMS))
          .as("ms spanned by token requests %d to %d (all: %s)", i - JVMS, i, issueTimes)
          .isGreaterThanOrEqualTo(ONE_LIFETIME_MILLIS);
    }
  }

  private static String outcome(Future<AppRun> run) {
    try {
      return run.get().toString();
    } catch (Exception e) {
      return e.toString();
    }
  }

  @Override
  public void close() throws IOException {
    if (!Files.exists(stop)) {
      Files.createFile(stop); // a failed test: let the apps end now rather than at their timeout
    }
    launcher.shutdown();
    for (Future<AppRun> run : runs) {
      try {
        run.get(60, java.util.concurrent.TimeUnit.SECONDS);
      } catch (Exception e) {
        // reported by the test that failed
      }
    }
    idp.close();
    api.stop();
  }
}
