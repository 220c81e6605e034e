package io.upstreamoauth.agent.bridge;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.upstreamoauth.agent.config.ConfigException;
import io.upstreamoauth.agent.config.ConfigLoader;
import io.upstreamoauth.agent.util.AgentLog;
import io.upstreamoauth.agent.util.Clock;
import io.upstreamoauth.bootstrap.Decision;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** DPoP in the decision core: the token request's proof and nonce, a new proof for every request. */
class AgentBridgeDpopTest {

  private static final String TOKEN = "dpop-bound-token-0123456789";
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
  void reset() {
    idp.resetAll();
    issue("Bearer");
    // as a DPoP-capable IdP does: a request with a proof gets a bound token
    idp.stubFor(
        post(urlPathEqualTo("/token"))
            .withHeader("DPoP", containing("."))
            .atPriority(1)
            .willReturn(
                aResponse()
                    .withHeader("Content-Type", "application/json")
                    .withBody("{\"access_token\":\"" + TOKEN + "\",\"token_type\":\"DPoP\",\"expires_in\":300}")));
    AgentLog.setOutput(new PrintStream(log, true));
    AgentLog.resetLimits();
  }

  @AfterEach
  void restoreLog() {
    AgentLog.setOutput(System.err);
  }

  private static void issue(String tokenType) {
    idp.stubFor(
        post(urlPathEqualTo("/token"))
            .willReturn(
                aResponse()
                    .withHeader("Content-Type", "application/json")
                    .withBody("{\"access_token\":\"" + TOKEN + "\",\"token_type\":\"" + tokenType + "\",\"expires_in\":300}")));
  }

  private static List<LoggedRequest> tokenRequests() {
    return idp.findAll(postRequestedFor(urlPathEqualTo("/token")));
  }

  private static String value(Decision decision, String name) {
    for (int i = 0; i < decision.size(); i++) {
      if (decision.name(i).equalsIgnoreCase(name)) {
        return decision.value(i);
      }
    }
    return null;
  }

  private static int index(Decision decision, String name) {
    for (int i = 0; i < decision.size(); i++) {
      if (decision.name(i).equalsIgnoreCase(name)) {
        return i;
      }
    }
    throw new AssertionError(name);
  }

  /** Verifies a proof as a resource server would, returning its claims. */
  private static JWTClaimsSet verified(String proof, String htm, String htu) throws Exception {
    SignedJWT jwt = SignedJWT.parse(proof);
    assertThat(jwt.getHeader().getType().toString()).isEqualTo("dpop+jwt");
    ECKey jwk = (ECKey) jwt.getHeader().getJWK();
    assertThat(jwt.verify(new ECDSAVerifier(jwk))).isTrue();
    JWTClaimsSet claims = jwt.getJWTClaimsSet();
    assertThat(claims.getStringClaim("htm")).isEqualTo(htm);
    assertThat(claims.getStringClaim("htu")).isEqualTo(htu);
    return claims;
  }

  private static String ath(String token) throws Exception {
    return Base64.getUrlEncoder().withoutPadding()
        .encodeToString(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII)));
  }

  @Test
  void tokenRequest_carriesAProofForThePostToTheEndpoint() throws Exception {
    bridge().decide("https", "api.example.com", -1, "/", "GET", true);

    LoggedRequest request = tokenRequests().get(0);
    JWTClaimsSet claims = verified(request.getHeader("DPoP"), "POST", "http://127.0.0.1:" + idp.port() + "/token");
    assertThat(claims.getClaim("ath")).isNull();
    assertThat(claims.getClaim("nonce")).isNull();
  }

  @Test
  void tokenRequest_serverAsksForANonce_retriedOnceWithIt() throws Exception {
    idp.resetAll();
    idp.stubFor(
        post(urlPathEqualTo("/token"))
            .inScenario("nonce")
            .whenScenarioStateIs(Scenario.STARTED)
            .willReturn(
                aResponse()
                    .withStatus(400)
                    .withHeader("DPoP-Nonce", "eyJ7S_zG.eyJH0-Z.HX4w-7v")
                    .withHeader("Content-Type", "application/json")
                    .withBody("{\"error\":\"use_dpop_nonce\",\"error_description\":\"Authorization server requires nonce in DPoP proof\"}"))
            .willSetStateTo("nonce sent"));
    idp.stubFor(
        post(urlPathEqualTo("/token"))
            .inScenario("nonce")
            .whenScenarioStateIs("nonce sent")
            .withHeader("DPoP", containing("."))
            .willReturn(
                aResponse()
                    .withHeader("Content-Type", "application/json")
                    .withBody("{\"access_token\":\"" + TOKEN + "\",\"token_type\":\"DPoP\",\"expires_in\":300}")));

    Decision decision = bridge().decide("https", "api.example.com", -1, "/", "GET", true);

    assertThat(decision.action()).as(decision.action() == Decision.FAIL ? decision.failure().getMessage() : "").isEqualTo(Decision.SEND);
    List<LoggedRequest> requests = tokenRequests();
    assertThat(requests).hasSize(2);
    String htu = "http://127.0.0.1:" + idp.port() + "/token";
    assertThat(verified(requests.get(0).getHeader("DPoP"), "POST", htu).getClaim("nonce")).isNull();
    JWTClaimsSet second = verified(requests.get(1).getHeader("DPoP"), "POST", htu);
    assertThat(second.getStringClaim("nonce")).isEqualTo("eyJ7S_zG.eyJH0-Z.HX4w-7v");
    assertThat(second.getJWTID()).isNotEqualTo(verified(requests.get(0).getHeader("DPoP"), "POST", htu).getJWTID());
  }

  @Test
  void tokenRequest_nonceRefusedTwice_failsAfterTwoRequests() throws Exception {
    idp.resetAll();
    idp.stubFor(
        post(urlPathEqualTo("/token"))
            .willReturn(
                aResponse()
                    .withStatus(400)
                    .withHeader("DPoP-Nonce", "n1")
                    .withHeader("Content-Type", "application/json")
                    .withBody("{\"error\":\"use_dpop_nonce\"}")));

    Decision decision = bridge().decide("https", "api.example.com", -1, "/", "GET", true);

    assertThat(decision.action()).isEqualTo(Decision.FAIL);
    assertThat(tokenRequests()).hasSize(2);
  }

  @Test
  void request_getsDpopTokenAndANewProofBoundToMethodUriAndToken() throws Exception {
    AgentBridge bridge = bridge();

    Decision first = bridge.decide("https", "API.example.com", 443, "/v1/orders?page=2", "GET", true);
    Decision second = bridge.decide("https", "api.example.com", -1, "/v1/orders", "POST", true);

    assertThat(value(first, "Authorization")).isEqualTo("DPoP " + TOKEN);
    JWTClaimsSet a = verified(value(first, "DPoP"), "GET", "https://api.example.com/v1/orders");
    JWTClaimsSet b = verified(value(second, "DPoP"), "POST", "https://api.example.com/v1/orders");
    assertThat(a.getStringClaim("ath")).isEqualTo(ath(TOKEN));
    assertThat(a.getJWTID()).isNotEqualTo(b.getJWTID());
    assertThat(second).isNotSameAs(first);
    assertThat(tokenRequests()).hasSize(1);
    // the token is bound to the key the request proofs use
    assertThat(SignedJWT.parse(value(first, "DPoP")).getHeader().getJWK().toJSONString())
        .isEqualTo(SignedJWT.parse(tokenRequests().get(0).getHeader("DPoP")).getHeader().getJWK().toJSONString());
  }

  @Test
  void request_manyRequests_neverTheSameProof() throws Exception {
    AgentBridge bridge = bridge();
    Set<String> proofs = new HashSet<>();
    for (int i = 0; i < 200; i++) {
      proofs.add(value(bridge.decide("https", "api.example.com", -1, "/", "GET", true), "DPoP"));
    }
    assertThat(proofs).hasSize(200);
  }

  @Test
  void resourceServerNonce_challengeKeepsTheToken_replaysOnceWithTheNonce_andRotates() throws Exception {
    AgentBridge bridge = bridge();
    Decision sent = bridge.decide("https", "api.example.com", -1, "/orders", "GET", true);
    String challenge = "DPoP error=\"use_dpop_nonce\", error_description=\"Resource server requires nonce in DPoP proof\"";

    assertThat(sent.readsDpopHeaders()).isTrue();
    assertThat(sent.keepsForReplay("GET")).isTrue();
    assertThat(sent.replayAfter("GET", 401, "https", "api.example.com", -1, "rs-nonce-1", challenge)).isTrue();
    sent.onResponse(401, "https", "api.example.com", -1, "rs-nonce-1", challenge);

    Decision replay = bridge.decide("https", "api.example.com", -1, "/orders", "GET", true);
    assertThat(value(replay, "Authorization")).as("not purged").isEqualTo("DPoP " + TOKEN);
    assertThat(verified(value(replay, "DPoP"), "GET", "https://api.example.com/orders").getStringClaim("nonce"))
        .isEqualTo("rs-nonce-1");
    replay.onResponse(200, "https", "api.example.com", -1, "rs-nonce-2", null);
    Decision next = bridge.decide("https", "api.example.com", -1, "/x", "GET", true);
    assertThat(verified(value(next, "DPoP"), "GET", "https://api.example.com/x").getStringClaim("nonce")).isEqualTo("rs-nonce-2");
    assertThat(tokenRequests()).hasSize(1);
    assertThat(bridge.routes().get(0).metrics.replays()).as("the nonce replay, counted").isEqualTo(1);
    assertThat(bridge.routes().get(0).metrics.purges()).isZero();
  }

  @Test
  void resourceServerNonce_onAPost_notReplayed_butTheNextRequestCarriesIt() throws Exception {
    AgentBridge bridge = bridge();
    Decision sent = bridge.decide("https", "api.example.com", -1, "/orders", "POST", true);
    String challenge = "DPoP error=\"use_dpop_nonce\"";

    assertThat(sent.replayAfter("POST", 401, "https", "api.example.com", -1, "n-9", challenge)).isFalse();

    Decision next = bridge.decide("https", "api.example.com", -1, "/orders", "POST", true);
    assertThat(verified(value(next, "DPoP"), "POST", "https://api.example.com/orders").getStringClaim("nonce")).isEqualTo("n-9");
    assertThat(bridge.routes().get(0).metrics.replays()).isZero();
  }

  @Test
  void plain401_stillPurges() throws Exception {
    AgentBridge bridge = bridge();
    Decision sent = bridge.decide("https", "api.example.com", -1, "/", "GET", true);

    sent.onResponse(401, "https", "api.example.com", -1, null, "DPoP error=\"invalid_token\"");
    bridge.decide("https", "api.example.com", -1, "/", "GET", true);

    assertThat(tokenRequests()).hasSize(2);
    assertThat(bridge.routes().get(0).metrics.purges()).isEqualTo(1);
  }

  @Test
  void proof_comesOffEveryHopItsRouteDoesNotServe() throws Exception {
    AgentBridge bridge = bridge("profiles", "plain", "plain.hosts", "plain.example.com", "plain.dpop", "false");
    Decision served = bridge.decide("https", "api.example.com", -1, "/", "GET", true);
    String proof = value(served, "DPoP");

    Decision other = bridge.decide("https", "other.example.org", -1, "/", "GET", true);
    Decision plain = bridge.decide("https", "plain.example.com", -1, "/", "GET", true);

    assertThat(other.removes(index(other, "DPoP"), proof)).isTrue();
    assertThat(other.removes(index(other, "Authorization"), "DPoP " + TOKEN)).isTrue();
    assertThat(plain.removes(index(plain, "DPoP"), proof)).isTrue();
    assertThat(value(plain, "Authorization")).isEqualTo("Bearer " + TOKEN);
    // an application's own DPoP header (another key's proof) is not the agent's to take
    String foreign = io.upstreamoauth.agent.dpop.DpopKey.generate("ES256").proof("GET", "https://other.example.org/", null, null, 1);
    assertThat(other.removes(index(other, "DPoP"), foreign)).isFalse();
  }

  @Test
  void bearerAnswer_failsByDefault_orIsUsedAsBearer() throws Exception {
    idp.resetAll();
    issue("Bearer");

    Decision refused = bridge().decide("https", "api.example.com", -1, "/", "GET", true);
    assertThat(refused.action()).isEqualTo(Decision.FAIL);
    assertThat(refused.failure()).hasMessageContaining("issued a Bearer token although the request carried a DPoP proof");
    assertThat(log.toString()).contains("not bound to the key");

    Decision used = bridge("dpop-unbound-token", "use-as-bearer").decide("https", "api.example.com", -1, "/", "GET", true);
    assertThat(value(used, "Authorization")).isEqualTo("Bearer " + TOKEN);
    assertThat(value(used, "DPoP")).as("no proof for a Bearer token").isNull();
  }

  @Test
  void redisWithoutAKeyFile_isRefusedNamingTheKeys() {
    Map<String, String> properties = properties("cache.strategy", "redis");

    ConfigException e =
        org.assertj.core.api.Assertions.catchThrowableOfType(ConfigException.class, () -> ConfigLoader.load(properties, Map.of(), null));

    assertThat(e.getMessage())
        .contains("upstream.oauth.dpop-key-file: is required with upstream.oauth.dpop=true and upstream.oauth.cache.strategy=redis");
  }

  private static AgentBridge bridge(String... keyValues) throws Exception {
    return AgentBridges.create(ConfigLoader.load(properties(keyValues), Map.of(), null), Clock.SYSTEM);
  }

  private static Map<String, String> properties(String... keyValues) {
    Map<String, String> properties = new HashMap<>();
    properties.put("upstream.oauth.hosts", "api.example.com");
    properties.put("upstream.oauth.token-endpoint", "http://127.0.0.1:" + idp.port() + "/token");
    properties.put("upstream.oauth.client-id", "orders");
    properties.put("upstream.oauth.client-secret", "dpop-secret-0123");
    properties.put("upstream.oauth.dpop", "true");
    for (int i = 0; i < keyValues.length; i += 2) {
      properties.put("upstream.oauth." + keyValues[i], keyValues[i + 1]);
    }
    return properties;
  }
}
