package io.upstreamoauth.agent.oauth;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.upstreamoauth.agent.config.AgentConfig;
import io.upstreamoauth.agent.config.ConfigException;
import io.upstreamoauth.agent.config.ConfigLoader;
import io.upstreamoauth.agent.config.OAuthSettings;
import io.upstreamoauth.agent.testing.TestPki;
import io.upstreamoauth.agent.util.Clock;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Token requests over TLS to an IdP with a private CA, and with mutual TLS (RFC 8705): a real
 * HTTPS WireMock and certificates made with openssl for each run.
 */
class TokenEndpointClientTlsTest {

  private static final String PASSWORD = "changeit";
  private static final String PATH = "/token";

  @TempDir static Path dir;
  private static TestPki pki;
  private static WireMockServer plainTls;
  private static WireMockServer mutualTls;

  @BeforeAll
  static void start() throws Exception {
    pki = TestPki.create(dir);
    pki.issue("server", "localhost", "subjectAltName=DNS:localhost,IP:127.0.0.1");
    pki.issue("client", "orders-service", "extendedKeyUsage=clientAuth");
    pki.openssl("pkcs12", "-export", "-in", "server.pem", "-inkey", "server.key", "-out", "server.p12", "-passout", "pass:" + PASSWORD, "-name", "server");
    pki.run("keytool", "-importcert", "-noprompt", "-alias", "ca", "-file", "ca.pem", "-keystore", "trust.p12", "-storetype", "PKCS12", "-storepass", PASSWORD);
    plainTls = server(false);
    mutualTls = server(true);
  }

  @AfterAll
  static void stop() {
    plainTls.stop();
    mutualTls.stop();
  }

  @Test
  void fetch_caFile_trustsThePrivateCa() throws Exception {
    TokenResponse token = client(plainTls, Map.of("ca-file", file("ca.pem"))).fetch();
    assertThat(token.accessToken()).isEqualTo("tls-token-0123456789");
  }

  @Test
  void fetch_withoutCaFile_failsTheHandshakeAsAConfigurationError() throws Exception {
    TokenFetchException e = catchThrowableOfType(TokenFetchException.class, () -> client(plainTls, Map.of()).fetch());
    assertThat(e.kind()).isEqualTo(TokenFetchException.Kind.CONFIGURATION);
    assertThat(e.getMessage()).contains("TLS handshake failed");
  }

  @Test
  void fetch_sslVerifyFalse_acceptsAnUntrustedServer() throws Exception {
    TokenResponse token = client(plainTls, Map.of("ssl-verify", "false")).fetch();
    assertThat(token.accessToken()).isEqualTo("tls-token-0123456789");
  }

  @Test
  void fetch_tlsClientAuth_presentsTheCertificate_andSendsOnlyClientId() throws Exception {
    Map<String, String> tls = new HashMap<>();
    tls.put("ca-file", file("ca.pem"));
    tls.put("client-cert-file", file("client.pem"));
    tls.put("client-key-file", file("client.key"));
    tls.put("auth-method", "tls_client_auth");
    TokenResponse token = client(mutualTls, tls).fetch();

    assertThat(token.accessToken()).isEqualTo("tls-token-0123456789");
    List<LoggedRequest> requests = mutualTls.findAll(postRequestedFor(urlPathEqualTo(PATH)));
    LoggedRequest last = requests.get(requests.size() - 1);
    assertThat(last.getBodyAsString()).isEqualTo("grant_type=client_credentials&client_id=orders-service");
    assertThat(last.containsHeader("Authorization")).isFalse();
  }

  @Test
  void fetch_mutualTlsServer_withoutClientCertificate_fails() throws Exception {
    TokenFetchException e =
        catchThrowableOfType(TokenFetchException.class, () -> client(mutualTls, Map.of("ca-file", file("ca.pem"))).fetch());
    assertThat(e.getMessage()).contains("token endpoint https://localhost:" + mutualTls.httpsPort());
  }

  @Test
  void load_clientCertificateWithoutKey_namesTheMissingKey() {
    ConfigException e =
        catchThrowableOfType(ConfigException.class, () -> settings(plainTls, Map.of("client-cert-file", file("client.pem"))));
    assertThat(e.problems()).containsExactly("upstream.oauth.client-key-file: is required with upstream.oauth.client-cert-file");
  }

  @Test
  void load_tlsClientAuthWithoutCertificate_isAProblem() {
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> settings(plainTls, Map.of("auth-method", "tls_client_auth")));
    assertThat(e.problems()).anySatisfy(problem -> assertThat(problem).startsWith("upstream.oauth.client-cert-file: is required with auth-method tls_client_auth"));
  }

  @Test
  void load_caFileThatIsNotACertificate_namesTheKey() {
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> settings(plainTls, Map.of("ca-file", file("client.key"))));
    assertThat(e.problems()).singleElement().asString().startsWith("upstream.oauth.ca-file: ");
  }

  @Test
  void cacheKey_tlsClientAuth_changesWithTheCertificate() throws Exception {
    pki.issue("client2", "orders-service", "extendedKeyUsage=clientAuth");
    Map<String, String> first = new HashMap<>(Map.of("client-cert-file", file("client.pem"), "client-key-file", file("client.key"), "auth-method", "tls_client_auth"));
    Map<String, String> second = new HashMap<>(Map.of("client-cert-file", file("client2.pem"), "client-key-file", file("client2.key"), "auth-method", "tls_client_auth"));
    assertThat(settings(plainTls, first).cacheKey()).isNotEqualTo(settings(plainTls, second).cacheKey());
  }

  // ---- plumbing

  private static TokenEndpointClient client(WireMockServer server, Map<String, String> extra) throws ConfigException {
    OAuthSettings settings = settings(server, extra);
    return new TokenEndpointClient(settings, Clock.SYSTEM);
  }

  private static OAuthSettings settings(WireMockServer server, Map<String, String> extra) throws ConfigException {
    Map<String, String> properties = new HashMap<>();
    properties.put("upstream.oauth.hosts", "api.example.com");
    properties.put("upstream.oauth.token-endpoint", "https://localhost:" + server.httpsPort() + PATH);
    properties.put("upstream.oauth.client-id", "orders-service");
    properties.put("upstream.oauth.client-secret", "secret");
    properties.put("upstream.oauth.timeout", "30000");
    extra.forEach((key, value) -> properties.put("upstream.oauth." + key, value));
    AgentConfig config = ConfigLoader.load(properties, Map.of(), null);
    return config.profiles().get(0).oauth();
  }

  private static WireMockServer server(boolean needClientAuth) {
    WireMockServer server =
        new WireMockServer(
            options()
                .httpDisabled(true)
                .dynamicHttpsPort()
                .keystorePath(file("server.p12"))
                .keystorePassword(PASSWORD)
                .keyManagerPassword(PASSWORD)
                .keystoreType("PKCS12")
                .needClientAuth(needClientAuth)
                .trustStorePath(file("trust.p12"))
                .trustStorePassword(PASSWORD)
                .trustStoreType("PKCS12"));
    server.start();
    server.stubFor(
        post(urlPathEqualTo(PATH))
            .willReturn(
                aResponse()
                    .withHeader("Content-Type", "application/json")
                    .withBody("{\"access_token\":\"tls-token-0123456789\",\"token_type\":\"Bearer\",\"expires_in\":60}")));
    return server;
  }

  private static String file(String name) {
    return pki.file(name);
  }
}
