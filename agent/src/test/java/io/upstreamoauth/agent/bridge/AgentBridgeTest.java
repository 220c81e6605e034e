package io.upstreamoauth.agent.bridge;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.upstreamoauth.agent.config.ConfigLoader;
import io.upstreamoauth.agent.util.Clock;
import io.upstreamoauth.agent.util.InternalCall;
import io.upstreamoauth.bootstrap.AuthHeader;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the bridge answers the woven code, against a WireMock IdP. */
class AgentBridgeTest {

  private static final String SECRET = "bridge-secret-Wombat-5521";
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
    token("orders", "orders-token-0123456789");
    token("billing", "billing-token-0123456789");
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

  @Test
  void headerFor_configuredHost_bearerToken_unconfiguredHost_null() throws Exception {
    AgentBridge bridge = bridge();

    AuthHeader header = bridge.headerFor("https", "api.example.com", -1, "/v1/orders");
    assertThat(header.name()).isEqualTo("Authorization");
    assertThat(header.value()).isEqualTo("Bearer orders-token-0123456789");
    assertThat(header.replayAfterPurge()).isFalse();
    assertThat(header.toString()).doesNotContain("orders-token");
    assertThat(bridge.headerFor("https", "other.example.org", -1, "/v1/orders")).isNull();
    assertThat(bridge.headerNames()).containsExactly("Authorization");
  }

  @Test
  void headerFor_cachedToken_oneIdpRequest_sameHeaderObject() throws Exception {
    AgentBridge bridge = bridge();
    AuthHeader first = bridge.headerFor("https", "api.example.com", -1, "/");
    AuthHeader second = bridge.headerFor("https", "api.example.com", -1, "/");

    assertThat(second).isSameAs(first);
    assertThat(idp.findAll(postRequestedFor(urlPathEqualTo("/token")))).hasSize(1);
  }

  @Test
  void headerFor_theAgentsOwnCall_isNeverServed() throws Exception {
    AgentBridge bridge = bridge();
    boolean was = InternalCall.enter();
    try {
      assertThat(bridge.headerFor("https", "api.example.com", -1, "/")).isNull();
    } finally {
      InternalCall.exit(was);
    }
    assertThat(idp.findAll(postRequestedFor(urlPathEqualTo("/token")))).isEmpty();
  }

  @Test
  void headerFor_mostSpecificPatternWins() throws Exception {
    AgentBridge bridge =
        bridge(
            "profiles", "billing",
            "hosts", "*.example.com",
            "billing.hosts", "api.example.com/billing/",
            "billing.client-id", "billing");

    assertThat(bridge.headerFor("https", "api.example.com", -1, "/billing/invoices").value())
        .isEqualTo("Bearer billing-token-0123456789");
    assertThat(bridge.headerFor("https", "api.example.com", -1, "/orders").value())
        .isEqualTo("Bearer orders-token-0123456789");
    assertThat(bridge.headerFor("https", "www.example.com", -1, "/billing/invoices").value())
        .isEqualTo("Bearer orders-token-0123456789");
  }

  @Test
  void headerFor_idpFails_ioExceptionNamingHostAndProfile_withoutTheSecret() throws Exception {
    idp.resetAll(); // no stub: WireMock answers 404
    AgentBridge bridge = bridge();

    IOException e = catchThrowableOfType(IOException.class, () -> bridge.headerFor("https", "api.example.com", -1, "/"));

    assertThat(e.getMessage())
        .startsWith("upstream-oauth-agent: no access token for https://api.example.com (profile 'default'), the request was not sent: ")
        .doesNotContain(SECRET);
  }

  @Test
  void headerFor_idpFails_proceed_sendsWithoutToken() throws Exception {
    idp.resetAll();
    assertThat(bridge("idp-error-action", "proceed").headerFor("https", "api.example.com", -1, "/")).isNull();
  }

  @Test
  void onResponse_purgeStatus_dropsTheTokenItCarried_otherStatus_keepsIt() throws Exception {
    AgentBridge bridge = bridge();
    String sent = bridge.headerFor("https", "api.example.com", -1, "/").value();

    bridge.onResponse("https", "api.example.com", -1, "/", 200, sent);
    bridge.onResponse("https", "api.example.com", -1, "/", 403, sent);
    bridge.headerFor("https", "api.example.com", -1, "/");
    assertThat(idp.findAll(postRequestedFor(urlPathEqualTo("/token")))).hasSize(1);

    bridge.onResponse("https", "api.example.com", -1, "/", 401, sent);
    bridge.headerFor("https", "api.example.com", -1, "/");
    assertThat(idp.findAll(postRequestedFor(urlPathEqualTo("/token")))).hasSize(2);
  }

  @Test
  void onResponse_aValueThatIsNotTheCachedToken_purgesNothing() throws Exception {
    AgentBridge bridge = bridge();
    bridge.headerFor("https", "api.example.com", -1, "/");

    bridge.onResponse("https", "api.example.com", -1, "/", 401, "Bearer some-older-token");
    bridge.onResponse("https", "api.example.com", -1, "/", 401, null);
    bridge.headerFor("https", "api.example.com", -1, "/");

    assertThat(idp.findAll(postRequestedFor(urlPathEqualTo("/token")))).hasSize(1);
  }

  @Test
  void shouldReplay_onlyWhenEnabled_safeMethods_purgeStatus_configuredHost() throws Exception {
    AgentBridge off = bridge();
    assertThat(off.shouldReplay("https", "api.example.com", -1, "/", "GET", 401)).isFalse();

    AgentBridge on = bridge("replay-after-purge", "true");
    assertThat(on.headerFor("https", "api.example.com", -1, "/").replayAfterPurge()).isTrue();
    assertThat(on.shouldReplay("https", "api.example.com", -1, "/", "GET", 401)).isTrue();
    assertThat(on.shouldReplay("https", "api.example.com", -1, "/", "HEAD", 401)).isTrue();
    assertThat(on.shouldReplay("https", "api.example.com", -1, "/", "OPTIONS", 401)).isTrue();
    assertThat(on.shouldReplay("https", "api.example.com", -1, "/", "POST", 401)).isFalse();
    assertThat(on.shouldReplay("https", "api.example.com", -1, "/", "DELETE", 401)).isFalse();
    assertThat(on.shouldReplay("https", "api.example.com", -1, "/", "GET", 403)).isFalse();
    assertThat(on.shouldReplay("https", "other.example.org", -1, "/", "GET", 401)).isFalse();
  }

  @Test
  void isIssued_onlyForValuesTheAgentHandedOut() throws Exception {
    AgentBridge bridge = bridge();
    String sent = bridge.headerFor("https", "api.example.com", -1, "/").value();

    assertThat(bridge.isIssued(sent)).isTrue();
    assertThat(bridge.isIssued("Bearer orders-token-0123456789x")).isFalse();
    assertThat(bridge.isIssued("Basic YXBwOmFwcA==")).isFalse();
    assertThat(bridge.isIssued(null)).isFalse();
  }

  private static AgentBridge bridge(String... keyValues) throws Exception {
    Map<String, String> properties = new HashMap<>();
    properties.put("upstream.oauth.hosts", "api.example.com");
    properties.put("upstream.oauth.token-endpoint", "http://127.0.0.1:" + idp.port() + "/token");
    properties.put("upstream.oauth.client-id", "orders");
    properties.put("upstream.oauth.client-secret", SECRET);
    properties.put("upstream.oauth.auth-method", "client_secret_post");
    for (int i = 0; i < keyValues.length; i += 2) {
      properties.put("upstream.oauth." + keyValues[i], keyValues[i + 1]);
    }
    return AgentBridges.create(ConfigLoader.load(properties, Map.of(), null), Clock.SYSTEM);
  }
}
