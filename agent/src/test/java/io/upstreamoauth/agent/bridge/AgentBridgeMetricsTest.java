package io.upstreamoauth.agent.bridge;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.upstreamoauth.agent.config.ConfigLoader;
import io.upstreamoauth.agent.metrics.RequestMetrics;
import io.upstreamoauth.agent.metrics.TokenSourceView;
import io.upstreamoauth.agent.util.AgentLog;
import io.upstreamoauth.agent.util.Clock;
import io.upstreamoauth.bootstrap.Decision;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The request side of a profile's MBean: AgentBridge counts each decision (a token, a failure, a
 * request sent without one), each purge and each replay once, where it happens, against a
 * WireMock IdP.
 */
class AgentBridgeMetricsTest {

  private static WireMockServer idp;

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
    idp.stubFor(
        post(urlPathEqualTo("/token"))
            .willReturn(
                aResponse()
                    .withHeader("Content-Type", "application/json")
                    .withBody("{\"access_token\":\"orders-token-0123456789\",\"token_type\":\"Bearer\",\"expires_in\":300}")));
    AgentLog.setOutput(new PrintStream(new ByteArrayOutputStream(), true));
    AgentLog.resetLimits();
  }

  @AfterEach
  void restoreLog() {
    AgentLog.setOutput(System.err);
  }

  private static Decision decide(AgentBridge bridge, String host) {
    return bridge.decide("https", host, -1, "/", "GET", true);
  }

  private static RequestMetrics requests(AgentBridge bridge) {
    return bridge.routes().get(0).metrics;
  }

  private static TokenSourceView view(AgentBridge bridge) {
    Route route = bridge.routes().get(0);
    return new TokenSourceView(route.profile.name(), route.metrics, route.tokens);
  }

  @Test
  void decide_servedRequests_countedWithToken_unservedNotCounted() {
    AgentBridge bridge = bridge();

    decide(bridge, "api.example.com");
    decide(bridge, "api.example.com");
    decide(bridge, "other.example.org");

    TokenSourceView view = view(bridge);
    assertThat(view.getRequestsWithToken()).isEqualTo(2);
    assertThat(view.getTokenRequests()).isEqualTo(1);
    assertThat(view.getTokensFetched()).isEqualTo(1);
    assertThat(view.getRequestsFailed()).isZero();
    assertThat(view.getRequestsWithoutToken()).isZero();
  }

  @Test
  void decide_idpRefuses_eachRequestCountedFailed_oneConfigurationFailure() {
    idp.resetAll(); // no stub: WireMock answers 404, a configuration error

    AgentBridge bridge = bridge();
    assertThat(decide(bridge, "api.example.com").action()).isEqualTo(Decision.FAIL);
    assertThat(decide(bridge, "api.example.com").action()).isEqualTo(Decision.FAIL); // backing off: no request

    TokenSourceView view = view(bridge);
    assertThat(view.getRequestsFailed()).isEqualTo(2);
    assertThat(view.getRequestsWithToken()).isZero();
    assertThat(view.getTokenRequests()).isEqualTo(1);
    assertThat(view.getFetchFailuresConfiguration()).isEqualTo(1);
    assertThat(view.getConsecutiveFailures()).isEqualTo(1);
  }

  @Test
  void decide_idpFailsInProceedMode_eachRequestCountedWithoutToken() {
    idp.resetAll();
    AgentBridge bridge = bridge("idp-error-action", "proceed");

    for (int i = 0; i < 5; i++) {
      assertThat(decide(bridge, "api.example.com").action()).isEqualTo(Decision.PASS);
    }

    assertThat(requests(bridge).withoutToken()).isEqualTo(5);
    assertThat(requests(bridge).failed()).isZero();
    assertThat(requests(bridge).withToken()).isZero();
  }

  @Test
  void onResponse_purge_countedOnce_keptTokenAndOtherStatusesNotCounted() {
    AgentBridge bridge = bridge();
    Decision sent = decide(bridge, "api.example.com");

    sent.onResponse(200);
    sent.onResponse(403);
    assertThat(requests(bridge).purges()).isZero();
    sent.onResponse(401);
    sent.onResponse(401); // the same token, gone already
    assertThat(requests(bridge).purges()).isEqualTo(1);

    decide(bridge, "api.example.com").onResponse(401); // the new token, rejected at once: kept
    assertThat(requests(bridge).purges()).isEqualTo(1);
  }

  @Test
  void replayAfter_countedWhenTheRequestGoesAgain_only() {
    AgentBridge bridge = bridge("replay-after-purge", "true");
    Decision sent = decide(bridge, "api.example.com");

    assertThat(sent.replayAfter("POST", 401)).isFalse();
    assertThat(sent.replayAfter("GET", 403)).isFalse();
    assertThat(requests(bridge).replays()).isZero();
    assertThat(sent.replayAfter("GET", 401)).isTrue();
    assertThat(requests(bridge).replays()).isEqualTo(1);
    assertThat(requests(bridge).purges()).isEqualTo(1);

    // the fresh token rejected again at once is kept, so no replay
    assertThat(decide(bridge, "api.example.com").replayAfter("GET", 401)).isFalse();
    assertThat(requests(bridge).replays()).isEqualTo(1);
  }

  @Test
  void jmxRunning_onlyWithTheManagementAgentsProperties() {
    Properties properties = new Properties();
    assertThat(AgentBridges.jmxRunning(properties)).isFalse();
    properties.setProperty("com.sun.management.jmxremote.port", "9010");
    assertThat(AgentBridges.jmxRunning(properties)).isTrue();
  }

  private static AgentBridge bridge(String... keyValues) {
    Map<String, String> properties = new HashMap<>();
    properties.put("upstream.oauth.hosts", "api.example.com");
    properties.put("upstream.oauth.token-endpoint", "http://127.0.0.1:" + idp.port() + "/token");
    properties.put("upstream.oauth.client-id", "orders");
    properties.put("upstream.oauth.client-secret", "metrics-secret-0123456789");
    properties.put("upstream.oauth.auth-method", "client_secret_post");
    properties.put("upstream.oauth.metrics.jmx.enabled", "false"); // this test reads the counters itself
    for (int i = 0; i < keyValues.length; i += 2) {
      properties.put("upstream.oauth." + keyValues[i], keyValues[i + 1]);
    }
    try {
      return AgentBridges.create(ConfigLoader.load(properties, Map.of(), null), Clock.SYSTEM);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
