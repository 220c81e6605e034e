package io.upstreamoauth.agent.oauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.upstreamoauth.agent.config.OAuthSettings;
import io.upstreamoauth.agent.testing.ScriptedIdp;
import io.upstreamoauth.agent.testing.ScriptedIdp.Script;
import io.upstreamoauth.agent.testing.TestPki;
import io.upstreamoauth.agent.tls.TlsContexts;
import io.upstreamoauth.agent.tls.TlsMaterial;
import io.upstreamoauth.agent.util.Clock;
import java.net.URI;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code timeout} bounds a token request as a whole: an IdP that stalls or drip-feeds (a byte every
 * 100 ms, well inside the read timeout, which alone never fires) is cut off at the deadline, the
 * failure is a transient time-out that names the bound, the IdP sees its connection closed, and
 * the next request to a healthy IdP works. Bounds are asserted generously: at least the timeout,
 * well under ten times it.
 */
class TokenEndpointClientDeadlineTest {

  private static final int TIMEOUT = 500;
  private static final long DRIP = 100;
  private static final String SECRET = "deadline-test-secret";

  @TempDir static Path dir;
  private static TestPki pki;
  private static ScriptedIdp https;
  private static ScriptedIdp http;

  @BeforeAll
  static void startIdps() throws Exception {
    pki = TestPki.create(dir);
    pki.issue("idp", "localhost", "subjectAltName=DNS:localhost,IP:127.0.0.1");
    https = ScriptedIdp.tls(
        TlsContexts.create(TlsMaterial.trust(false, null).withClientCertificate(pki.file("idp.pem"), pki.file("idp.key"))),
        DRIP);
    http = ScriptedIdp.plain(DRIP);
  }

  @AfterAll
  static void stopIdps() throws Exception {
    https.close();
    http.close();
  }

  @Test
  void fetch_tlsHandshakeNeverAnswered_timesOutAtTheDeadline() throws Exception {
    assertCutOffAtTheDeadline(https.script(Script.SILENT), true);
  }

  @Test
  void fetch_tlsHandshakeDripFed_timesOutAtTheDeadline() throws Exception {
    assertCutOffAtTheDeadline(https.script(Script.DRIP_HANDSHAKE), true);
  }

  @Test
  void fetch_headersDripFed_overTls_timesOutAtTheDeadline() throws Exception {
    assertCutOffAtTheDeadline(https.script(Script.DRIP_HEADERS), true);
  }

  @Test
  void fetch_bodyDripFed_overTls_timesOutAtTheDeadline() throws Exception {
    assertCutOffAtTheDeadline(https.script(Script.DRIP_BODY), true);
  }

  @Test
  void fetch_headersDripFed_overPlainHttp_timesOutAtTheDeadline() throws Exception {
    assertCutOffAtTheDeadline(http.script(Script.DRIP_HEADERS), true);
  }

  @Test
  void fetch_bodyDripFed_overPlainHttp_timesOutAtTheDeadline() throws Exception {
    // plain HTTP hands the agent no socket: the reader stops at the first byte after the deadline,
    // and the JDK's keep-alive cleaner, not the agent, ends that connection
    assertCutOffAtTheDeadline(http.script(Script.DRIP_BODY), false);
  }

  private static void assertCutOffAtTheDeadline(ScriptedIdp idp, boolean hangUpSeen) throws Exception {
    TokenEndpointClient client = client(idp);
    int connectionsBefore = idp.connections();
    long start = System.nanoTime();

    TokenFetchException e = catchThrowableOfType(TokenFetchException.class, client::fetch);

    long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
    assertThat(e).as("the fetch must fail").isNotNull();
    assertThat(e.kind()).isEqualTo(TokenFetchException.Kind.TRANSIENT);
    assertThat(e.reason()).as("counted as a timeout").isEqualTo(TokenFetchException.Reason.TIMEOUT);
    assertThat(e.status()).isEqualTo(-1);
    assertThat(e.getMessage())
        .isEqualTo("token endpoint " + idp.tokenEndpoint() + ": timed out after " + TIMEOUT + " ms")
        .doesNotContain(SECRET);
    // bounded, not "about the timeout": the old code waited as long as the IdP dripped (for ever);
    // the upper bound leaves a loaded machine room, the benchmark reports the real figure
    assertThat(elapsedMillis).isGreaterThanOrEqualTo(TIMEOUT).isLessThan(TIMEOUT + 10_000L);
    // HttpURLConnection retries a POST whose answer failed on a new connection: not after the deadline
    assertThat(idp.connections()).as("connections, the JDK's silent retry included").isEqualTo(connectionsBefore + 1);
    if (hangUpSeen) {
      assertThat(idp.awaitHangUp(10_000)).as("the IdP saw its connection closed").isTrue();
    }

    idp.script(Script.ANSWER);
    // the IdP healthy again: a request goes through (with time to spare on a loaded machine)
    assertThat(client(idp, 30_000).fetch().accessToken()).as("the next request").isEqualTo(ScriptedIdp.TOKEN);
  }

  private static TokenEndpointClient client(ScriptedIdp idp) {
    return client(idp, TIMEOUT);
  }

  private static TokenEndpointClient client(ScriptedIdp idp, int timeoutMillis) {
    OAuthSettings settings =
        OAuthSettings.builder()
            .tokenEndpoint(URI.create(idp.tokenEndpoint()))
            .clientId("orders-service")
            .clientSecret(SECRET)
            .timeoutMillis(timeoutMillis)
            .tls(true, pki.file("ca.pem"))
            .build();
    return new TokenEndpointClient(settings, Clock.SYSTEM);
  }
}
