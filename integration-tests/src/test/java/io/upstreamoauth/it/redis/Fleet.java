package io.upstreamoauth.it.redis;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.upstreamoauth.it.support.AgentApp;
import io.upstreamoauth.it.support.AppRun;
import io.upstreamoauth.it.support.FakeIdp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Several unchanged test apps in their own JVMs, all with the agent and the same Redis, calling
 * a slow upstream for a while, so tokens expire (FakeIdp: 4 s) several times during the run.
 */
final class Fleet implements AutoCloseable {

  static final String APP_A = "http-url-connection";
  static final String APP_B = "java-http-client";
  /** Each request takes this long upstream, which sets how long a run lasts. */
  static final int UPSTREAM_DELAY_MILLIS = 100;
  static final String ENCRYPTION_KEY = Base64.getEncoder().encodeToString("0123456789abcdef0123456789abcdef".getBytes());

  final FakeIdp idp = new FakeIdp();
  final WireMockServer api = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1").containerThreads(64));
  private final ExecutorService launcher = Executors.newCachedThreadPool();

  Fleet() {
    idp.issueTokens(4);
    api.start();
    api.stubFor(any(urlPathMatching("/api/.*"))
        .willReturn(aResponse().withStatus(200).withBody("ok").withFixedDelay(UPSTREAM_DELAY_MILLIS)));
  }

  /** Returns an app with the agent on the redis strategy; {@code redis} are cache.redis.* keys. */
  AgentApp app(String name, Map<String, String> redis) {
    AgentApp app = AgentApp.of(name)
        .oauth("hosts", "localhost:" + api.port())
        .oauth("token-endpoint", idp.tokenEndpoint())
        .oauth("client-id", "fleet-client")
        .oauth("client-secret", "fleet-secret")
        .oauth("timeout", 2000) // lease: 2 * 2 s + 1 s
        .oauth("cache.strategy", "redis");
    redis.forEach((key, value) -> app.oauth("cache.redis." + key, value));
    return app;
  }

  /**
   * Starts {@code jvms} apps (alternating clients), each sending requests from 6 threads for
   * about {@code traffic}; returns their futures.
   */
  List<Future<AppRun>> start(int jvms, Duration traffic, Map<String, String> redis) {
    int threads = 6;
    long count = traffic.toMillis() / UPSTREAM_DELAY_MILLIS * threads;
    List<Future<AppRun>> runs = new ArrayList<>();
    for (int i = 0; i < jvms; i++) {
      AgentApp app = app(i % 2 == 0 ? APP_A : APP_B, redis);
      runs.add(launcher.submit(() -> app.run("--url", "http://localhost:" + api.port() + "/api/data",
          "--count", String.valueOf(count), "--threads", String.valueOf(threads))));
    }
    return runs;
  }

  static List<AppRun> await(List<Future<AppRun>> runs) throws Exception {
    List<AppRun> done = new ArrayList<>();
    for (Future<AppRun> run : runs) {
      done.add(run.get());
    }
    return done;
  }

  /** Returns the gaps between consecutive token requests, in ms. */
  List<Long> tokenRequestGaps() {
    List<Long> times = idp.tokenRequests().stream().map(r -> r.getLoggedDate().getTime()).sorted().toList();
    List<Long> gaps = new ArrayList<>();
    for (int i = 1; i < times.size(); i++) {
      gaps.add(times.get(i) - times.get(i - 1));
    }
    return gaps;
  }

  static void sleep(long millis) throws InterruptedException {
    Thread.sleep(millis);
  }

  @Override
  public void close() {
    launcher.shutdownNow();
    idp.close();
    api.stop();
  }
}
