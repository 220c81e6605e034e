package io.upstreamoauth.it.metrics;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import io.upstreamoauth.it.support.AgentApp;
import io.upstreamoauth.it.support.AppRun;
import io.upstreamoauth.it.support.FakeIdp;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A profile's MBean read over a remote JMX connection from a forked JVM (the unchanged
 * HttpURLConnection app, four threads calling without pause-and-check) while the test makes things
 * happen: a purge (the API answers 401 to the first token, replay-after-purge on), a refresh
 * ahead, an IdP outage (503) long enough for the token to go stale and then expire, and the
 * recovery. Each phase waits for its event, with a generous deadline; at the end, with the
 * traffic stopped and the JVM still up, every counter is checked against the IdP's and the API's
 * request journals and the app's own output.
 */
class JmxMetricsIT {

  private static final Duration DEADLINE = Duration.ofMinutes(3);
  private static final String PROFILE = "orders";
  /** Tokens after the first live this long: a refresh ahead at half of it, expiry at the end. */
  private static final int SHORT_LIFETIME_SECONDS = 20;

  private final FakeIdp idp = new FakeIdp();
  private final WireMockServer api = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
  private final ExecutorService launcher = Executors.newSingleThreadExecutor();
  private Future<AppRun> run;
  private JMXConnector connector;
  private MBeanServerConnection jmx;
  private ObjectName name;
  private Path until;
  private Path linger;

  @AfterEach
  void stop() throws Exception {
    if (connector != null) {
      try {
        connector.close();
      } catch (IOException gone) {
        // the app ended first
      }
    }
    for (Path file : new Path[] {until, linger}) {
      if (file != null && !Files.exists(file)) {
        Files.createFile(file); // a failed test's app ends too, not after AgentApp's timeout
      }
    }
    if (run != null) {
      run.get();
    }
    launcher.shutdownNow();
    api.stop();
    idp.close();
  }

  @Test
  void mbean_countsWhatTheTestCaused_purgeRefreshOutageRecovery() throws Exception {
    api.start();
    api.stubFor(get(urlPathEqualTo("/api/data")).willReturn(aResponse().withStatus(200).withBody("ok")));
    Path dir = Files.createTempDirectory("jmx-it");
    until = dir.resolve("stop");
    linger = dir.resolve("exit");
    int port = freePort();
    AgentApp app =
        AgentApp.of("http-url-connection")
            .jvmArg("-Dcom.sun.management.jmxremote.port=" + port)
            .jvmArg("-Dcom.sun.management.jmxremote.rmi.port=" + port)
            .jvmArg("-Dcom.sun.management.jmxremote.authenticate=false")
            .jvmArg("-Dcom.sun.management.jmxremote.ssl=false")
            .jvmArg("-Djava.rmi.server.hostname=127.0.0.1")
            .oauth("profiles", PROFILE)
            .oauth(PROFILE + ".hosts", "localhost:" + api.port())
            .oauth("token-endpoint", idp.tokenEndpoint())
            .oauth("client-id", "metrics-client")
            .oauth("client-secret", "metrics-secret")
            .oauth("replay-after-purge", true)
            .oauth("cache.eagerly-expire", 0)
            .oauth("cache.refresh-ahead-window", 0.5)
            .oauth("idp-retry.max-backoff", 2000);
    run = launcher.submit(() -> app.run("--url", "http://localhost:" + api.port() + "/api/data", "--threads", "4",
        "--pause-ms", "20", "--until", until.toString(), "--linger", linger.toString()));
    connect(port);

    // 1. tokens go out: one token request, requests carry its token
    await("requests with a token", () -> attr("RequestsWithToken") >= 10);
    assertThat(attr("TokenRequests")).isEqualTo(1);
    assertThat(text("State")).isEqualTo("valid");

    // 2. a purge: the API rejects the first token; the rejected requests are replayed with the next
    String first = idp.issued().get(0);
    idp.expiresIn(SHORT_LIFETIME_SECONDS); // the next tokens are short-lived, for steps 3 and 4
    api.stubFor(get(urlPathEqualTo("/api/data")).atPriority(1)
        .withHeader("Authorization", containing(first)).willReturn(aResponse().withStatus(401)));
    await("the purge and a new token", () -> attr("Purges") == 1 && attr("TokensFetched") >= 2);

    // 3. a refresh ahead of expiry, with the IdP healthy
    await("a refresh ahead", () -> attr("RefreshAheadFetches") >= 1 && attr("TokensFetched") >= 3);

    // 4. an IdP outage: the token goes on being served (stale) until it expires, then requests fail
    StubMapping outage = idp.server().stubFor(post(urlPathEqualTo(FakeIdp.PATH)).atPriority(1)
        .willReturn(aResponse().withStatus(503).withHeader("Content-Type", "application/json")
            .withBody("{\"error\":\"temporarily_unavailable\"}")));
    await("stale tokens served while the IdP fails", () -> attr("StaleTokensServed") >= 1);
    await("requests failed for want of a token", () -> attr("RequestsFailed") >= 1);
    await("the back-off shown", () -> text("State").startsWith("backing off until ") && attr("StateCode") == 3);
    assertThat(attr("ConsecutiveFailures")).isPositive();
    assertThat(attr("FetchFailuresTransient")).isPositive();
    assertThat(attr("SecondsUntilExpiry")).as("the token has expired").isEqualTo(-1);

    // 5. the IdP recovers: a new token, requests carry it again
    long withToken = attr("RequestsWithToken");
    long fetched = attr("TokensFetched");
    idp.server().removeStub(outage);
    await("the recovery", () -> attr("ConsecutiveFailures") == 0 && attr("TokensFetched") > fetched
        && attr("RequestsWithToken") > withToken);

    // the traffic stops; the JVM stays up for the final reading
    Files.createFile(until);
    await("the traffic to end", () -> Files.exists(Path.of(linger + ".waiting")));
    await("no token request in flight", () -> attr("StateCode") != 2);
    long requestsWithToken = attr("RequestsWithToken");
    long requestsFailed = attr("RequestsFailed");
    long replays = attr("Replays");
    long purges = attr("Purges");
    long tokenRequests = attr("TokenRequests");
    long tokensFetched = attr("TokensFetched");
    long transientFailures = attr("FetchFailuresTransient");
    long refreshAhead = attr("RefreshAheadFetches");
    long stale = attr("StaleTokensServed");
    long[] zero = {attr("RequestsWithoutToken"), attr("FetchFailuresConfiguration"), attr("FetchFailuresTimeout"),
        attr("FetchFailuresBadResponse"), attr("RedisErrors"), attr("LeaseWaits")};
    long untilExpiry = attr("SecondsUntilExpiry");
    long sinceFetch = attr("SecondsSinceLastFetch");
    String state = text("State");
    connector.close();
    connector = null;
    Files.createFile(linger);
    AppRun done = run.get();

    List<ServeEvent> apiCalls = api.getAllServeEvents();
    long rejected = apiCalls.stream().filter(e -> e.getResponse().getStatus() == 401).count();
    List<ServeEvent> idpCalls = idp.server().getAllServeEvents();
    long idpFailed = idpCalls.stream().filter(e -> e.getResponse().getStatus() == 503).count();

    assertThat(requestsWithToken).as("requests with a token: every request the API saw").isEqualTo(apiCalls.size());
    assertThat(apiCalls).allSatisfy(e -> assertThat(e.getRequest().getHeader("Authorization")).startsWith("Bearer "));
    assertThat(purges).as("purges: the first token, once however many requests it failed").isEqualTo(1);
    assertThat(replays).as("replays: one per 401 the API gave").isEqualTo(rejected).isPositive();
    assertThat(requestsFailed).as("failed requests: the app's errors").isEqualTo(done.errors()).isPositive();
    assertThat(done.results()).filteredOn(line -> line.startsWith("ERROR "))
        .allSatisfy(line -> assertThat(line).contains("no access token for"));
    assertThat(done.ok() + done.other() + done.errors() + replays)
        .as("decisions: one per request the app made, one more per replay")
        .isEqualTo(requestsWithToken + requestsFailed);
    assertThat(tokenRequests).as("token requests: the IdP's journal").isEqualTo(idpCalls.size());
    assertThat(tokensFetched).as("tokens fetched: the IdP's tokens").isEqualTo(idp.issued().size());
    assertThat(transientFailures).as("transient failures: the IdP's 503s").isEqualTo(idpFailed).isPositive();
    assertThat(tokenRequests).isEqualTo(tokensFetched + transientFailures);
    assertThat(refreshAhead).isPositive().isLessThanOrEqualTo(tokenRequests - 2); // not the first, nor after the purge
    assertThat(stale).isPositive().isLessThanOrEqualTo(requestsWithToken);
    assertThat(zero).as("proceed-mode requests, other failure kinds, Redis").containsOnly(0L);
    assertThat(untilExpiry).isPositive().isLessThanOrEqualTo(SHORT_LIFETIME_SECONDS);
    assertThat(sinceFetch).isGreaterThanOrEqualTo(0);
    assertThat(state).isIn("valid", "refreshing");
  }

  private void connect(int port) throws Exception {
    JMXServiceURL url = new JMXServiceURL("service:jmx:rmi:///jndi/rmi://127.0.0.1:" + port + "/jmxrmi");
    name = new ObjectName("io.upstreamoauth:type=TokenSource,name=" + PROFILE);
    await("the JMX connection", () -> {
      try {
        connector = JMXConnectorFactory.connect(url);
        jmx = connector.getMBeanServerConnection();
        return true;
      } catch (IOException notYet) {
        return false;
      }
    });
    await("the MBean", () -> {
      try {
        return jmx.isRegistered(name);
      } catch (IOException e) {
        throw new AssertionError(e);
      }
    });
  }

  private long attr(String attribute) {
    try {
      return ((Number) jmx.getAttribute(name, attribute)).longValue();
    } catch (Exception e) {
      throw new AssertionError("reading " + attribute, e);
    }
  }

  private String text(String attribute) {
    try {
      return (String) jmx.getAttribute(name, attribute);
    } catch (Exception e) {
      throw new AssertionError("reading " + attribute, e);
    }
  }

  /** Waits until {@code condition} holds; fails after {@link #DEADLINE}, or at once if the app ended. */
  private void await(String what, BooleanSupplier condition) throws Exception {
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    while (!condition.getAsBoolean()) {
      if (run.isDone()) {
        throw new AssertionError("the app ended while waiting for " + what + ":\n" + outcome());
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no " + what + " within " + DEADLINE);
      }
      Thread.sleep(100);
    }
  }

  private String outcome() {
    try {
      return run.get().toString();
    } catch (Exception e) {
      return e.toString();
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
