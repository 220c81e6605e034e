package io.upstreamoauth.it.e2e;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.upstreamoauth.it.support.AgentApp;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What every e2e test class shares: the realm on the one Keycloak of this run, and a protected
 * upstream on WireMock in this JVM that records what arrived. The test apps run in forked JVMs
 * with the real agent jar, configured for the upstream's host and Keycloak's token endpoint.
 */
@ExtendWith(KeycloakExtension.class)
abstract class AbstractKeycloakE2EIT {

  protected static E2eRealm realm;
  protected static WireMockServer upstream;

  @BeforeAll
  static void startUpstream(E2eRealm e2eRealm) {
    realm = e2eRealm;
    upstream = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
    upstream.start();
  }

  @AfterAll
  static void stopUpstream() {
    if (upstream != null) {
      upstream.stop();
      upstream = null;
    }
  }

  @BeforeEach
  void resetUpstream() {
    upstream.resetAll();
    upstream.stubFor(any(urlPathMatching("/api/.*")).willReturn(aResponse().withStatus(200).withBody("ok")));
  }

  /** The JDKs the apps run on (e2e.java.homes): the source of every e2e test's JDK parameter. */
  static List<Arguments> jdks() {
    return E2eJdks.homes().stream().map(home -> Arguments.of(Named.of(E2eJdks.describe(home), home)))
        .collect(Collectors.toList());
  }

  /** A test app with the agent, on {@code jdk}, set up for one of the realm's clients. */
  protected static AgentApp app(Path jdk, String app, String clientId) {
    return AgentApp.of(app)
        .javaHome(jdk)
        .oauth("hosts", "localhost:" + upstream.port())
        .oauth("token-endpoint", realm.tokenEndpoint())
        .oauth("client-id", clientId);
  }

  protected static String upstreamUrl() {
    return "http://localhost:" + upstream.port() + "/api/orders";
  }

  protected static List<LoggedRequest> upstreamRequests() {
    return upstream.findAll(anyRequestedFor(urlPathMatching(".*")));
  }
}
