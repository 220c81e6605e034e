package io.upstreamoauth.agent.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Whatever an IdP (or something pretending to be one) sends back, the parser either returns a
 * usable token or throws a {@link TokenFetchException} with a message free of secrets; nothing
 * else.
 *
 * <p>An input is an HTTP answer, readable as such: a first line {@code <status> <content-type or
 * -> [<Retry-After ms>]}, then the body bytes as they are. The seeds (every response shape seen
 * from Keycloak, Okta, Entra ID, Auth0, Cognito and Kong Identity, and broken ones) are in
 * TokenResponseParserFuzzTestInputs; every build replays them, {@code JAZZER_FUZZ=1} fuzzes
 * (docs/resilience.md).
 */
class TokenResponseParserFuzzTest {

  private static final String SECRET = "fuzz-secret-value";

  private final TokenResponseParser parser =
      new TokenResponseParser("https://idp.example/token", Arrays.asList(SECRET, null));

  @FuzzTest(maxDuration = "10s")
  void parse_anyHttpAnswer_givesATokenOrTheDocumentedException(byte[] input) {
    int newline = indexOf(input, (byte) '\n');
    String[] head = new String(input, 0, newline < 0 ? input.length : newline, StandardCharsets.ISO_8859_1).trim().split(" +");
    byte[] body = newline < 0 ? new byte[0] : Arrays.copyOfRange(input, newline + 1, input.length);
    int status;
    long retryAfter;
    try {
      status = Integer.parseInt(head[0]);
      retryAfter = head.length > 2 ? Long.parseLong(head[2]) : -1;
    } catch (NumberFormatException notAnAnswer) {
      return; // no status line: HttpURLConnection would not have handed this over
    }
    if (status < 100 || status > 599 || retryAfter < -1) {
      return;
    }
    String contentType = head.length < 2 || head[1].equals("-") ? null : head[1];

    try {
      TokenResponse token = parser.parse(status, contentType, body, retryAfter);
      assertThat(status).isBetween(200, 299);
      assertThat(token.accessToken()).isNotEmpty().matches("[\\x21-\\x7e]+");
      assertThat(token.tokenType()).isNotEmpty().doesNotContain(" ");
      assertThat(token.expiresInSeconds()).isGreaterThanOrEqualTo(TokenResponse.UNKNOWN);
    } catch (TokenFetchException e) {
      assertThat(e.getMessage()).isNotNull().doesNotContain(SECRET);
      assertThat(e.kind()).isNotNull();
    }
  }

  private static int indexOf(byte[] bytes, byte b) {
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == b) {
        return i;
      }
    }
    return -1;
  }
}
