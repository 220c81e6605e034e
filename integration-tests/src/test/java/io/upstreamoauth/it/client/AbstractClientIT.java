package io.upstreamoauth.it.client;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.HttpHeader;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.upstreamoauth.it.support.AgentApp;
import io.upstreamoauth.it.support.AppRun;
import io.upstreamoauth.it.support.FakeIdp;
import io.upstreamoauth.it.support.TlsKeystore;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The guarantees every instrumented client must give, run against an unchanged test app in a
 * forked JVM with the real agent jar. One subclass per client.
 *
 * <p>The configured upstream is {@code localhost:<port>}; the same server reached as
 * {@code 127.0.0.1} and a second server ({@code other}) are not configured.
 */
public abstract class AbstractClientIT
    implements TokenRoutingClientTests, IdpTrustClientTests, RedisPoisonClientTests, DpopClientTests {

  protected static FakeIdp idp;
  protected static WireMockServer api;
  protected static WireMockServer other;

  /** Returns the test app's directory name under test-apps/. */
  protected abstract String appName();

  /**
   * Returns a pattern the User-Agent of every request the servers receive must match: the client
   * library's own default (with its version), proof from the wire that the intended client sent it.
   */
  protected abstract String expectedUserAgent();

  /**
   * Returns a pattern every VIA line of a run must match: the client class that sent each request
   * and the protocol of its response, as the app read them ({@code async}: sent with --async).
   */
  protected abstract String expectedClient(boolean async);

  /** Returns true when the agent can replay a rejected request for this client (replay-after-purge). */
  @Override
  public boolean supportsReplay() {
    return false;
  }

  @Override
  public FakeIdp idp() {
    return idp;
  }

  @Override
  public WireMockServer api() {
    return api;
  }

  @Override
  public WireMockServer other() {
    return other;
  }

  /** Returns true when the client follows redirects itself. */
  @Override
  public boolean followsRedirects() {
    return true;
  }

  /** Returns true when the app can send asynchronously (--async). */
  @Override
  public boolean supportsAsync() {
    return false;
  }

  @BeforeAll
  static void startServers() throws Exception {
    idp = new FakeIdp();
    String keystore = TlsKeystore.get().toString();
    api =
        new WireMockServer(
            options()
                .dynamicPort()
                .dynamicHttpsPort()
                .keystorePath(keystore)
                .keystorePassword(TlsKeystore.PASSWORD)
                .keyManagerPassword(TlsKeystore.PASSWORD)
                .keystoreType("PKCS12"));
    api.start();
    other = new WireMockServer(options().dynamicPort());
    other.start();
  }

  @AfterAll
  static void stopServers() {
    idp.close();
    api.stop();
    other.stop();
  }

  @BeforeEach
  void resetServers() {
    idp.issueTokens(3600);
    api.resetAll();
    other.resetAll();
    api.stubFor(any(urlPathMatching("/api/.*")).willReturn(aResponse().withStatus(200).withBody("ok")));
    other.stubFor(any(urlPathMatching("/.*")).willReturn(aResponse().withStatus(200).withBody("other")));
  }

  /** Returns the test app with the agent and nothing configured; a subclass may add app settings. */
  protected AgentApp app() {
    return AgentApp.of(appName()).check(this::assertIntendedClient);
  }

  /** Checks that every response of a run came through the client under test. */
  protected void assertIntendedClient(AppRun run) {
    long responses = run.results().stream().filter(result -> !result.startsWith("ERROR ")).count();
    assertThat(run.via()).as("one VIA line per response, each the intended client\n" + run)
        .hasSize((int) responses)
        .allSatisfy(via -> assertThat(via).matches(expectedClient(run.async())));
  }

  @AfterEach
  void everyRequestCameFromTheIntendedClient() {
    for (WireMockServer server : List.of(api, other)) {
      assertThat(server.getAllServeEvents())
          .allSatisfy(event -> assertThat(event.getRequest().getHeader("User-Agent"))
              .as("User-Agent of %s", event.getRequest().getUrl())
              .matches(expectedUserAgent()));
    }
  }

  @Override
  public AgentApp launch() throws Exception {
    return app()
        .oauth("hosts", "localhost:" + api.port() + ",localhost:" + api.httpsPort())
        .oauth("token-endpoint", idp.tokenEndpoint())
        .oauth("client-id", "orders-service")
        .oauth("client-secret", "s3cr:et%+/&x")
        .property("javax.net.ssl.trustStore", TlsKeystore.get())
        .property("javax.net.ssl.trustStorePassword", TlsKeystore.PASSWORD)
        .property("javax.net.ssl.trustStoreType", "PKCS12");
  }

  @Override
  public String apiUrl(String path) {
    return "http://localhost:" + api.port() + path;
  }

  // ---- what the test interfaces (RedisPoisonClientTests) reach the suite through

  @Override
  public AgentApp clientApp() throws Exception {
    return launch();
  }

  @Override
  public String clientApiUrl(String path) {
    return apiUrl(path);
  }

  @Override
  public FakeIdp clientIdp() {
    return idp;
  }

  @Override
  public WireMockServer clientApi() {
    return api;
  }

  protected static List<String> authorizations(WireMockServer server, String path) {
    return server.findAll(anyRequestedFor(urlPathEqualTo(path))).stream()
        .map(request -> request.containsHeader("Authorization") ? request.getHeader("Authorization") : "<none>")
        .collect(Collectors.toList());
  }

  @Test
  void manyCallsFromManyThreads_oneTokenRequest_everyCallCarriesIt() throws Exception {
    AppRun run = launch().run("--url", apiUrl("/api/data"), "--count", "200", "--threads", "16");

    assertThat(run.ok()).as(run.toString()).isEqualTo(200);
    assertThat(idp.tokenRequests()).hasSize(1);
    String token = idp.issued().get(0);
    assertThat(authorizations(api, "/api/data")).hasSize(200).containsOnly("Bearer " + token);
    assertThat(run.stderr()).doesNotContain(token);
  }

  @Test
  void tokenRequest_usesClientSecretBasic_formEncodedCredentials() throws Exception {
    AppRun run = launch().run("--url", apiUrl("/api/data"));

    assertThat(run.ok()).as(run.toString()).isEqualTo(1);
    LoggedRequest tokenRequest = idp.tokenRequests().get(0);
    String expected =
        java.util.Base64.getEncoder()
            .encodeToString("orders-service:s3cr%3Aet%25%2B%2F%26x".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    assertThat(tokenRequest.getHeader("Authorization")).isEqualTo("Basic " + expected);
    assertThat(tokenRequest.getBodyAsString()).isEqualTo("grant_type=client_credentials");
  }

  @Test
  void https_callsCarryToken() throws Exception {
    AppRun run = launch().run("--url", "https://localhost:" + api.httpsPort() + "/api/data", "--count", "3");

    assertThat(run.ok()).as(run.toString()).isEqualTo(3);
    assertThat(authorizations(api, "/api/data")).containsOnly("Bearer " + idp.issued().get(0));
  }

  @Test
  void post_withBody_carriesTokenAndBody() throws Exception {
    AppRun run = launch().run("--url", apiUrl("/api/data"), "--method", "POST", "--body", "hello", "--count", "2");

    assertThat(run.ok()).as(run.toString()).isEqualTo(2);
    List<LoggedRequest> requests = api.findAll(anyRequestedFor(urlPathEqualTo("/api/data")));
    assertThat(requests).allSatisfy(request -> {
      assertThat(request.getBodyAsString()).isEqualTo("hello");
      assertThat(request.getHeader("Authorization")).isEqualTo("Bearer " + idp.issued().get(0));
    });
  }

  @Test
  void unconfiguredHost_getsNoToken_andIdpIsNotAsked() throws Exception {
    AppRun run = launch().run("--url", "http://127.0.0.1:" + api.port() + "/api/data", "--count", "3");

    assertThat(run.ok()).as(run.toString()).isEqualTo(3);
    assertThat(authorizations(api, "/api/data")).containsOnly("<none>");
    assertThat(idp.tokenRequests()).isEmpty();
  }

  @Test
  void redirectToAnotherHost_doesNotCarryToken() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(followsRedirects(), "the client does not follow redirects itself");
    api.stubFor(
        any(urlPathEqualTo("/api/redirect-away"))
            .willReturn(aResponse().withStatus(302).withHeader("Location", "http://127.0.0.1:" + other.port() + "/landing")));

    AppRun run = launch().run("--url", apiUrl("/api/redirect-away"));

    assertThat(run.ok()).as(run.toString()).isEqualTo(1);
    assertThat(run.results()).containsExactly("200 other");
    assertThat(authorizations(api, "/api/redirect-away")).containsExactly("Bearer " + idp.issued().get(0));
    assertThat(authorizations(other, "/landing")).containsExactly("<none>");
  }

  @Test
  void redirectToAnotherHost_customHeaderName_doesNotCarryToken() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(followsRedirects(), "the client does not follow redirects itself");
    // clients strip at most Authorization on a cross-host redirect, never a custom header
    api.stubFor(
        any(urlPathEqualTo("/api/redirect-away"))
            .willReturn(aResponse().withStatus(302).withHeader("Location", "http://127.0.0.1:" + other.port() + "/landing")));

    AppRun run = launch().oauth("header-name", "X-Upstream-Token").run("--url", apiUrl("/api/redirect-away"));

    assertThat(run.results()).as(run.toString()).containsExactly("200 other");
    LoggedRequest first = api.findAll(anyRequestedFor(urlPathEqualTo("/api/redirect-away"))).get(0);
    assertThat(first.getHeader("X-Upstream-Token")).isEqualTo("Bearer " + idp.issued().get(0));
    assertThat(other.findAll(anyRequestedFor(urlPathEqualTo("/landing"))))
        .singleElement()
        .satisfies(request -> assertThat(request.containsHeader("X-Upstream-Token")).isFalse());
  }

  @Test
  void redirectToAnotherConfiguredHost_itsIdpFails_ioExceptionAndNothingSentThere() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(followsRedirects(), "the client does not follow redirects itself");
    api.stubFor(
        any(urlPathEqualTo("/api/redirect-away"))
            .willReturn(aResponse().withStatus(302).withHeader("Location", "http://127.0.0.1:" + other.port() + "/landing")));

    AppRun run =
        launch()
            .oauth("profiles", "billing")
            .oauth("billing.hosts", "127.0.0.1:" + other.port())
            .oauth("billing.token-endpoint", "http://127.0.0.1:1/token")
            .oauth("billing.timeout", 2000)
            .run("--url", apiUrl("/api/redirect-away"));

    assertThat(run.errors()).as(run.toString()).isEqualTo(1);
    assertThat(run.results().get(0)).startsWith("ERROR java.io.IOException").contains("profile 'billing'");
    assertThat(authorizations(api, "/api/redirect-away")).containsExactly("Bearer " + idp.issued().get(0));
    assertThat(other.findAll(anyRequestedFor(urlPathMatching("/.*")))).isEmpty();
  }

  @Test
  void redirectToAnotherHost_appsOwnAuthorization_sameOutcomeAsWithoutAgent() throws Exception {
    // clients differ here (forward, strip, or refuse to follow): the agent must change none of it
    api.stubFor(
        any(urlPathEqualTo("/api/redirect-away"))
            .willReturn(aResponse().withStatus(302).withHeader("Location", "http://127.0.0.1:" + other.port() + "/landing")));
    String[] args = {"--url", apiUrl("/api/redirect-away"), "--header", "Authorization:Basic YXBwOmFwcA=="};

    AppRun without = launch().withoutAgent().run(args);
    List<String> landedWithout = authorizations(other, "/landing");
    other.resetRequests();
    AppRun with = launch().run(args);

    assertThat(with.results()).as(with.toString()).isEqualTo(without.results());
    assertThat(authorizations(other, "/landing")).isEqualTo(landedWithout);
    assertThat(authorizations(api, "/api/redirect-away"))
        .containsExactly("Basic YXBwOmFwcA==", "Bearer " + idp.issued().get(0));
  }

  @Test
  void redirectOnSameHost_keepsToken() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(followsRedirects(), "the client does not follow redirects itself");
    api.stubFor(
        any(urlPathEqualTo("/api/redirect-here"))
            .willReturn(aResponse().withStatus(302).withHeader("Location", "/api/data")));

    AppRun run = launch().run("--url", apiUrl("/api/redirect-here"));

    assertThat(run.ok()).as(run.toString()).isEqualTo(1);
    assertThat(authorizations(api, "/api/data")).containsExactly("Bearer " + idp.issued().get(0));
  }

  @Test
  void connectionDroppedOnce_sameOutcomeAsWithoutAgent_everyAttemptCarriesTokenOnce() throws Exception {
    // clients retry a dropped idempotent request on their own (or do not): each attempt that
    // goes out must carry the token exactly once, and the outcome must not change
    api.stubFor(
        any(urlPathEqualTo("/api/drop-once"))
            .inScenario("drop")
            .whenScenarioStateIs(Scenario.STARTED)
            .willReturn(aResponse().withFault(com.github.tomakehurst.wiremock.http.Fault.EMPTY_RESPONSE))
            .willSetStateTo("dropped"));
    api.stubFor(
        any(urlPathEqualTo("/api/drop-once"))
            .inScenario("drop")
            .whenScenarioStateIs("dropped")
            .willReturn(aResponse().withStatus(200).withBody("ok")));

    AppRun without = launch().withoutAgent().run("--url", apiUrl("/api/drop-once"));
    api.resetRequests();
    api.resetScenarios();
    AppRun with = launch().run("--url", apiUrl("/api/drop-once"));

    // the same outcome: the same status, or the same exception type (the JDK's HTTP/2 client words
    // a dropped connection differently from run to run)
    assertThat(outcomes(with)).as(with.toString()).isEqualTo(outcomes(without));
    assertThat(api.findAll(anyRequestedFor(urlPathEqualTo("/api/drop-once"))))
        .isNotEmpty()
        .allSatisfy(request -> assertThat(request.getHeaders().getHeader("Authorization").values())
            .containsExactly("Bearer " + idp.issued().get(0)));
  }

  private static List<String> outcomes(AppRun run) {
    return run.results().stream()
        .map(result -> result.startsWith("ERROR ") ? result.replaceAll(":.*", "") : result)
        .collect(Collectors.toList());
  }

  @Test
  void appsOwnAuthorizationHeader_isReplacedNotDuplicated() throws Exception {
    AppRun run = launch().run("--url", apiUrl("/api/data"), "--header", "Authorization:Basic YXBwOmFwcA==");

    assertThat(run.ok()).as(run.toString()).isEqualTo(1);
    LoggedRequest request = api.findAll(anyRequestedFor(urlPathEqualTo("/api/data"))).get(0);
    assertThat(request.getHeaders().getHeader("Authorization").values())
        .containsExactly("Bearer " + idp.issued().get(0));
  }

  @Test
  void customHeaderName_carriesToken() throws Exception {
    AppRun run = launch().oauth("header-name", "X-Upstream-Token").run("--url", apiUrl("/api/data"));

    assertThat(run.ok()).as(run.toString()).isEqualTo(1);
    LoggedRequest request = api.findAll(anyRequestedFor(urlPathEqualTo("/api/data"))).get(0);
    assertThat(request.getHeader("X-Upstream-Token")).isEqualTo("Bearer " + idp.issued().get(0));
    assertThat(request.containsHeader("Authorization")).isFalse();
  }

  @Test
  void idpFails_failAction_requestNotSent_andAppGetsIoExceptionSayingWhy() throws Exception {
    idp.fail(401, "application/json", "{\"error\":\"invalid_client\",\"error_description\":\"Invalid client credentials\"}");

    AppRun run = launch().run("--url", apiUrl("/api/data"), "--count", "3");

    assertThat(run.errors()).as(run.toString()).isEqualTo(3);
    assertThat(run.results()).allSatisfy(result -> assertThat(result)
        .startsWith("ERROR java.io.IOException")
        .contains("upstream-oauth-agent")
        .contains("invalid_client")
        .contains("Invalid client credentials")
        .doesNotContain("s3cr"));
    assertThat(api.findAll(anyRequestedFor(urlPathMatching("/api/.*")))).isEmpty();
    // a configuration error is not hammered: one request to the IdP, the others fail at once
    assertThat(idp.tokenRequests()).hasSize(1);
  }

  @Test
  void idpUnreachable_failAction_appGetsIoException() throws Exception {
    AppRun run =
        launch().oauth("token-endpoint", "http://127.0.0.1:1/token").oauth("timeout", 2000).run("--url", apiUrl("/api/data"));

    assertThat(run.errors()).as(run.toString()).isEqualTo(1);
    assertThat(run.results().get(0)).startsWith("ERROR java.io.IOException").contains("127.0.0.1:1");
    assertThat(api.findAll(anyRequestedFor(urlPathMatching("/api/.*")))).isEmpty();
  }

  @Test
  void idpFails_proceedAction_requestSentWithoutToken() throws Exception {
    idp.fail(500, "text/html", "<html>down</html>");

    AppRun run = launch().oauth("idp-error-action", "proceed").run("--url", apiUrl("/api/data"));

    assertThat(run.ok()).as(run.toString()).isEqualTo(1);
    assertThat(authorizations(api, "/api/data")).containsExactly("<none>");
  }

  @Test
  void upstreamRejectsToken_tokenPurged_nextRequestGetsNewOne() throws Exception {
    api.stubFor(
        any(urlPathEqualTo("/api/flaky"))
            .inScenario("purge")
            .whenScenarioStateIs(Scenario.STARTED)
            .willReturn(aResponse().withStatus(401).withHeader("WWW-Authenticate", "Bearer error=\"invalid_token\""))
            .willSetStateTo("rejected-once"));
    api.stubFor(
        any(urlPathEqualTo("/api/flaky"))
            .inScenario("purge")
            .whenScenarioStateIs("rejected-once")
            .willReturn(aResponse().withStatus(200).withBody("ok")));

    AppRun run = launch().run("--url", apiUrl("/api/flaky"), "--count", "2", "--threads", "1");

    assertThat(run.results()).as(run.toString()).containsExactly("401 ", "200 ok");
    assertThat(idp.tokenRequests()).hasSize(2);
    assertThat(authorizations(api, "/api/flaky"))
        .containsExactly("Bearer " + idp.issued().get(0), "Bearer " + idp.issued().get(1));
  }

  @Test
  void invalidConfiguration_appRunsWithoutAgent_andLogNamesTheKey() throws Exception {
    AppRun run = launch().oauth("timeout", "ten seconds").run("--url", apiUrl("/api/data"));

    assertThat(run.ok()).as(run.toString()).isEqualTo(1);
    assertThat(run.stderr()).contains("upstream.oauth.timeout").contains("ten seconds").contains("disabled");
    assertThat(run.stderr()).doesNotContain("s3cr");
    assertThat(authorizations(api, "/api/data")).containsExactly("<none>");
  }

  @Test
  void tokenEndpointOnAConfiguredHost_agentsOwnRequestIsNotIntercepted() throws Exception {
    AppRun run =
        launch()
            .oauth("hosts", "localhost:" + api.port() + ",127.0.0.1:" + idp.server().port())
            .run("--url", apiUrl("/api/data"), "--count", "5", "--threads", "5");

    assertThat(run.ok()).as(run.toString()).isEqualTo(5);
    assertThat(idp.tokenRequests()).hasSize(1);
    assertThat(idp.tokenRequests().get(0).getHeader("Authorization")).startsWith("Basic ");
  }

  @Test
  void configFromEnvironmentAndFile_isUsed() throws Exception {
    java.nio.file.Path file = java.nio.file.Files.createTempFile("agent", ".properties");
    java.nio.file.Files.writeString(
        file,
        "upstream.oauth.hosts=localhost:" + api.port() + "\n"
            + "upstream.oauth.token-endpoint=" + idp.tokenEndpoint() + "\n"
            + "upstream.oauth.client-secret=${env:ORDERS_SECRET}\n");
    AppRun run =
        app()
            .agentArgs(file.toString())
            .env("UPSTREAM_OAUTH_CLIENT_ID", "orders-service")
            .env("ORDERS_SECRET", "from-env")
            .run("--url", apiUrl("/api/data"));

    assertThat(run.ok()).as(run.toString()).isEqualTo(1);
    String basic = idp.tokenRequests().get(0).getHeader("Authorization");
    assertThat(new String(java.util.Base64.getDecoder().decode(basic.substring(6))))
        .isEqualTo("orders-service:from-env");
  }

  @Test
  void async_callsCarryToken() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(supportsAsync(), "the app has no async API for this client");
    AppRun run = launch().run("--url", apiUrl("/api/data"), "--async", "--count", "20", "--threads", "4");

    assertThat(run.ok()).as(run.toString()).isEqualTo(20);
    assertThat(idp.tokenRequests()).hasSize(1);
    assertThat(authorizations(api, "/api/data")).hasSize(20).containsOnly("Bearer " + idp.issued().get(0));
  }

  @Test
  void async_idpFails_futureFailsWithIoException() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(supportsAsync(), "the app has no async API for this client");
    idp.fail(503, "application/json", "{\"error\":\"temporarily_unavailable\"}");

    AppRun run = launch().run("--url", apiUrl("/api/data"), "--async");

    assertThat(run.errors()).as(run.toString()).isEqualTo(1);
    assertThat(run.results().get(0)).startsWith("ERROR java.io.IOException").contains("temporarily_unavailable");
    assertThat(api.findAll(anyRequestedFor(urlPathMatching("/api/.*")))).isEmpty();
  }

  // ---- replay-after-purge: clients that support it (supportsReplay)

  private void rejectFirstRequest() {
    api.stubFor(
        any(urlPathEqualTo("/api/once"))
            .inScenario("replay")
            .whenScenarioStateIs(Scenario.STARTED)
            .willReturn(aResponse().withStatus(401))
            .willSetStateTo("rejected"));
    api.stubFor(
        any(urlPathEqualTo("/api/once"))
            .inScenario("replay")
            .whenScenarioStateIs("rejected")
            .willReturn(aResponse().withStatus(200).withBody("ok")));
    api.stubFor(any(urlPathEqualTo("/api/always")).willReturn(aResponse().withStatus(401)));
  }

  @Test
  void replay_get_rejectedOnce_isReplayedWithANewToken() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(supportsReplay(), "the agent does not replay requests on this client");
    rejectFirstRequest();
    AppRun run =
        launch().oauth("replay-after-purge", true).run("--url", apiUrl("/api/once"), "--header", "X-App:one");

    assertThat(run.results()).as(run.toString()).containsExactly("200 ok");
    assertThat(idp.tokenRequests()).hasSize(2);
    assertThat(authorizations(api, "/api/once"))
        .containsExactly("Bearer " + idp.issued().get(0), "Bearer " + idp.issued().get(1));
    // the replay is the same request: no header added twice, none lost
    List<LoggedRequest> sent = api.findAll(anyRequestedFor(urlPathEqualTo("/api/once")));
    assertThat(headersBesidesAuthorization(sent.get(0))).containsEntry("X-App", List.of("one"));
    assertThat(headersBesidesAuthorization(sent.get(1))).isEqualTo(headersBesidesAuthorization(sent.get(0)));
  }

  /** Transport headers, which differ when a replay goes over HTTP/2 after an h2c upgrade. */
  private static final List<String> TRANSPORT_HEADERS =
      List.of("Authorization", "Connection", "Upgrade", "HTTP2-Settings", "Host", "Content-Length", "Keep-Alive", "TE");

  private static Map<String, List<String>> headersBesidesAuthorization(LoggedRequest request) {
    Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    for (HttpHeader header : request.getHeaders().all()) {
      if (TRANSPORT_HEADERS.stream().noneMatch(header::keyEquals)) {
        headers.put(header.key(), header.values());
      }
    }
    return headers;
  }

  @Test
  void replay_get_rejectedAgain_isNotReplayedTwice() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(supportsReplay(), "the agent does not replay requests on this client");
    rejectFirstRequest();
    AppRun run = launch().oauth("replay-after-purge", true).run("--url", apiUrl("/api/always"));

    assertThat(run.results()).as(run.toString()).containsExactly("401 ");
    assertThat(authorizations(api, "/api/always")).hasSize(2);
  }

  @Test
  void replay_post_isNeverReplayed() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(supportsReplay(), "the agent does not replay requests on this client");
    rejectFirstRequest();
    AppRun run =
        launch().oauth("replay-after-purge", true).run("--url", apiUrl("/api/once"), "--method", "POST", "--body", "x");

    assertThat(run.results()).as(run.toString()).containsExactly("401 ");
    assertThat(authorizations(api, "/api/once")).hasSize(1);
  }

  @Test
  void replay_replayIsOffByDefault() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(supportsReplay(), "the agent does not replay requests on this client");
    rejectFirstRequest();
    AppRun run = launch().run("--url", apiUrl("/api/once"));

    assertThat(run.results()).as(run.toString()).containsExactly("401 ");
    assertThat(authorizations(api, "/api/once")).hasSize(1);
  }
}
