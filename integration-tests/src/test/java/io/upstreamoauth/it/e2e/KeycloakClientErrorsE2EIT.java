package io.upstreamoauth.it.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.upstreamoauth.it.support.AppRun;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** When Keycloak refuses the client, the app gets an IOException that says why, and nothing is sent. */
class KeycloakClientErrorsE2EIT extends AbstractKeycloakE2EIT {

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void wrongClientSecret_appGetsKeycloaksError_andNothingGoesUpstream(Path jdk) throws Exception {
    int failuresBefore = realm.admin.countEvents(E2eRealm.NAME, E2eRealm.SECRET_CLIENT, "CLIENT_LOGIN_ERROR");

    AppRun run =
        app(jdk, "http-url-connection", E2eRealm.SECRET_CLIENT)
            .oauth("client-secret", "wrong-secret")
            .run("--url", upstreamUrl(), "--count", "3", "--threads", "1");

    assertThat(run.errors()).as(run.toString()).isEqualTo(3);
    // RFC 6749 §5.2 says invalid_client; Keycloak 26 answers 401 unauthorized_client, with this text
    assertThat(run.results()).allSatisfy(result -> assertThat(result)
        .startsWith("ERROR java.io.IOException")
        .containsAnyOf("invalid_client", "unauthorized_client")
        .contains("Invalid client or Invalid client credentials")
        .doesNotContain("wrong-secret"));
    assertThat(upstreamRequests()).isEmpty();
    // a credentials error is not retried for every call: Keycloak saw one attempt
    int failures = realm.admin.countEvents(E2eRealm.NAME, E2eRealm.SECRET_CLIENT, "CLIENT_LOGIN_ERROR");
    assertThat(failures - failuresBefore).isEqualTo(1);
  }

  /** Shows the secret really needs RFC 6749 §2.3.1 encoding, so the Basic test's pass means something. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void clientSecretBasic_unencodedSecret_isRejected(Path jdk) throws Exception {
    AppRun run =
        app(jdk, "http-url-connection", E2eRealm.SECRET_CLIENT)
            .oauth("client-secret", E2eRealm.SECRET)
            .oauth("client-secret-basic-encoding", "raw")
            .run("--url", upstreamUrl());

    assertThat(run.errors()).as(run.toString()).isEqualTo(1);
    // Keycloak URL-decodes the Basic credentials; the raw "%+/" fails that
    assertThat(run.results().get(0)).contains("Unexpected error when authenticating client");
    assertThat(upstreamRequests()).isEmpty();
  }
}
