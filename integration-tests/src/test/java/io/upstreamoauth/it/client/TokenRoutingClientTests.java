package io.upstreamoauth.it.client;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.upstreamoauth.it.support.AgentApp;
import io.upstreamoauth.it.support.AppRun;
import io.upstreamoauth.it.support.FakeIdp;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Which token goes on which request, whatever the path, redirect chain or upstream does: the
 * regression tests of the trust issue's routing defects, run for every client and version.
 */
public interface TokenRoutingClientTests {

  FakeIdp idp();

  WireMockServer api();

  WireMockServer other();

  AgentApp launch() throws Exception;

  String apiUrl(String path);

  boolean followsRedirects();

  boolean supportsAsync();

  /**
   * Profile {@code pa} serves the API under {@code X-Api-Token}, profile {@code pb} serves the
   * other host under {@code Authorization}; the API redirects to the other host. The JDK and other
   * clients keep every header but Authorization on a redirect: pa's value must not reach pb's host.
   */
  @Test
  default void redirectChainAcrossTwoProfiles_eachHostGetsOnlyItsOwnProfilesToken() throws Exception {
    Assumptions.assumeTrue(followsRedirects(), "this client follows no redirects (it has no redirect handling)");
    api().stubFor(
        any(urlPathEqualTo("/api/to-b"))
            .willReturn(aResponse().withStatus(302).withHeader("Location", "http://127.0.0.1:" + other().port() + "/b/landing")));
    other().stubFor(
        any(urlPathEqualTo("/b/landing"))
            .willReturn(aResponse().withStatus(302).withHeader("Location", "http://localhost:" + api().port() + "/api/back")));

    AppRun run =
        launch()
            .oauth("header-name", "X-Api-Token")
            .oauth("profiles", "pb")
            .oauth("pb.hosts", "127.0.0.1:" + other().port())
            .oauth("pb.header-name", "Authorization")
            .oauth("pb.client-id", "billing-service")
            .run("--url", apiUrl("/api/to-b"));

    assertThat(run.results()).as(run.toString()).containsExactly("200 ok");
    assertThat(idp().tokenRequests()).hasSize(2);
    String tokenA = "Bearer " + idp().issued().get(0);
    String tokenB = "Bearer " + idp().issued().get(1);
    LoggedRequest first = single(api(), "/api/to-b");
    assertThat(first.getHeader("X-Api-Token")).isEqualTo(tokenA);
    assertThat(first.containsHeader("Authorization")).isFalse();
    LoggedRequest atB = single(other(), "/b/landing");
    assertThat(atB.getHeader("Authorization")).isEqualTo(tokenB);
    assertThat(atB.containsHeader("X-Api-Token")).as("profile pa's header on pb's host").isFalse();
    LoggedRequest back = single(api(), "/api/back");
    assertThat(back.getHeader("X-Api-Token")).isEqualTo(tokenA);
    assertThat(back.containsHeader("Authorization")).as("profile pb's token back on pa's host").isFalse();
  }

  private static LoggedRequest single(WireMockServer server, String path) {
    List<LoggedRequest> requests = server.findAll(anyRequestedFor(urlPathEqualTo(path)));
    assertThat(requests).as("requests to " + path).hasSize(1);
    return requests.get(0);
  }

  /**
   * With {@code hosts=localhost:<port>/api}, paths that servers resolve to somewhere outside
   * {@code /api} get no token, whatever the client sends them as; a path under it does.
   */
  @Test
  default void dotSegmentPaths_outsideThePrefixAsTheServerResolvesThem_carryNoToken() throws Exception {
    api().stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withBody("ok")));
    String[] escapes = {
      "/api/../admin", "/api/%2e%2e/admin", "/api/%2E%2E/admin", "/api/.%2e/admin", "/api/./../admin", "/api/..;x/admin"
    };
    String[] args = new String[escapes.length * 2 + 2];
    for (int i = 0; i < escapes.length; i++) {
      args[2 * i] = "--url";
      args[2 * i + 1] = apiUrl(escapes[i]);
    }
    args[args.length - 2] = "--url";
    args[args.length - 1] = apiUrl("/api/data"); // the control: under the prefix, carries the token

    AppRun run = launch().oauth("hosts", "localhost:" + api().port() + "/api").run(args);

    assertThat(run.errors()).as(run.toString()).isZero();
    assertThat(run.ok()).as(run.toString()).isEqualTo(escapes.length + 1);
    List<LoggedRequest> received = api().findAll(anyRequestedFor(anyUrl()));
    assertThat(received).as("every request reached the server").hasSize(escapes.length + 1);
    for (LoggedRequest request : received) {
      String resolved = serverPath(request.getUrl());
      if (resolved.equals("/api") || resolved.startsWith("/api/")) {
        assertThat(request.getHeader("Authorization")).as(request.getUrl()).isEqualTo("Bearer " + idp().issued().get(0));
      } else {
        assertThat(request.containsHeader("Authorization")).as("token sent for " + request.getUrl()).isFalse();
      }
    }
    assertThat(received).anySatisfy(request -> assertThat(request.getUrl()).isEqualTo("/api/data"));
  }

  /** The path as a server resolves it: %2e decoded, ;parameters dropped, dot-segments removed. */
  private static String serverPath(String url) {
    String path = url.replaceAll("[?#].*", "").replaceAll("(?i)%2e", ".").replaceAll(";[^/]*", "");
    return URI.create(path).normalize().getPath();
  }

  /**
   * An upstream that answers 401 for reasons a new token cannot fix: the agent purges the token
   * once and keeps the next one (purge-min-interval), instead of a token request per call.
   */
  @Test
  default void upstreamAlwaysAnswers401_atMostTwoTokenRequests() throws Exception {
    api().stubFor(any(urlPathEqualTo("/api/forbidden-role")).willReturn(aResponse().withStatus(401)));

    AppRun run = launch().run("--url", apiUrl("/api/forbidden-role"), "--count", "30", "--threads", "1");

    assertThat(run.other()).as(run.toString()).isEqualTo(30);
    assertThat(idp().tokenRequests()).hasSize(2);
    assertThat(run.stderr()).contains("purge-min-interval");
  }

  /**
   * An async call hands back its future at once even while the IdP takes seconds to answer: the
   * caller's thread never waits for the token (the exchange goes on when it arrives). Told apart
   * by where the IdP's delay falls, not by a time limit: before the future is handed back (the
   * caller waited) or after it (the future waited).
   */
  @Test
  default void async_slowIdp_callerGetsItsFutureAtOnce_andTheCallCompletesWithTheToken() throws Exception {
    Assumptions.assumeTrue(supportsAsync(), "this client has no async API");
    idp().server().setGlobalFixedDelay(5_000);
    try {
      AppRun run = launch().run("--url", apiUrl("/api/data"), "--async", "--count", "4", "--threads", "4");

      assertThat(run.ok()).as(run.toString()).isEqualTo(4);
      assertThat(idp().tokenRequests()).hasSize(1);
      List<String[]> calls =
          run.stdout().lines().filter(line -> line.startsWith("SUBMITTED ")).map(line -> line.split(" "))
              .collect(java.util.stream.Collectors.toList());
      assertThat(calls).as(run.toString()).hasSize(4).allSatisfy(call -> {
        long handedBack = Long.parseLong(call[2]);
        long afterwards = Long.parseLong(call[3]);
        assertThat(handedBack).as("ms to hand back the future, then ms the future took: " + String.join(" ", call))
            .isLessThan(afterwards);
      });
    } finally {
      idp().server().setGlobalFixedDelay(0);
    }
  }
}
