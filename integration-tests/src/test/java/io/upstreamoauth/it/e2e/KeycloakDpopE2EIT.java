package io.upstreamoauth.it.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.upstreamoauth.it.support.AppRun;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * DPoP (RFC 9449) against Keycloak's own checks: a client Keycloak only gives DPoP-bound tokens
 * ({@code dpop.bound.access.tokens}) gets one through the agent, bound ({@code cnf.jkt}) to the
 * agent's key; every call upstream carries {@code Authorization: DPoP} and a proof of that call;
 * and Keycloak's userinfo endpoint, a resource server that enforces DPoP, accepts the token with a
 * proof made with that key and refuses it without one, or with a proof of another key.
 */
class KeycloakDpopE2EIT extends AbstractKeycloakE2EIT {

  static final int CALLS = 6;
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  @TempDir Path dir;

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void dpopBoundToken_keycloakBindsItToTheAgentsKey_andAcceptsItOnlyWithAProofOfThatKey(Path jdk) throws Exception {
    ECKey key = new ECKeyGenerator(Curve.P_256).keyID("agent-dpop").generate();
    Path keyFile = dir.resolve("dpop-key.jwk.json");
    Files.writeString(keyFile, key.toJSONString());
    String thumbprint = key.computeThumbprint().toString();
    int tokensBefore = realm.admin.countEvents(E2eRealm.NAME, E2eRealm.DPOP_CLIENT, "CLIENT_LOGIN");

    AppRun run =
        app(jdk, "java-http-client", E2eRealm.DPOP_CLIENT)
            .oauth("client-secret", E2eRealm.SECRET)
            .oauth("scopes", "openid")
            .oauth("dpop", true)
            .oauth("dpop-key-file", keyFile)
            .run("--url", upstreamUrl(), "--count", "" + CALLS, "--threads", "3");

    assertThat(run.ok()).as(run.toString()).isEqualTo(CALLS);
    assertThat(realm.admin.countEvents(E2eRealm.NAME, E2eRealm.DPOP_CLIENT, "CLIENT_LOGIN") - tokensBefore)
        .as("one token request for every call").isEqualTo(1);

    // what the upstream saw: one bound token, a new proof of exactly this call each time
    List<LoggedRequest> requests = upstreamRequests();
    assertThat(requests).hasSize(CALLS);
    String authorization = requests.get(0).getHeader("Authorization");
    assertThat(authorization).startsWith("DPoP ");
    String token = authorization.substring("DPoP ".length());
    Set<String> jtis = new HashSet<>();
    for (LoggedRequest request : requests) {
      assertThat(request.getHeader("Authorization")).isEqualTo(authorization);
      SignedJWT proof = SignedJWT.parse(request.getHeader("DPoP"));
      assertThat(proof.getHeader().getType()).isEqualTo(new JOSEObjectType("dpop+jwt"));
      assertThat(proof.getHeader().getJWK().computeThumbprint().toString()).isEqualTo(thumbprint);
      assertThat(proof.verify(new ECDSAVerifier(proof.getHeader().getJWK().toECKey()))).isTrue();
      JWTClaimsSet claims = proof.getJWTClaimsSet();
      assertThat(claims.getStringClaim("htm")).isEqualTo("GET");
      assertThat(claims.getStringClaim("htu")).isEqualTo(upstreamUrl());
      assertThat(claims.getStringClaim("ath")).isEqualTo(ath(token));
      jtis.add(claims.getJWTID());
    }
    assertThat(jtis).as("never a proof twice").hasSize(CALLS);
    assertThat(run.stderr()).doesNotContain(token);

    // Keycloak bound the token to the agent's key, and says it is real
    RealToken real = RealToken.verify(realm, token, E2eRealm.DPOP_CLIENT);
    @SuppressWarnings("unchecked")
    Map<String, Object> cnf = (Map<String, Object>) real.claims.getClaim("cnf");
    assertThat(cnf).as("cnf of the token").containsEntry("jkt", thumbprint);

    // Keycloak's userinfo endpoint enforces the binding
    String userinfo = realm.issuer() + "/protocol/openid-connect/userinfo";
    HttpResponse<String> withProof = userinfo(userinfo, "DPoP " + token, proof(key, userinfo, token));
    assertThat(withProof.statusCode()).as(withProof.body()).isEqualTo(200);
    assertThat(withProof.body()).contains("\"sub\"");
    assertThat(userinfo(userinfo, "DPoP " + token, null).statusCode()).as("no proof").isEqualTo(401);
    assertThat(userinfo(userinfo, "Bearer " + token, null).statusCode()).as("as a Bearer token").isEqualTo(401);
    ECKey stranger = new ECKeyGenerator(Curve.P_256).generate();
    assertThat(userinfo(userinfo, "DPoP " + token, proof(stranger, userinfo, token)).statusCode())
        .as("a proof of another key").isEqualTo(401);
  }

  private static HttpResponse<String> userinfo(String url, String authorization, String proof) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
        .header("Authorization", authorization);
    if (proof != null) {
      request.header("DPoP", proof);
    }
    return HTTP.send(request.GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  /** A proof the test makes itself, as a client library would (RFC 9449 §4.2). */
  private static String proof(ECKey key, String htu, String token) throws Exception {
    SignedJWT jwt = new SignedJWT(
        new JWSHeader.Builder(JWSAlgorithm.ES256).type(new JOSEObjectType("dpop+jwt")).jwk(key.toPublicJWK()).build(),
        new JWTClaimsSet.Builder()
            .jwtID(UUID.randomUUID().toString())
            .claim("htm", "GET")
            .claim("htu", htu)
            .issueTime(new Date())
            .claim("ath", ath(token))
            .build());
    jwt.sign(new ECDSASigner(key));
    return jwt.serialize();
  }

  private static String ath(String token) throws Exception {
    return Base64.getUrlEncoder().withoutPadding()
        .encodeToString(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII)));
  }
}
