package io.upstreamoauth.agent.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;

/**
 * Whatever an IdP (or something pretending to be one) sends back, the parser either returns a
 * usable token or throws a {@link TokenFetchException} with a message free of secrets; nothing
 * else. Replays its corpus in every build; {@code JAZZER_FUZZ=1} fuzzes.
 */
class TokenResponseParserFuzzTest {

  private static final String SECRET = "fuzz-secret-value";
  private static final String[] CONTENT_TYPES = {
    null, "application/json", "application/json; charset=utf-8", "application/x-www-form-urlencoded",
    "text/html", "text/plain", ""
  };

  private final TokenResponseParser parser =
      new TokenResponseParser("https://idp.example/token", Arrays.asList(SECRET, null));

  @FuzzTest(maxDuration = "10s")
  void parse_anyResponse_givesATokenOrTheDocumentedException(FuzzedDataProvider data) {
    int status = data.consumeInt(100, 599);
    String contentType = data.pickValue(CONTENT_TYPES);
    long retryAfter = data.consumeLong(-1, 86_400_000L);
    byte[] body = data.consumeRemainingAsBytes();
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
}
