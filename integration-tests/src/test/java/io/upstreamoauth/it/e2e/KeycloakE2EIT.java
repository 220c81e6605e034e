package io.upstreamoauth.it.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.upstreamoauth.it.support.AgentApp;
import io.upstreamoauth.it.support.AppRun;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The unchanged test apps, with the real agent jar, get their tokens from a real Keycloak, one
 * client authentication method (or grant) per test, both JDK clients across them, on every JDK
 * of e2e.java.homes. Each test
 * proves: every call succeeded and carried the same Bearer token, Keycloak served exactly one
 * token request for all of them, and the token is real (signature and introspection).
 */
class KeycloakE2EIT extends AbstractKeycloakE2EIT {

  static final int CALLS = 20;

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void clientSecretBasic_secretWithReservedCharacters(Path jdk) throws Exception {
    AgentApp app = app(jdk, "http-url-connection", E2eRealm.SECRET_CLIENT).oauth("client-secret", E2eRealm.SECRET);
    callAndVerify(app, E2eRealm.SECRET_CLIENT, "CLIENT_LOGIN");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void clientSecretPost_async(Path jdk) throws Exception {
    AgentApp app =
        app(jdk, "java-http-client", E2eRealm.SECRET_CLIENT)
            .oauth("auth-method", "client_secret_post")
            .oauth("client-secret", E2eRealm.SECRET);
    callAndVerify(app, E2eRealm.SECRET_CLIENT, "CLIENT_LOGIN", "--async");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void clientSecretJwt_hs256(Path jdk) throws Exception {
    AgentApp app =
        app(jdk, "http-url-connection", E2eRealm.SECRET_JWT_CLIENT)
            .oauth("auth-method", "client_secret_jwt")
            .oauth("client-secret-jwt-alg", "HS256")
            .oauth("client-secret", realm.jwtSecret);
    callAndVerify(app, E2eRealm.SECRET_JWT_CLIENT, "CLIENT_LOGIN");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void privateKeyJwt_rsaPemKey_rs256(Path jdk) throws Exception {
    AgentApp app =
        app(jdk, "java-http-client", E2eRealm.RSA_CLIENT)
            .oauth("auth-method", "private_key_jwt")
            .oauth("private-key-file", realm.rsaKeyPem)
            .oauth("private-key-alg", "RS256")
            .oauth("private-key-id", E2eRealm.RSA_KID);
    callAndVerify(app, E2eRealm.RSA_CLIENT, "CLIENT_LOGIN", "--method", "POST", "--body", "order=1");
    assertThat(upstreamRequests()).allSatisfy(request -> assertThat(request.getBodyAsString()).isEqualTo("order=1"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void privateKeyJwt_ecJwkKey_es256(Path jdk) throws Exception {
    // the key id comes from the JWK file; Keycloak picks the client's key by it
    AgentApp app =
        app(jdk, "http-url-connection", E2eRealm.EC_CLIENT)
            .oauth("auth-method", "private_key_jwt")
            .oauth("private-key-file", realm.ecKeyJwk)
            .oauth("private-key-alg", "ES256");
    callAndVerify(app, E2eRealm.EC_CLIENT, "CLIENT_LOGIN");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void passwordGrant_publicClient(Path jdk) throws Exception {
    AgentApp app =
        app(jdk, "java-http-client", E2eRealm.PASSWORD_CLIENT)
            .oauth("grant-type", "password")
            .oauth("auth-method", "none")
            .oauth("username", E2eRealm.USER)
            .oauth("password", E2eRealm.USER_PASSWORD);
    // Keycloak records a password grant as LOGIN, not CLIENT_LOGIN
    RealToken token = callAndVerify(app, E2eRealm.PASSWORD_CLIENT, "LOGIN");
    assertThat(token.claims.getStringClaim("preferred_username")).isEqualTo(E2eRealm.USER);
    assertThat(token.introspection).containsEntry("username", E2eRealm.USER);
  }

  /** Runs {@link #CALLS} calls on 4 threads and checks what the upstream and Keycloak saw. */
  static RealToken callAndVerify(AgentApp app, String clientId, String eventType, String... extraArgs)
      throws Exception {
    int tokensBefore = realm.admin.countEvents(E2eRealm.NAME, clientId, eventType);
    List<String> args = new ArrayList<>(List.of("--url", upstreamUrl(), "--count", "" + CALLS, "--threads", "4"));
    args.addAll(List.of(extraArgs));

    AppRun run = app.run(args.toArray(new String[0]));

    assertThat(run.ok()).as(run.toString()).isEqualTo(CALLS);
    List<String> authorizations =
        upstreamRequests().stream()
            .map(request -> request.containsHeader("Authorization") ? request.getHeader("Authorization") : "<none>")
            .collect(Collectors.toList());
    assertThat(authorizations).hasSize(CALLS).allMatch(value -> value.startsWith("Bearer "));
    assertThat(authorizations.stream().distinct()).as("one token for all calls").hasSize(1);
    // Keycloak's own record (realm events): one token request served for all the calls
    assertThat(realm.admin.countEvents(E2eRealm.NAME, clientId, eventType) - tokensBefore).isEqualTo(1);
    String token = authorizations.get(0).substring("Bearer ".length());
    assertThat(run.stderr()).doesNotContain(token);
    return RealToken.verify(realm, token, clientId);
  }
}
