package io.upstreamoauth.it.e2e;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The realm every e2e test uses, created through the admin REST API of a fresh {@link
 * KeycloakServer}: one client per client authentication method, a user for the password grant,
 * and the upstream API's own client, which introspects tokens. Keys and secrets are made here,
 * for this run only.
 */
public final class E2eRealm implements AutoCloseable {

  static final String NAME = "e2e";
  /** client_secret_basic and client_secret_post: Keycloak's "client-secret" authenticator takes both. */
  static final String SECRET_CLIENT = "secret-client";
  /** ':' '%' '+' '/' '&' '=': what a Basic header must form-encode (RFC 6749 §2.3.1). */
  static final String SECRET = "s3cr:et%+/&x=y";
  static final String SECRET_JWT_CLIENT = "secret-jwt-client";
  static final String RSA_CLIENT = "rsa-key-jwt-client";
  static final String RSA_KID = "e2e-rsa";
  static final String EC_CLIENT = "ec-key-jwt-client";
  static final String PASSWORD_CLIENT = "password-client";
  /** Issues only DPoP-bound tokens (RFC 9449; Keycloak's {@code dpop.bound.access.tokens}). */
  static final String DPOP_CLIENT = "dpop-client";
  static final String USER = "alice";
  static final String USER_PASSWORD = "p@ss: w+rd%/&";
  /** The resource server: in every token's audience, and the client that introspects tokens. */
  static final String API_CLIENT = "upstream-api";

  /**
   * Puts the API in the token's aud. Keycloak newer than 26.4, such as 26.7.3 (the pom's
   * keycloak.version), answers introspection with {"active":false} for a client not in the
   * audience ("Client ... is not in the token audience").
   */
  private static final Map<String, Object> API_AUDIENCE = Map.of(
      "name", "upstream-api-audience",
      "protocol", "openid-connect",
      "protocolMapper", "oidc-audience-mapper",
      "config", Map.of("included.client.audience", API_CLIENT, "access.token.claim", "true",
          "id.token.claim", "false", "introspection.token.claim", "true"));

  final KeycloakServer server;
  final KeycloakAdmin admin;
  /** HS256 needs a secret of at least 256 bits. */
  final String jwtSecret = randomSecret(48);
  final String apiSecret = randomSecret(32);
  /** PEM PKCS#8; the agent is told the key id. */
  final Path rsaKeyPem;
  /** A private JWK, key id inside. */
  final Path ecKeyJwk;

  private E2eRealm(KeycloakServer server, Path keyDir) throws JOSEException, IOException, InterruptedException {
    this.server = server;
    this.admin = new KeycloakAdmin(server.url());
    Files.createDirectories(keyDir);
    RSAKey rsa = new RSAKeyGenerator(2048).keyID(RSA_KID).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.RS256).generate();
    ECKey ec = new ECKeyGenerator(Curve.P_256).keyID("e2e-ec").keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.ES256).generate();
    rsaKeyPem = keyDir.resolve("rsa-private-key.pem");
    Files.writeString(rsaKeyPem, pem(rsa.toPrivateKey().getEncoded()));
    ecKeyJwk = keyDir.resolve("ec-private-key.jwk.json");
    Files.writeString(ecKeyJwk, ec.toJSONString());
    provision(rsa, ec);
  }

  /** Starts Keycloak and creates the realm; stops Keycloak again if that fails. */
  static E2eRealm create() throws Exception {
    KeycloakServer server = KeycloakServer.start();
    try {
      return new E2eRealm(server, Path.of(System.getProperty("keycloak.work.dir", "target/keycloak-run"), "keys"));
    } catch (Exception | Error e) {
      server.close();
      throw new IllegalStateException("cannot set up the realm; Keycloak's log: " + server.log(), e);
    }
  }

  String issuer() {
    return server.url() + "/realms/" + NAME;
  }

  String tokenEndpoint() {
    return issuer() + "/protocol/openid-connect/token";
  }

  String jwksUri() {
    return issuer() + "/protocol/openid-connect/certs";
  }

  private void provision(RSAKey rsa, ECKey ec) throws IOException, InterruptedException {
    // events on, so tests can count the token requests Keycloak served (CLIENT_LOGIN, LOGIN)
    admin.createRealm(Map.of("realm", NAME, "enabled", true, "eventsEnabled", true));
    admin.create(NAME, "clients", confidential(SECRET_CLIENT, "client-secret", SECRET, Map.of()));
    admin.create(NAME, "clients", confidential(SECRET_JWT_CLIENT, "client-secret-jwt", jwtSecret,
        Map.of("token.endpoint.auth.signing.alg", "HS256")));
    admin.create(NAME, "clients", confidential(RSA_CLIENT, "client-jwt", null, jwks(rsa, "RS256")));
    admin.create(NAME, "clients", confidential(EC_CLIENT, "client-jwt", null, jwks(ec, "ES256")));
    admin.create(NAME, "clients", confidential(DPOP_CLIENT, "client-secret", SECRET,
        Map.of("dpop.bound.access.tokens", "true")));
    Map<String, Object> api = confidential(API_CLIENT, "client-secret", apiSecret, Map.of());
    api.put("serviceAccountsEnabled", false);
    admin.create(NAME, "clients", api);
    admin.create(NAME, "clients", Map.of(
        "clientId", PASSWORD_CLIENT, "publicClient", true, "directAccessGrantsEnabled", true, "standardFlowEnabled", false,
        "protocolMappers", List.of(API_AUDIENCE)));
    // Keycloak 24+'s user profile wants email, first and last name; without them the password
    // grant fails with "Account is not fully set up"
    admin.create(NAME, "users", Map.of(
        "username", USER, "enabled", true, "email", USER + "@example.org", "emailVerified", true,
        "firstName", "Alice", "lastName", "Example",
        "credentials", List.of(Map.of("type", "password", "value", USER_PASSWORD, "temporary", false))));
  }

  /** A confidential client that gets tokens for itself (service account, client_credentials). */
  private static Map<String, Object> confidential(
      String clientId, String authenticator, String secret, Map<String, String> attributes) {
    Map<String, Object> client = new HashMap<>();
    client.put("clientId", clientId);
    client.put("publicClient", false);
    client.put("clientAuthenticatorType", authenticator);
    client.put("serviceAccountsEnabled", true);
    client.put("standardFlowEnabled", false);
    client.put("attributes", attributes);
    client.put("protocolMappers", List.of(API_AUDIENCE));
    if (secret != null) {
      client.put("secret", secret);
    }
    return client;
  }

  /** "client-jwt" with the public key given inline as a JWKS, instead of a certificate or JWKS URL. */
  private static Map<String, String> jwks(JWK key, String alg) {
    return Map.of(
        "use.jwks.url", "false",
        "use.jwks.string", "true",
        "jwks.string", new JWKSet(key.toPublicJWK()).toString(),
        "token.endpoint.auth.signing.alg", alg);
  }

  private static String pem(byte[] der) {
    String base64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
    return "-----BEGIN PRIVATE KEY-----\n" + base64 + "\n-----END PRIVATE KEY-----\n";
  }

  private static String randomSecret(int length) {
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    SecureRandom random = new SecureRandom();
    StringBuilder secret = new StringBuilder();
    for (int i = 0; i < length; i++) {
      secret.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return secret.toString();
  }

  @Override
  public void close() {
    server.close();
  }
}
