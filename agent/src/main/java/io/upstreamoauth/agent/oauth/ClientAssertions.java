package io.upstreamoauth.agent.oauth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.upstreamoauth.agent.config.AuthMethod;
import io.upstreamoauth.agent.config.OAuthSettings;
import java.nio.charset.StandardCharsets;
import java.security.interfaces.ECPrivateKey;
import java.util.Date;
import java.util.UUID;

/**
 * Builds JWT client assertions for client_secret_jwt and private_key_jwt (RFC 7523 §2.2, OIDC Core
 * §9): iss = sub = client id, aud = the token endpoint (or {@code assertion-audience}), a short
 * exp, iat, and a fresh jti for every request, because servers reject a replayed jti.
 */
final class ClientAssertions {

  /** RFC 7523 §2.2. */
  static final String ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

  private static final long LIFETIME_MILLIS = 60_000;

  private final OAuthSettings settings;
  private final JWSSigner signer;
  private final JWSAlgorithm algorithm;

  ClientAssertions(OAuthSettings settings) {
    this.settings = settings;
    try {
      if (settings.authMethod() == AuthMethod.CLIENT_SECRET_JWT) {
        this.algorithm = JWSAlgorithm.parse(settings.clientSecretJwtAlg());
        this.signer = new MACSigner(settings.clientSecret().getBytes(StandardCharsets.UTF_8));
      } else {
        this.algorithm = JWSAlgorithm.parse(settings.privateKeyAlg());
        this.signer =
            settings.privateKey() instanceof ECPrivateKey
                ? new ECDSASigner((ECPrivateKey) settings.privateKey())
                : new RSASSASigner(settings.privateKey());
      }
    } catch (JOSEException e) {
      // the configuration loader checked key sizes and types; this is a bug if it happens
      throw new IllegalStateException("cannot sign client assertions: " + e.getMessage(), e);
    }
  }

  /** Returns a new signed assertion, valid for a minute from {@code nowMillis}. */
  String create(long nowMillis) throws TokenFetchException {
    JWTClaimsSet claims =
        new JWTClaimsSet.Builder()
            .issuer(settings.clientId())
            .subject(settings.clientId())
            .audience(settings.assertionAudience())
            .issueTime(new Date(nowMillis))
            .expirationTime(new Date(nowMillis + LIFETIME_MILLIS))
            .jwtID(UUID.randomUUID().toString())
            .build();
    JWSHeader.Builder header = new JWSHeader.Builder(algorithm).type(JOSEObjectType.JWT);
    if (settings.authMethod() == AuthMethod.PRIVATE_KEY_JWT && settings.privateKeyId() != null) {
      header.keyID(settings.privateKeyId());
    }
    SignedJWT jwt = new SignedJWT(header.build(), claims);
    try {
      jwt.sign(signer);
    } catch (JOSEException e) {
      throw new TokenFetchException(
          "cannot sign the client assertion: " + e.getMessage(),
          TokenFetchException.Kind.CONFIGURATION, -1, null, -1, e);
    }
    return jwt.serialize();
  }
}
