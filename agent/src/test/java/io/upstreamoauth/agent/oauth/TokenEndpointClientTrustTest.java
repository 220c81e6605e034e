package io.upstreamoauth.agent.oauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.upstreamoauth.agent.config.OAuthSettings;
import io.upstreamoauth.agent.testing.ScriptedIdp;
import io.upstreamoauth.agent.testing.TestPki;
import io.upstreamoauth.agent.tls.TlsContexts;
import io.upstreamoauth.agent.tls.TlsMaterial;
import io.upstreamoauth.agent.util.Clock;
import java.net.URI;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import javax.net.ssl.HostnameVerifier;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The token request trusts only what the agent is configured to trust, whatever the application
 * made the JVM's TLS defaults: here it trusts everything, as legacy apps do with
 * {@code SSLContext.setDefault}, {@code HttpsURLConnection.setDefaultSSLSocketFactory} and
 * {@code setDefaultHostnameVerifier((h, s) -> true)}. Real TLS servers with certificates made for
 * the run; a refused server must not see the request (nor the secret in it) at all.
 */
class TokenEndpointClientTrustTest {

  private static final String SECRET = "trust-test-secret-value";
  private static final String PASSWORD = "changeit";

  @TempDir static Path dir;
  @TempDir static Path rogueDir;
  private static TestPki pki;
  private static ScriptedIdp trusted; // localhost, issued by the test CA
  private static ScriptedIdp elsewhere; // issued by the test CA, but for another host name
  private static ScriptedIdp rogue; // localhost, issued by a CA nobody trusts

  private SSLContext appDefaultContext;
  private SSLSocketFactory appDefaultFactory;
  private HostnameVerifier appDefaultVerifier;
  private String trustStore;
  private String trustStorePassword;
  private String trustStoreType;

  @BeforeAll
  static void startIdps() throws Exception {
    pki = TestPki.create(dir);
    pki.issue("idp", "localhost", "subjectAltName=DNS:localhost,IP:127.0.0.1");
    pki.issue("elsewhere", "idp.elsewhere.example", "subjectAltName=DNS:idp.elsewhere.example");
    pki.run("keytool", "-importcert", "-noprompt", "-alias", "ca", "-file", "ca.pem", "-keystore", "trust.p12",
        "-storetype", "PKCS12", "-storepass", PASSWORD);
    TestPki roguePki = TestPki.create(rogueDir);
    roguePki.issue("idp", "localhost", "subjectAltName=DNS:localhost,IP:127.0.0.1");
    trusted = ScriptedIdp.tls(serverContext(pki, "idp"), 100);
    elsewhere = ScriptedIdp.tls(serverContext(pki, "elsewhere"), 100);
    rogue = ScriptedIdp.tls(serverContext(roguePki, "idp"), 100);
  }

  @AfterAll
  static void stopIdps() throws Exception {
    trusted.close();
    elsewhere.close();
    rogue.close();
  }

  @BeforeEach
  void rememberJvmDefaults() throws Exception {
    appDefaultContext = SSLContext.getDefault();
    appDefaultFactory = HttpsURLConnection.getDefaultSSLSocketFactory();
    appDefaultVerifier = HttpsURLConnection.getDefaultHostnameVerifier();
    trustStore = System.getProperty("javax.net.ssl.trustStore");
    trustStorePassword = System.getProperty("javax.net.ssl.trustStorePassword");
    trustStoreType = System.getProperty("javax.net.ssl.trustStoreType");
    trusted.requests().clear();
    elsewhere.requests().clear();
    rogue.requests().clear();
  }

  @AfterEach
  void restoreJvmDefaults() {
    SSLContext.setDefault(appDefaultContext);
    HttpsURLConnection.setDefaultSSLSocketFactory(appDefaultFactory);
    HttpsURLConnection.setDefaultHostnameVerifier(appDefaultVerifier);
    restore("javax.net.ssl.trustStore", trustStore);
    restore("javax.net.ssl.trustStorePassword", trustStorePassword);
    restore("javax.net.ssl.trustStoreType", trustStoreType);
  }

  @Test
  void fetch_appTrustsEverything_untrustedIdp_isRefusedBeforeTheSecretIsSent() throws Exception {
    appTrustsEverything();

    TokenFetchException e = catchThrowableOfType(TokenFetchException.class, () -> client(rogue, true, null).fetch());

    assertThat(e.kind()).isEqualTo(TokenFetchException.Kind.CONFIGURATION);
    assertThat(e.getMessage()).contains("TLS handshake failed").doesNotContain(SECRET);
    assertThat(rogue.connections()).isPositive();
    assertThat(rogue.requests()).as("HTTP requests the untrusted IdP read").isEmpty();
  }

  @Test
  void fetch_appTrustsEveryHostName_certificateForAnotherHost_isRefused() throws Exception {
    appTrustsEverything();

    // the CA is trusted (ca-file); the certificate names idp.elsewhere.example, not localhost
    TokenFetchException e =
        catchThrowableOfType(TokenFetchException.class, () -> client(elsewhere, true, pki.file("ca.pem")).fetch());

    assertThat(e.kind()).isEqualTo(TokenFetchException.Kind.CONFIGURATION);
    assertThat(e.getMessage()).contains("TLS handshake failed");
    assertThat(elsewhere.requests()).isEmpty();
  }

  @Test
  void fetch_jvmTrustStoreProperty_isHonoured_althoughTheAppSetTheDefaultsFirst() throws Exception {
    System.setProperty("javax.net.ssl.trustStore", pki.file("trust.p12"));
    System.setProperty("javax.net.ssl.trustStorePassword", PASSWORD);
    System.setProperty("javax.net.ssl.trustStoreType", "PKCS12");
    appTrustsEverything(); // before the agent's first TLS context is made

    assertThat(client(trusted, true, null).fetch().accessToken()).isEqualTo(ScriptedIdp.TOKEN);
    TokenFetchException e = catchThrowableOfType(TokenFetchException.class, () -> client(rogue, true, null).fetch());
    assertThat(e.getMessage()).contains("TLS handshake failed");
    assertThat(rogue.requests()).isEmpty();
  }

  @Test
  void fetch_caFile_trustsItsCaAndNoOther_whateverTheApp() throws Exception {
    appTrustsEverything();

    assertThat(client(trusted, true, pki.file("ca.pem")).fetch().accessToken()).isEqualTo(ScriptedIdp.TOKEN);
    assertThat(trusted.requests()).singleElement().asString().contains("POST /token");
    catchThrowableOfType(TokenFetchException.class, () -> client(rogue, true, pki.file("ca.pem")).fetch());
    assertThat(rogue.requests()).isEmpty();
  }

  @Test
  void fetch_appSetsDefaultsAfterTheFirstRequest_changesNothing() throws Exception {
    TokenEndpointClient client = client(rogue, true, null);
    catchThrowableOfType(TokenFetchException.class, client::fetch);

    appTrustsEverything();

    TokenFetchException e = catchThrowableOfType(TokenFetchException.class, client::fetch);
    assertThat(e.getMessage()).contains("TLS handshake failed");
    assertThat(rogue.requests()).isEmpty();
  }

  @Test
  void fetch_sslVerifyFalse_acceptsAnyCertificateAndHostName() throws Exception {
    assertThat(client(rogue, false, null).fetch().accessToken()).isEqualTo(ScriptedIdp.TOKEN);
    assertThat(client(elsewhere, false, null).fetch().accessToken()).isEqualTo(ScriptedIdp.TOKEN);
  }

  @Test
  void fetch_caFileGoneSinceStartUp_isAConfigurationError() throws Exception {
    Path copy = dir.resolve("ca-copy.pem");
    java.nio.file.Files.copy(Path.of(pki.file("ca.pem")), copy);
    TokenEndpointClient client = client(trusted, true, copy.toString());
    java.nio.file.Files.delete(copy);

    TokenFetchException e = catchThrowableOfType(TokenFetchException.class, client::fetch);

    assertThat(e.kind()).isEqualTo(TokenFetchException.Kind.CONFIGURATION);
    assertThat(e.getMessage()).contains("cannot set up TLS").contains("ca-copy.pem");
    assertThat(trusted.connections()).isZero();
  }

  // ---- plumbing

  private static TokenEndpointClient client(ScriptedIdp idp, boolean verify, String caFile) {
    OAuthSettings settings =
        OAuthSettings.builder()
            .tokenEndpoint(URI.create(idp.tokenEndpoint()))
            .clientId("orders-service")
            .clientSecret(SECRET)
            .timeoutMillis(30_000)
            .tls(verify, caFile)
            .build();
    return new TokenEndpointClient(settings, Clock.SYSTEM);
  }

  /** What legacy applications do to get rid of certificate errors: all three JVM-wide defaults. */
  private static void appTrustsEverything() throws Exception {
    SSLContext trustAll = SSLContext.getInstance("TLS");
    trustAll.init(null, new TrustManager[] {new TrustAllManager()}, null);
    SSLContext.setDefault(trustAll);
    HttpsURLConnection.setDefaultSSLSocketFactory(trustAll.getSocketFactory());
    HttpsURLConnection.setDefaultHostnameVerifier((host, session) -> true);
  }

  private static SSLContext serverContext(TestPki pki, String name) throws Exception {
    return TlsContexts.create(TlsMaterial.trust(false, null).withClientCertificate(pki.file(name + ".pem"), pki.file(name + ".key")));
  }

  private static void restore(String property, String value) {
    if (value == null) {
      System.clearProperty(property);
    } else {
      System.setProperty(property, value);
    }
  }

  private static final class TrustAllManager implements X509TrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
