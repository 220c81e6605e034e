package io.upstreamoauth.it.client;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.upstreamoauth.it.support.AgentApp;
import io.upstreamoauth.it.support.AppRun;
import io.upstreamoauth.it.support.FakeIdp;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * DPoP (RFC 9449) on every client: the IdP asks for a nonce and binds the token; every request the
 * client sends to the API carries {@code Authorization: DPoP} and a new proof bound to its method,
 * URI and token; the API asks for a nonce, the client's request goes again with it (where the
 * client can repeat requests); nothing of it reaches another host.
 */
public interface DpopClientTests {

  FakeIdp idp();

  WireMockServer api();

  WireMockServer other();

  AgentApp launch() throws Exception;

  String apiUrl(String path);

  boolean followsRedirects();

  boolean supportsReplay();

  @Test
  default void dpop_everyRequestCarriesANewProofBoundToIt_noncesOfIdpAndApiRoundTrip_nothingToAnotherHost() throws Exception {
    idp().issueTokens(3600, "DPoP");
    // the IdP wants a nonce first (RFC 9449 §8)
    idp().server().stubFor(
        post(urlPathEqualTo(FakeIdp.PATH))
            .atPriority(1)
            .inScenario("idp-nonce")
            .whenScenarioStateIs(Scenario.STARTED)
            .willReturn(
                aResponse()
                    .withStatus(400)
                    .withHeader("DPoP-Nonce", "as-nonce-1")
                    .withHeader("Content-Type", "application/json")
                    .withBody("{\"error\":\"use_dpop_nonce\"}"))
            .willSetStateTo("nonce given"));
    // the API wants one too (§9), and rotates it on the next answer
    api().stubFor(
        any(urlPathEqualTo("/api/nonce"))
            .inScenario("rs-nonce")
            .whenScenarioStateIs(Scenario.STARTED)
            .willReturn(
                aResponse()
                    .withStatus(401)
                    .withHeader("WWW-Authenticate", "DPoP error=\"use_dpop_nonce\", error_description=\"nonce required\"")
                    .withHeader("DPoP-Nonce", "rs-nonce-1"))
            .willSetStateTo("nonce given"));
    api().stubFor(
        any(urlPathEqualTo("/api/nonce"))
            .inScenario("rs-nonce")
            .whenScenarioStateIs("nonce given")
            .willReturn(aResponse().withStatus(200).withHeader("DPoP-Nonce", "rs-nonce-2").withBody("ok")));
    api().stubFor(
        any(urlPathEqualTo("/api/away"))
            .willReturn(aResponse().withStatus(302).withHeader("Location", "http://127.0.0.1:" + other().port() + "/landing")));
    List<String> args = new ArrayList<>(List.of("--url", apiUrl("/api/data?q=1"), "--url", apiUrl("/api/nonce"), "--url", apiUrl("/api/data")));
    if (followsRedirects()) {
      args.addAll(List.of("--url", apiUrl("/api/away")));
    }

    AppRun run = launch().oauth("dpop", true).run(args.toArray(new String[0]));

    // the token request: two, the second with the IdP's nonce
    List<LoggedRequest> tokenRequests = idp().tokenRequests();
    assertThat(tokenRequests).as(run.toString()).hasSize(2);
    String tokenEndpoint = idp().tokenEndpoint();
    JWTClaimsSet tokenProof = verified(tokenRequests.get(1), "POST", tokenEndpoint);
    assertThat(tokenProof.getStringClaim("nonce")).isEqualTo("as-nonce-1");
    assertThat(tokenProof.getClaim("ath")).isNull();
    String token = idp().issued().get(0);
    ECKey key = (ECKey) SignedJWT.parse(tokenRequests.get(1).getHeader("DPoP")).getHeader().getJWK();

    // every request to the API: the bound token and a proof for exactly that request
    List<LoggedRequest> atApi = api().findAll(anyRequestedFor(com.github.tomakehurst.wiremock.client.WireMock.anyUrl()));
    Set<String> jtis = new HashSet<>();
    for (LoggedRequest request : atApi) {
      assertThat(request.getHeader("Authorization")).as(request.getUrl()).isEqualTo("DPoP " + token);
      String path = request.getUrl().replaceAll("\\?.*", "");
      JWTClaimsSet proof = verified(request, request.getMethod().getName(), "http://localhost:" + api().port() + path);
      assertThat(SignedJWT.parse(request.getHeader("DPoP")).getHeader().getJWK().computeThumbprint())
          .as("the key the token is bound to").isEqualTo(key.computeThumbprint());
      assertThat(proof.getStringClaim("ath")).isEqualTo(ath(token));
      jtis.add(proof.getJWTID());
    }
    assertThat(jtis).as("a fresh jti every request").hasSize(atApi.size());

    List<LoggedRequest> nonceRequests = api().findAll(anyRequestedFor(urlPathEqualTo("/api/nonce")));
    if (supportsReplay()) {
      assertThat(run.results()).as(run.toString()).contains("200 ok");
      assertThat(nonceRequests).hasSize(2);
      assertThat(verified(nonceRequests.get(0), "GET", apiUrl("/api/nonce")).getClaim("nonce")).isNull();
      assertThat(verified(nonceRequests.get(1), "GET", apiUrl("/api/nonce")).getStringClaim("nonce")).isEqualTo("rs-nonce-1");
      // and the rotated one on the next request
      assertThat(verified(plainData(), "GET", apiUrl("/api/data")).getStringClaim("nonce")).isEqualTo("rs-nonce-2");
    } else {
      // a client that never repeats a request: the 401 surfaces, the next request has the nonce
      assertThat(nonceRequests).hasSize(1);
      assertThat(verified(plainData(), "GET", apiUrl("/api/data")).getStringClaim("nonce")).isEqualTo("rs-nonce-1");
    }
    assertThat(idp().tokenRequests()).as("the nonce challenge purged nothing").hasSize(2);

    if (followsRedirects()) {
      LoggedRequest landed = other().findAll(anyRequestedFor(urlPathEqualTo("/landing"))).get(0);
      assertThat(landed.containsHeader("DPoP")).as("a proof on another host").isFalse();
      assertThat(landed.containsHeader("Authorization")).isFalse();
    }
    assertThat(run.stderr()).doesNotContain(token);
  }

  /** The request to /api/data without a query: the one after the nonce round trip. */
  private LoggedRequest plainData() {
    return api().findAll(anyRequestedFor(urlPathEqualTo("/api/data"))).stream()
        .filter(request -> request.getUrl().equals("/api/data"))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no request to /api/data"));
  }

  /** Verifies a request's DPoP proof as a resource server would (signature, typ, htm, htu). */
  private static JWTClaimsSet verified(LoggedRequest request, String htm, String htu) throws Exception {
    String proof = request.getHeader("DPoP");
    assertThat(proof).as("DPoP header on " + request.getUrl()).isNotNull();
    SignedJWT jwt = SignedJWT.parse(proof);
    assertThat(jwt.getHeader().getType().toString()).isEqualTo("dpop+jwt");
    assertThat(jwt.getHeader().getJWK().isPrivate()).isFalse();
    assertThat(jwt.verify(new ECDSAVerifier((ECKey) jwt.getHeader().getJWK()))).as("proof signature").isTrue();
    JWTClaimsSet claims = jwt.getJWTClaimsSet();
    assertThat(claims.getStringClaim("htm")).as("htm of " + request.getUrl()).isEqualTo(htm);
    assertThat(claims.getStringClaim("htu")).as("htu of " + request.getUrl()).isEqualTo(htu.replaceAll("\\?.*", ""));
    assertThat(claims.getIssueTime()).isNotNull();
    return claims;
  }

  private static String ath(String token) throws Exception {
    return Base64.getUrlEncoder().withoutPadding()
        .encodeToString(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII)));
  }
}
