package io.upstreamoauth.agent.bridge;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.upstreamoauth.agent.config.ConfigLoader;
import io.upstreamoauth.agent.util.AgentLog;
import io.upstreamoauth.agent.util.Clock;
import io.upstreamoauth.agent.util.InternalCall;
import io.upstreamoauth.bootstrap.Decision;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The one decision per physical request, against a WireMock IdP. */
class AgentBridgeTest {

  private static final String SECRET = "bridge-secret-Wombat-5521";
  private static final String ORDERS = "Bearer orders-token-0123456789";
  private static final String BILLING = "Bearer billing-token-0123456789";
  private static WireMockServer idp;
  private final ByteArrayOutputStream log = new ByteArrayOutputStream();

  @BeforeAll
  static void startIdp() {
    idp = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
    idp.start();
  }

  @AfterAll
  static void stopIdp() {
    idp.stop();
  }

  @BeforeEach
  void stubIdp() {
    idp.resetAll();
    token("orders", "orders-token-0123456789");
    token("billing", "billing-token-0123456789");
    AgentLog.setOutput(new PrintStream(log, true));
    AgentLog.resetLimits();
  }

  @AfterEach
  void restoreLog() {
    AgentLog.setOutput(System.err);
  }

  private static void token(String clientId, String accessToken) {
    idp.stubFor(
        post(urlPathEqualTo("/token"))
            .withRequestBody(containing("client_id=" + clientId))
            .willReturn(
                aResponse()
                    .withHeader("Content-Type", "application/json")
                    .withBody("{\"access_token\":\"" + accessToken + "\",\"token_type\":\"Bearer\",\"expires_in\":300}")));
  }

  private static int tokenRequests() {
    return idp.findAll(postRequestedFor(urlPathEqualTo("/token"))).size();
  }

  /** Returns the value the decision sets under {@code name}, or null. */
  private static String set(Decision decision, String name) {
    for (int i = 0; i < decision.size(); i++) {
      if (decision.name(i).equalsIgnoreCase(name)) {
        return decision.value(i);
      }
    }
    throw new AssertionError("not a managed header name: " + name);
  }

  /** Returns true when the decision takes {@code current} off a request's {@code name}. */
  private static boolean removes(Decision decision, String name, String current) {
    for (int i = 0; i < decision.size(); i++) {
      if (decision.name(i).equalsIgnoreCase(name)) {
        return decision.removes(i, current);
      }
    }
    throw new AssertionError("not a managed header name: " + name);
  }

  private static Decision decide(AgentBridge bridge, String host, String path) {
    return bridge.decide("https", host, -1, path, "GET", true);
  }

  @Test
  void decide_configuredHost_sends_unconfiguredHost_passes() {
    AgentBridge bridge = bridge();

    Decision served = decide(bridge, "api.example.com", "/v1/orders");
    assertThat(served.action()).isEqualTo(Decision.SEND);
    assertThat(set(served, "Authorization")).isEqualTo(ORDERS);
    assertThat(served.toString()).doesNotContain("orders-token");
    Decision other = decide(bridge, "other.example.org", "/v1/orders");
    assertThat(other.action()).isEqualTo(Decision.PASS);
    assertThat(set(other, "Authorization")).isNull();
    assertThat(bridge.headerNames()).containsExactly("Authorization");
  }

  @Test
  void decide_cachedToken_oneIdpRequest_sameDecisionObject() {
    AgentBridge bridge = bridge();
    Decision first = decide(bridge, "api.example.com", "/");
    Decision second = decide(bridge, "api.example.com", "/x");

    assertThat(second).isSameAs(first);
    assertThat(tokenRequests()).isEqualTo(1);
  }

  @Test
  void decide_theAgentsOwnCall_isNeverServed() {
    AgentBridge bridge = bridge();
    boolean was = InternalCall.enter();
    try {
      assertThat(decide(bridge, "api.example.com", "/").action()).isEqualTo(Decision.PASS);
    } finally {
      InternalCall.exit(was);
    }
    assertThat(tokenRequests()).isZero();
  }

  @Test
  void decide_mostSpecificPatternWins() {
    AgentBridge bridge =
        bridge(
            "profiles", "billing",
            "hosts", "*.example.com",
            "billing.hosts", "api.example.com/billing/",
            "billing.client-id", "billing");

    assertThat(set(decide(bridge, "api.example.com", "/billing/invoices"), "Authorization")).isEqualTo(BILLING);
    assertThat(set(decide(bridge, "api.example.com", "/orders"), "Authorization")).isEqualTo(ORDERS);
    assertThat(set(decide(bridge, "www.example.com", "/billing/invoices"), "Authorization")).isEqualTo(ORDERS);
  }

  @Test
  void decide_idpFails_failsNamingHostAndProfile_withoutTheSecret() {
    idp.resetAll(); // no stub: WireMock answers 404
    AgentBridge bridge = bridge();

    Decision decision = decide(bridge, "api.example.com", "/");

    assertThat(decision.action()).isEqualTo(Decision.FAIL);
    IOException failure = decision.failure();
    assertThat(failure.getMessage())
        .startsWith("upstream-oauth-agent: no access token for https://api.example.com (profile 'default'), the request was not sent: ")
        .doesNotContain(SECRET);
    assertThat(set(decision, "Authorization")).isNull();
  }

  @Test
  void decide_idpFails_proceed_passes_andWarnsOncePerInterval() {
    idp.resetAll();
    AgentBridge bridge = bridge("idp-error-action", "proceed", "idp-retry.initial-backoff", "1", "idp-retry.max-backoff", "1");

    for (int i = 0; i < 20; i++) {
      assertThat(decide(bridge, "api.example.com", "/").action()).isEqualTo(Decision.PASS);
    }

    // every attempt's message differs (counts, back-off): the key must not
    assertThat(log.toString().split("without a token \\(idp-error-action=proceed\\)", -1)).hasSize(2);
  }

  // ---- the response side: purge once, replay

  @Test
  void onResponse_purgeStatus_dropsTheTokenItCarried_otherStatus_keepsIt() {
    AgentBridge bridge = bridge();
    Decision sent = decide(bridge, "api.example.com", "/");

    sent.onResponse(200);
    sent.onResponse(403);
    decide(bridge, "api.example.com", "/");
    assertThat(tokenRequests()).isEqualTo(1);

    sent.onResponse(401);
    decide(bridge, "api.example.com", "/");
    assertThat(tokenRequests()).isEqualTo(2);
  }

  @Test
  void onResponse_aStormOf401s_oneTokenRequestPerPurgeInterval() {
    AgentBridge bridge = bridge();
    for (int i = 0; i < 74; i++) {
      decide(bridge, "api.example.com", "/").onResponse(401);
    }
    // the first token, purged once; the second, rejected again at once, kept
    assertThat(tokenRequests()).isEqualTo(2);
    assertThat(log.toString()).contains("the token is kept (purge-min-interval)");
  }

  @Test
  void onResponse_passDecision_purgesNothing() {
    AgentBridge bridge = bridge();
    decide(bridge, "api.example.com", "/");

    decide(bridge, "other.example.org", "/").onResponse(401);
    decide(bridge, "api.example.com", "/");

    assertThat(tokenRequests()).isEqualTo(1);
  }

  @Test
  void replay_onlyWhenEnabled_safeMethods_purgeStatus() {
    Decision off = decide(bridge(), "api.example.com", "/");
    assertThat(off.keepsForReplay("GET")).isFalse();
    assertThat(off.replayAfter("GET", 401)).isFalse();

    AgentBridge on = bridge("replay-after-purge", "true");
    Decision sent = decide(on, "api.example.com", "/");
    assertThat(sent.keepsForReplay("GET")).isTrue();
    assertThat(sent.keepsForReplay("HEAD")).isTrue();
    assertThat(sent.keepsForReplay("OPTIONS")).isTrue();
    assertThat(sent.keepsForReplay("POST")).isFalse();
    assertThat(sent.keepsForReplay("DELETE")).isFalse();
    assertThat(sent.replayAfter("GET", 403)).isFalse();
    assertThat(sent.replayAfter("POST", 401)).isFalse();
    assertThat(decide(on, "other.example.org", "/").replayAfter("GET", 401)).isFalse();
    assertThat(sent.replayAfter("GET", 401)).isTrue(); // and purged
    assertThat(set(decide(on, "api.example.com", "/"), "Authorization")).isEqualTo(ORDERS);
    assertThat(tokenRequests()).isEqualTo(3); // one per bridge, and the one after the purge
  }

  @Test
  void replay_notWhenThePurgeKeptTheToken() {
    AgentBridge bridge = bridge("replay-after-purge", "true");
    assertThat(decide(bridge, "api.example.com", "/").replayAfter("GET", 401)).isTrue();

    // the fresh token, rejected again at once: kept (purge-min-interval), so no replay with it
    assertThat(decide(bridge, "api.example.com", "/").replayAfter("GET", 401)).isFalse();
  }

  @Test
  void isIssued_andIssuedBy_onlyForValuesTheAgentHandedOut() {
    AgentBridge bridge = bridge();
    Decision sent = decide(bridge, "api.example.com", "/");

    assertThat(bridge.isIssued(ORDERS)).isTrue();
    assertThat(bridge.issuedBy(ORDERS)).isSameAs(sent);
    assertThat(bridge.isIssued(ORDERS + "x")).isFalse();
    assertThat(bridge.isIssued("bearer orders-token-0123456789")).isFalse();
    assertThat(bridge.isIssued("Basic YXBwOmFwcA==")).isFalse();
    assertThat(bridge.isIssued(null)).isFalse();
    assertThat(bridge.issuedBy(null)).isNull();
  }

  // ---- defect 1: every value the agent issued comes off unless this hop's route sets that name

  @Test
  void decide_twoProfilesTwoHeaderNames_eachHopCarriesOnlyItsOwnProfilesValue() {
    AgentBridge bridge =
        bridge(
            "profiles", "pa,pb",
            "hosts", "",
            "pa.hosts", "a.example.com",
            "pa.header-name", "X-Api-Token",
            "pa.client-id", "orders",
            "pb.hosts", "b.example.com",
            "pb.client-id", "billing");
    assertThat(bridge.headerNames()).containsExactlyInAnyOrder("X-Api-Token", "Authorization");

    Decision hopA = decide(bridge, "a.example.com", "/start");
    assertThat(set(hopA, "X-Api-Token")).isEqualTo(ORDERS);
    assertThat(set(hopA, "Authorization")).isNull();
    assertThat(removes(hopA, "Authorization", "Basic YXBwOmFwcA==")).isFalse(); // the app's own: kept

    // redirected to B: the JDK kept X-Api-Token on the request
    Decision hopB = decide(bridge, "b.example.com", "/landing");
    assertThat(set(hopB, "Authorization")).isEqualTo(BILLING);
    assertThat(removes(hopB, "X-Api-Token", ORDERS)).isTrue();

    // then to a host nobody serves: both come off, the app's own values stay
    Decision hopC = decide(bridge, "c.example.org", "/");
    assertThat(removes(hopC, "X-Api-Token", ORDERS)).isTrue();
    assertThat(removes(hopC, "Authorization", BILLING)).isTrue();
    assertThat(removes(hopC, "Authorization", "Basic YXBwOmFwcA==")).isFalse();

    // and back to A: B's token under Authorization comes off there
    assertThat(removes(decide(bridge, "a.example.com", "/"), "Authorization", BILLING)).isTrue();
  }

  @Test
  void decide_headerNamesDifferingInCase_areOneName() {
    AgentBridge bridge =
        bridge(
            "profiles", "pa,pb",
            "hosts", "",
            "pa.hosts", "a.example.com",
            "pa.header-name", "X-Api-Token",
            "pb.hosts", "b.example.com",
            "pb.header-name", "x-api-token");

    assertThat(bridge.headerNames()).hasSize(1);
    assertThat(set(decide(bridge, "b.example.com", "/"), "X-API-TOKEN")).isEqualTo(ORDERS);
  }

  // ---- defect 2: paths as the server resolves them

  @ParameterizedTest
  @ValueSource(strings = {
      "/api/../admin", "/api/%2e%2e/admin", "/api/%2E%2E/admin", "/api/.%2e/admin", "/api/./../admin",
      "/api/x/../../admin", "/api/%2e%2E/admin?x=1", "/api%2f..%2f..%2fadmin", "/apis", "/admin/api", "/", "", "/api/..", "/api/%2e%2e"})
  void decide_pathOutsideThePrefixAsServersResolveIt_passes(String path) {
    AgentBridge bridge = bridge("hosts", "api.example.com/api");

    assertThat(decide(bridge, "api.example.com", path).action()).isEqualTo(Decision.PASS);
    assertThat(tokenRequests()).isZero();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "/api", "/api/", "/api/x", "/api/./x", "/api/x/../y", "/api/x?next=/admin", "/x/../api/y", "/%61pi/x", "/api/a%2fb",
      "/api/file.json", "/api/..x/y"})
  void decide_pathUnderThePrefixAsServersResolveIt_sends(String path) {
    AgentBridge bridge = bridge("hosts", "api.example.com/api");

    assertThat(set(decide(bridge, "api.example.com", path), "Authorization")).isEqualTo(ORDERS);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "/api/..;x/admin", "/api/..%2fadmin", "/api/..\\admin", "/api/..%5cadmin",
      "/api//../admin", "/api/;/../admin", "/x%2f..%2fapi/y"})
  void decide_pathServersReadInDisagreeingWays_failsClosedWithOneWarning(String path) {
    AgentBridge bridge = bridge("hosts", "api.example.com/api");

    assertThat(decide(bridge, "api.example.com", path).action()).isEqualTo(Decision.PASS);
    assertThat(decide(bridge, "api.example.com", path).action()).isEqualTo(Decision.PASS);

    assertThat(log.toString().split("in ways that disagree about hosts entry 'api.example.com/api'", -1)).hasSize(2);
    assertThat(tokenRequests()).isZero();
  }

  // ---- defect 11: host names compared in ASCII

  @Test
  void decide_unicodeCaseFoldingLookalike_passes() {
    AgentBridge bridge = bridge("hosts", "api.example.com,*.example.net");

    assertThat(decide(bridge, "ap\u0131.example.com", "/").action()).isEqualTo(Decision.PASS); // dotless i
    assertThat(decide(bridge, "api.exampl\u212a.com", "/").action()).isEqualTo(Decision.PASS); // Kelvin sign
    assertThat(decide(bridge, "x.\u212aexample.net", "/").action()).isEqualTo(Decision.PASS);
    assertThat(decide(bridge, "API.EXAMPLE.COM", "/").action()).isEqualTo(Decision.SEND);
  }

  @Test
  void decide_internationalisedName_matchesInPunycode() {
    AgentBridge bridge = bridge("hosts", "b\u00fccher.example");

    assertThat(decide(bridge, "xn--bcher-kva.example", "/").action()).isEqualTo(Decision.SEND);
    assertThat(decide(bridge, "b\u00fccher.example", "/").action()).isEqualTo(Decision.SEND);
    assertThat(decide(bridge, "bucher.example", "/").action()).isEqualTo(Decision.PASS);
  }

  // ---- defect 5: callers that may not wait never wait

  @Test
  void decide_mayNotWait_noTokenYet_waitsOnAFuture_thenSends() throws Exception {
    idp.resetAll();
    idp.stubFor(
        post(urlPathEqualTo("/token"))
            .willReturn(
                aResponse()
                    .withFixedDelay(1000)
                    .withHeader("Content-Type", "application/json")
                    .withBody("{\"access_token\":\"orders-token-0123456789\",\"token_type\":\"Bearer\",\"expires_in\":300}")));
    AgentBridge bridge = bridge();

    Decision pending = bridge.decide("https", "api.example.com", -1, "/", "GET", false);

    assertThat(pending.action()).isEqualTo(Decision.WAIT);
    assertThat(set(pending, "Authorization")).isNull();
    assertThat(bridge.decide("https", "api.example.com", -1, "/", "GET", false).ready()).isSameAs(pending.ready());
    pending.ready().get(10, TimeUnit.SECONDS);
    assertThat(set(bridge.decide("https", "api.example.com", -1, "/", "GET", false), "Authorization")).isEqualTo(ORDERS);
    assertThat(tokenRequests()).isEqualTo(1);
  }

  @Test
  void decide_mayNotWait_idpDown_waitThenFail() throws Exception {
    failSlowly();
    AgentBridge bridge = bridge();

    Decision pending = bridge.decide("https", "api.example.com", -1, "/", "GET", false);
    assertThat(pending.action()).isEqualTo(Decision.WAIT);
    pending.ready().handle((token, error) -> null).get(10, TimeUnit.SECONDS);

    Decision after = bridge.decide("https", "api.example.com", -1, "/", "GET", false);
    assertThat(after.action()).isEqualTo(Decision.FAIL);
    assertThat(after.failure()).hasMessageContaining("no access token for https://api.example.com");
  }

  @Test
  void decide_resumedAfterAFailedTokenRequest_failsWithoutStartingAnother() throws Exception {
    failSlowly(); // every token request fails
    AgentBridge bridge = bridge("idp-retry.initial-backoff", "1", "idp-retry.max-backoff", "1");
    Decision pending = bridge.decide("https", "api.example.com", -1, "/", "GET", false);
    assertThat(pending.action()).isEqualTo(Decision.WAIT);
    Again again = new Again(bridge);

    io.upstreamoauth.bootstrap.Resume.when(pending, again, "decide", new Object[0], again, "failed");

    Decision resumed = again.result.get(10, TimeUnit.SECONDS);
    assertThat(resumed.action()).isEqualTo(Decision.FAIL);
    Thread.sleep(50); // anything started now would show
    assertThat(tokenRequests()).isEqualTo(1);
  }

  /**
   * Every token request fails, a second after it arrives: a failure that came back at once could
   * complete the token request before decide() looks at it, and decide would fail rather than wait.
   */
  private static void failSlowly() {
    idp.resetAll();
    idp.stubFor(post(urlPathEqualTo("/token")).willReturn(aResponse().withStatus(503).withFixedDelay(1000)));
  }

  /** What an async client's resumed call does: decide again, without waiting. */
  public static final class Again {
    final java.util.concurrent.CompletableFuture<Decision> result = new java.util.concurrent.CompletableFuture<>();
    private final AgentBridge bridge;

    Again(AgentBridge bridge) {
      this.bridge = bridge;
    }

    public void decide() throws InterruptedException {
      Thread.sleep(20); // the 1 ms back-off is over: only the resume rule stops a new request
      result.complete(bridge.decide("https", "api.example.com", -1, "/", "GET", false));
    }

    public void failed(Exception e) {
      result.completeExceptionally(e);
    }
  }

  private static AgentBridge bridge(String... keyValues) {
    Map<String, String> properties = new HashMap<>();
    properties.put("upstream.oauth.hosts", "api.example.com");
    properties.put("upstream.oauth.token-endpoint", "http://127.0.0.1:" + idp.port() + "/token");
    properties.put("upstream.oauth.client-id", "orders");
    properties.put("upstream.oauth.client-secret", SECRET);
    properties.put("upstream.oauth.auth-method", "client_secret_post");
    for (int i = 0; i < keyValues.length; i += 2) {
      if (keyValues[i + 1].isEmpty()) {
        properties.remove("upstream.oauth." + keyValues[i]);
      } else {
        properties.put("upstream.oauth." + keyValues[i], keyValues[i + 1]);
      }
    }
    try {
      return AgentBridges.create(ConfigLoader.load(properties, Map.of(), null), Clock.SYSTEM);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
