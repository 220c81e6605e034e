package io.upstreamoauth.agent.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.upstreamoauth.agent.cache.CachedToken;
import io.upstreamoauth.agent.config.ConfigException;
import io.upstreamoauth.agent.config.ConfigLoader;
import io.upstreamoauth.agent.config.RedisSettings;
import io.upstreamoauth.agent.testing.TestPki;
import io.upstreamoauth.agent.testing.redis.RedisServer;
import java.net.ServerSocket;
import java.nio.file.Path;
import javax.net.ssl.SSLHandshakeException;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * cache.redis.ssl, ssl-verify, server-name and ca-file against a real redis-server serving TLS
 * (its own TLS, with a certificate from a private CA made for the run).
 */
class RedisTlsTest {

  @TempDir static Path dir;
  private static TestPki pki;
  private static RedisServer redis;
  private static int tlsPort;

  @BeforeAll
  static void startRedis() throws Exception {
    pki = TestPki.create(dir);
    pki.issue("redis", "redis.internal", "subjectAltName=DNS:redis.internal,DNS:localhost,IP:127.0.0.1");
    try (ServerSocket probe = new ServerSocket(0)) {
      tlsPort = probe.getLocalPort();
    }
    // the plain port stays for the fixture's own readiness check; the agent uses the TLS port
    redis = RedisServer.start("tls-test",
        "--tls-port", String.valueOf(tlsPort),
        "--tls-cert-file", pki.file("redis.pem"),
        "--tls-key-file", pki.file("redis.key"),
        "--tls-ca-cert-file", pki.file("ca.pem"),
        "--tls-auth-clients", "no");
  }

  @AfterAll
  static void stopRedis() {
    redis.close();
  }

  @Test
  void caFile_verifiesTheServer_andTokensRoundTrip() throws Exception {
    assertRoundTrip(settings("ca-file", pki.file("ca.pem")));
  }

  @Test
  void caFile_withServerName_checksTheCertificateAgainstThatName() throws Exception {
    assertRoundTrip(settings("ca-file", pki.file("ca.pem"), "server-name", "redis.internal"));
  }

  @Test
  void caFile_serverNameTheCertificateDoesNotHold_isRefused() throws Exception {
    assertThat(handshakeFailure(settings("ca-file", pki.file("ca.pem"), "server-name", "cache.example.com")))
        .hasStackTraceContaining("cache.example.com");
  }

  @Test
  void withoutCaFile_theJvmTrustStoreDoesNotKnowThePrivateCa_isRefused() throws Exception {
    assertThat(handshakeFailure(settings()))
        .hasStackTraceContaining("unable to find valid certification path");
  }

  @Test
  void sslVerifyFalse_acceptsTheUnknownCertificate() throws Exception {
    assertRoundTrip(settings("ssl-verify", "false"));
  }

  @Test
  void caFileThatIsNotACertificate_namesTheKey() {
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> settings("ca-file", pki.file("redis.key")));
    assertThat(e.problems()).singleElement().asString().startsWith("upstream.oauth.cache.redis.ca-file: ");
  }

  @Test
  void settings_differentCaFiles_areDifferentSettings() throws Exception {
    assertThat(settings("ca-file", pki.file("ca.pem"))).isNotEqualTo(settings("ca-file", pki.file("redis.pem")));
  }

  private static void assertRoundTrip(RedisSettings settings) {
    try (RedisTokenStore store = new RedisTokenStore(settings)) {
      long now = System.currentTimeMillis();
      store.put("0123abcd", new CachedToken("tls-token-0123456789", "Bearer", now, now + 30_000, now + 60_000), now);
      assertThat(store.get("0123abcd").accessToken()).isEqualTo("tls-token-0123456789");
    }
  }

  /** Returns the TLS handshake failure a read fails with: the client refused the server. */
  private static SSLHandshakeException handshakeFailure(RedisSettings settings) {
    try (RedisTokenStore store = new RedisTokenStore(settings)) {
      Throwable error = catchThrowable(() -> store.get("0123abcd"));
      for (Throwable cause = error; cause != null; cause = cause.getCause()) {
        if (cause instanceof SSLHandshakeException) {
          return (SSLHandshakeException) cause;
        }
      }
      throw new AssertionError("expected the TLS handshake to fail, got " + error, error);
    }
  }

  private static RedisSettings settings(String... keyValues) throws ConfigException {
    Map<String, String> properties = new HashMap<>();
    properties.put("upstream.oauth.hosts", "api.example.com");
    properties.put("upstream.oauth.token-endpoint", "https://idp.example.com/token");
    properties.put("upstream.oauth.client-id", "orders-service");
    properties.put("upstream.oauth.client-secret", "secret");
    properties.put("upstream.oauth.cache.strategy", "redis");
    properties.put("upstream.oauth.cache.redis.host", "127.0.0.1");
    properties.put("upstream.oauth.cache.redis.port", String.valueOf(tlsPort));
    properties.put("upstream.oauth.cache.redis.ssl", "true");
    for (int i = 0; i < keyValues.length; i += 2) {
      properties.put("upstream.oauth.cache.redis." + keyValues[i], keyValues[i + 1]);
    }
    return ConfigLoader.load(properties, Map.of(), null).profiles().get(0).cache().redis();
  }
}
