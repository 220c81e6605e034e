package io.upstreamoauth.it.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.net.URI;
import java.util.Map;

/**
 * Proves a token came from the Keycloak under test, not from something that merely looks like
 * an IdP: its signature checks out against the realm's published keys, and Keycloak itself
 * says, by RFC 7662 introspection to the upstream API's client, that it is active and was issued
 * to the expected client.
 */
final class RealToken {

  final JWTClaimsSet claims;
  final Map<String, Object> introspection;

  private RealToken(JWTClaimsSet claims, Map<String, Object> introspection) {
    this.claims = claims;
    this.introspection = introspection;
  }

  static RealToken verify(E2eRealm realm, String token, String clientId) throws Exception {
    SignedJWT jwt = SignedJWT.parse(token);
    JWKSet keys = JWKSet.load(URI.create(realm.jwksUri()).toURL(), 5_000, 5_000, 0);
    JWK key = keys.getKeyByKeyId(jwt.getHeader().getKeyID());
    assertThat(key).as("realm key %s", jwt.getHeader().getKeyID()).isNotNull();
    // Keycloak signs access tokens with the realm's RS256 key unless told otherwise
    assertThat(jwt.verify(new RSASSAVerifier(key.toRSAKey()))).as("signature").isTrue();

    JWTClaimsSet claims = jwt.getJWTClaimsSet();
    assertThat(claims.getIssuer()).isEqualTo(realm.issuer());
    // azp: the client the token was issued to (for client_credentials and password alike)
    assertThat(claims.getStringClaim("azp")).isEqualTo(clientId);
    assertThat(claims.getExpirationTime()).isInTheFuture();
    assertThat(claims.getAudience()).contains(E2eRealm.API_CLIENT);

    Map<String, Object> introspection =
        realm.admin.introspect(E2eRealm.NAME, E2eRealm.API_CLIENT, realm.apiSecret, token);
    assertThat(introspection).as("introspection").containsEntry("active", true).containsEntry("azp", clientId);
    return new RealToken(claims, introspection);
  }
}
