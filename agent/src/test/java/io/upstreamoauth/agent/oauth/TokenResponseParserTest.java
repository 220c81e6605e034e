package io.upstreamoauth.agent.oauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TokenResponseParserTest {

  private static final String ENDPOINT = "https://idp.example/oauth2/token";
  private static final String JSON = "application/json";
  private static final String SECRET = "s3cr3t:%+/& value";

  private final TokenResponseParser parser =
      new TokenResponseParser(ENDPOINT, Arrays.asList(SECRET, null, "pw-123456"));

  private TokenResponse ok(String json) throws TokenFetchException {
    return parser.parse(200, JSON, bytes(json), -1);
  }

  private TokenFetchException fail(int status, String contentType, String body) {
    return fail(status, contentType, body, -1);
  }

  private TokenFetchException fail(int status, String contentType, String body, long retryAfter) {
    return catchThrowableOfType(
        TokenFetchException.class, () -> parser.parse(status, contentType, bytes(body), retryAfter));
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  // ---- classification of IdP-specific and borderline statuses

  @Test
  void parse_unknownOAuthErrorOn400_isConfiguration() {
    TokenFetchException e = fail(400, JSON, "{\"error\":\"invalid_resource\"}");
    assertThat(e.kind()).isEqualTo(TokenFetchException.Kind.CONFIGURATION);
    assertThat(e.errorCode()).isEqualTo("invalid_resource");
  }

  @Test
  void parse_408RequestTimeout_isTransient() {
    assertThat(fail(408, "text/plain", "slow").kind()).isEqualTo(TokenFetchException.Kind.TRANSIENT);
  }

  // ---- the reason, as metrics count it: a 2xx without a usable token is a bad response

  @Test
  void parse_2xxWithoutAUsableToken_isABadResponse() {
    assertThat(fail(200, "text/html", "<html>").reason()).isEqualTo(TokenFetchException.Reason.BAD_RESPONSE);
    assertThat(fail(200, JSON, "{\"token_type\":\"Bearer\"}").reason())
        .isEqualTo(TokenFetchException.Reason.BAD_RESPONSE);
    assertThat(fail(200, JSON, "{\"access_token\":\"a b\",\"token_type\":\"Bearer\"}").reason())
        .isEqualTo(TokenFetchException.Reason.BAD_RESPONSE);
    assertThat(fail(200, JSON, "{\"access_token\":\"abc\",\"token_type\":\"Bea rer\"}").reason())
        .isEqualTo(TokenFetchException.Reason.BAD_RESPONSE);
  }

  @Test
  void parse_errorStatus_isNotABadResponse() {
    assertThat(fail(503, "text/plain", "down").reason()).isEqualTo(TokenFetchException.Reason.OTHER);
    assertThat(fail(401, JSON, "{\"error\":\"invalid_client\"}").reason()).isEqualTo(TokenFetchException.Reason.OTHER);
  }

  // ---- success (RFC 6749 §5.1)

  @Test
  void parse_fullResponse_readsEveryField() throws Exception {
    TokenResponse response =
        ok("{\"access_token\":\"abc.def-ghi\",\"token_type\":\"Bearer\",\"expires_in\":3600,\"refresh_in\":1800}");
    assertThat(response.accessToken()).isEqualTo("abc.def-ghi");
    assertThat(response.tokenType()).isEqualTo("Bearer");
    assertThat(response.expiresInSeconds()).isEqualTo(3600);
    assertThat(response.refreshInSeconds()).isEqualTo(1800);
  }

  @Test
  void parse_expiresInNumericString_isRead() throws Exception {
    assertThat(ok("{\"access_token\":\"t\",\"expires_in\":\"3599\"}").expiresInSeconds()).isEqualTo(3599);
  }

  @Test
  void parse_expiresInNumericStringWithSpaces_isRead() throws Exception {
    assertThat(ok("{\"access_token\":\"t\",\"expires_in\":\" 60 \"}").expiresInSeconds()).isEqualTo(60);
  }

  @Test
  void parse_expiresInNull_isUnknown() throws Exception {
    assertThat(ok("{\"access_token\":\"t\",\"expires_in\":null}").expiresInSeconds())
        .isEqualTo(TokenResponse.UNKNOWN);
  }

  @Test
  void parse_expiresInAbsent_isUnknown() throws Exception {
    TokenResponse response = ok("{\"access_token\":\"t\"}");
    assertThat(response.expiresInSeconds()).isEqualTo(TokenResponse.UNKNOWN);
    assertThat(response.refreshInSeconds()).isEqualTo(TokenResponse.UNKNOWN);
  }

  @Test
  void parse_expiresInFraction_isRoundedDown() throws Exception {
    assertThat(ok("{\"access_token\":\"t\",\"expires_in\":299.9}").expiresInSeconds()).isEqualTo(299);
  }

  @ParameterizedTest
  @ValueSource(strings = {"-5", "0", "\"soon\"", "\"\"", "true", "\"NaN\"", "1e400"})
  void parse_expiresInNotPositiveNumber_isUnknown(String value) throws Exception {
    assertThat(ok("{\"access_token\":\"t\",\"expires_in\":" + value + "}").expiresInSeconds())
        .isEqualTo(TokenResponse.UNKNOWN);
  }

  @Test
  void parse_expiresInAbsurdlyLarge_isCappedAt366Days() throws Exception {
    assertThat(ok("{\"access_token\":\"t\",\"expires_in\":99999999999}").expiresInSeconds())
        .isEqualTo(366L * 24 * 3600);
  }

  @ParameterizedTest
  @CsvSource({
    "bearer, Bearer",
    "BEARER, Bearer",
    "Bearer, Bearer",
    "' bearer ', Bearer",
    "dpop, DPoP",
    "mac, MAC",
    "N_A, N_A"
  })
  void parse_tokenType_isNormalised(String type, String expected) throws Exception {
    assertThat(ok("{\"access_token\":\"t\",\"token_type\":\"" + type + "\"}").tokenType())
        .isEqualTo(expected);
  }

  @Test
  void parse_tokenTypeAbsent_isBearer() throws Exception {
    assertThat(ok("{\"access_token\":\"t\"}").tokenType()).isEqualTo("Bearer");
  }

  @Test
  void parse_tokenTypeNullOrEmpty_isBearer() throws Exception {
    assertThat(ok("{\"access_token\":\"t\",\"token_type\":null}").tokenType()).isEqualTo("Bearer");
    assertThat(ok("{\"access_token\":\"t\",\"token_type\":\"\"}").tokenType()).isEqualTo("Bearer");
  }

  @ParameterizedTest
  @ValueSource(strings = {"Bear er", "Bearer\\r\\nX-Evil: 1", "a/b", "b\\u00e9arer"})
  void parse_tokenTypeNotAnHttpToken_isRefused(String type) {
    TokenFetchException e = fail(200, JSON, "{\"access_token\":\"t\",\"token_type\":\"" + type + "\"}");
    assertThat(e.kind()).isEqualTo(TokenFetchException.Kind.TRANSIENT);
    assertThat(e.getMessage())
        .isEqualTo(
            "token endpoint " + ENDPOINT
                + " answered HTTP 200: the token_type is not a valid HTTP authentication scheme");
  }

  @Test
  void parse_unknownFieldsAndNestedValues_areIgnored() throws Exception {
    TokenResponse response =
        ok("{\"scope\":\"a b\",\"ext\":{\"access_token\":\"nested\",\"x\":[1,{\"y\":2}]},"
            + "\"list\":[\"access_token\"],\"access_token\":\"top\",\"id_token\":\"x.y.z\","
            + "\"not_before\":123,\"flag\":true}");
    assertThat(response.accessToken()).isEqualTo("top");
    assertThat(response.tokenType()).isEqualTo("Bearer");
  }

  @Test
  void parse_jsonWithoutContentType_isRead() throws Exception {
    assertThat(parser.parse(200, null, bytes("{\"access_token\":\"t\"}"), -1).accessToken()).isEqualTo("t");
  }

  @Test
  void parse_jsonServedAsTextPlain_isRead() throws Exception {
    assertThat(parser.parse(200, "text/plain", bytes("{\"access_token\":\"t\"}"), -1).accessToken())
        .isEqualTo("t");
  }

  @Test
  void parse_formEncodedBody_isRead() throws Exception {
    TokenResponse response =
        parser.parse(
            200,
            "application/x-www-form-urlencoded; charset=utf-8",
            bytes("access_token=a%2Bb%3D&token_type=bearer&expires_in=7200&scope=x+y\n"),
            -1);
    assertThat(response.accessToken()).isEqualTo("a+b=");
    assertThat(response.tokenType()).isEqualTo("Bearer");
    assertThat(response.expiresInSeconds()).isEqualTo(7200);
  }

  @Test
  void parse_formEncodedContentTypeInUpperCase_isRead() throws Exception {
    assertThat(
            parser.parse(200, "Application/X-WWW-Form-Urlencoded", bytes("access_token=abc"), -1)
                .accessToken())
        .isEqualTo("abc");
  }

  @Test
  void parse_malformedFormEncoding_isTransient() {
    TokenFetchException e =
        fail(200, "application/x-www-form-urlencoded", "access_token=%zz&token_type=bearer");
    assertThat(e.kind()).isEqualTo(TokenFetchException.Kind.TRANSIENT);
    assertThat(e.status()).isEqualTo(200);
  }

  @Test
  void parse_2xxOtherThan200_isAccepted() throws Exception {
    assertThat(parser.parse(201, JSON, bytes("{\"access_token\":\"t\"}"), -1).accessToken()).isEqualTo("t");
  }

  // ---- unusable 200 responses

  @Test
  void parse_noAccessToken_isTransient() {
    TokenFetchException e = fail(200, JSON, "{\"token_type\":\"Bearer\",\"expires_in\":60}");
    assertThat(e.kind()).isEqualTo(TokenFetchException.Kind.TRANSIENT);
    assertThat(e.getMessage())
        .isEqualTo("token endpoint " + ENDPOINT + " answered HTTP 200: the response has no access_token");
  }

  @ParameterizedTest
  @ValueSource(strings = {"\"\"", "null", "12345", "{\"a\":1}", "[\"t\"]", "true"})
  void parse_accessTokenNotANonEmptyString_isRefused(String value) {
    TokenFetchException e = fail(200, JSON, "{\"access_token\":" + value + "}");
    assertThat(e.kind()).isEqualTo(TokenFetchException.Kind.TRANSIENT);
    assertThat(e.getMessage()).endsWith("the response has no access_token");
  }

  @ParameterizedTest
  @ValueSource(strings = {"abc def", "abc\\r\\nX-Injected: 1", "abc\\u0000", "t\\u00f6ken", "tab\\tbed", "del\\u007f"})
  void parse_accessTokenWithCharactersNotAllowedInHeader_isRefused(String token) {
    TokenFetchException e = fail(200, JSON, "{\"access_token\":\"" + token + "\"}");
    assertThat(e.kind()).isEqualTo(TokenFetchException.Kind.TRANSIENT);
    assertThat(e.getMessage())
        .isEqualTo(
            "token endpoint " + ENDPOINT
                + " answered HTTP 200: the access_token holds characters that cannot go in an HTTP header");
  }

  @Test
  void parse_accessTokenWithAllVisibleAscii_isAccepted() throws Exception {
    String visible = "!#$%&'()*+,-./0123456789:;<=>?@AZ[]^_`az{|}~";
    assertThat(ok("{\"access_token\":\"" + visible + "\"}").accessToken()).isEqualTo(visible);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "<html><body>Bad gateway</body></html>",
        "",
        "[{\"access_token\":\"t\"}]",
        "{\"access_token\":\"t\"",
        "\"access_token\"",
        "null"
      })
  void parse_200WithBodyThatIsNotAJsonObject_isTransient(String body) {
    TokenFetchException e = fail(200, "text/html", body);
    assertThat(e.kind()).isEqualTo(TokenFetchException.Kind.TRANSIENT);
    assertThat(e.status()).isEqualTo(200);
    assertThat(e.errorCode()).isNull();
    assertThat(e.getMessage())
        .isEqualTo(
            "token endpoint " + ENDPOINT + " answered HTTP 200: the body is not a JSON object (content type text/html, "
                + bytes(body).length + " bytes)");
  }

  @Test
  void parse_garbageBody_messageNeverQuotesTheBody() {
    TokenFetchException e = fail(200, null, "client_secret=" + SECRET);
    assertThat(e.getMessage()).doesNotContain("s3cr3t").contains("no content type");
  }

  // ---- errors (RFC 6749 §5.2)

  @ParameterizedTest
  @CsvSource({
    "400, invalid_client",
    "401, invalid_client",
    "400, unauthorized_client",
    "400, invalid_scope",
    "400, unsupported_grant_type",
    "400, invalid_grant",
    "400, invalid_request",
    "400, invalid_target",
    "403, access_denied",
    "200, invalid_client",
    "200, invalid_grant"
  })
  void parse_configurationErrorCode_isConfiguration(int status, String error) {
    TokenFetchException e = fail(status, JSON, "{\"error\":\"" + error + "\"}");
    assertThat(e.kind()).isEqualTo(TokenFetchException.Kind.CONFIGURATION);
    assertThat(e.status()).isEqualTo(status);
    assertThat(e.errorCode()).isEqualTo(error);
    assertThat(e.getMessage())
        .isEqualTo("token endpoint " + ENDPOINT + " answered HTTP " + status + ": " + error);
  }

  @ParameterizedTest
  @CsvSource({
    "400, temporarily_unavailable",
    "200, temporarily_unavailable",
    "400, server_error",
    "400, slow_down",
    "429, invalid_client",
    "500, invalid_request",
    "503, temporarily_unavailable"
  })
  void parse_transientErrorCodeOrStatus_isTransient(int status, String error) {
    TokenFetchException e = fail(status, JSON, "{\"error\":\"" + error + "\"}");
    assertThat(e.kind()).isEqualTo(TokenFetchException.Kind.TRANSIENT);
    assertThat(e.errorCode()).isEqualTo(error);
  }

  @ParameterizedTest
  @ValueSource(ints = {400, 401, 403, 404, 405, 415})
  void parse_4xxWithoutOAuthError_isConfiguration(int status) {
    TokenFetchException e = fail(status, "text/html", "<html>Not here</html>");
    assertThat(e.kind()).isEqualTo(TokenFetchException.Kind.CONFIGURATION);
    assertThat(e.errorCode()).isNull();
    assertThat(e.getMessage())
        .isEqualTo(
            "token endpoint " + ENDPOINT + " answered HTTP " + status
                + ": no OAuth error in the body (content type text/html, 21 bytes)");
  }

  @ParameterizedTest
  @ValueSource(ints = {429, 500, 502, 503, 504})
  void parse_429Or5xxWithoutOAuthError_isTransient(int status) {
    TokenFetchException e = fail(status, "text/html", "<html>busy</html>");
    assertThat(e.kind()).isEqualTo(TokenFetchException.Kind.TRANSIENT);
    assertThat(e.status()).isEqualTo(status);
  }

  @Test
  void parse_4xxWithJsonButNoErrorField_isConfiguration() {
    TokenFetchException e = fail(400, JSON, "{\"message\":\"bad\"}");
    assertThat(e.kind()).isEqualTo(TokenFetchException.Kind.CONFIGURATION);
    assertThat(e.errorCode()).isNull();
  }

  @Test
  void parse_4xxWithAccessToken_isStillAnError() {
    TokenFetchException e = fail(400, JSON, "{\"access_token\":\"t\"}");
    assertThat(e.kind()).isEqualTo(TokenFetchException.Kind.CONFIGURATION);
  }

  @Test
  void parse_errorWithDescription_messageHasBoth() {
    TokenFetchException e =
        fail(401, JSON, "{\"error\":\"invalid_client\",\"error_description\":\"Invalid client credentials\"}");
    assertThat(e.getMessage())
        .isEqualTo(
            "token endpoint " + ENDPOINT
                + " answered HTTP 401: invalid_client: Invalid client credentials");
  }

  @Test
  void parse_formEncodedError_isRead() {
    TokenFetchException e =
        fail(400, "application/x-www-form-urlencoded",
            "error=invalid_scope&error_description=scope+%22admin%22+unknown");
    assertThat(e.kind()).isEqualTo(TokenFetchException.Kind.CONFIGURATION);
    assertThat(e.errorCode()).isEqualTo("invalid_scope");
    assertThat(e.getMessage()).endsWith("invalid_scope: scope \"admin\" unknown");
  }

  @Test
  void parse_errorWithRetryAfter_keepsItAndSaysSo() {
    TokenFetchException e = fail(503, JSON, "{\"error\":\"temporarily_unavailable\"}", 7000);
    assertThat(e.retryAfterMillis()).isEqualTo(7000);
    assertThat(e.getMessage())
        .isEqualTo("token endpoint " + ENDPOINT + " answered HTTP 503: temporarily_unavailable (Retry-After 7 s)");
  }

  @Test
  void parse_errorWithoutRetryAfter_hasMinusOne() {
    assertThat(fail(500, JSON, "{}").retryAfterMillis()).isEqualTo(-1);
  }

  @Test
  void parse_longDescription_isShortenedTo300Characters() {
    String description = "x".repeat(1000);
    TokenFetchException e =
        fail(400, JSON, "{\"error\":\"invalid_request\",\"error_description\":\"" + description + "\"}");
    assertThat(e.getMessage())
        .isEqualTo(
            "token endpoint " + ENDPOINT + " answered HTTP 400: invalid_request: " + "x".repeat(300) + "…");
  }

  @Test
  void parse_descriptionWithControlCharacters_areReplacedBySpaces() {
    TokenFetchException e =
        fail(400, JSON, "{\"error\":\"invalid_request\",\"error_description\":\"line1\\nline2\\r\\u0007x\"}");
    assertThat(e.getMessage()).endsWith("invalid_request: line1 line2  x");
  }

  @Test
  void parse_secretEchoedInDescription_isRedacted() {
    TokenFetchException e =
        fail(401, JSON,
            "{\"error\":\"invalid_client\",\"error_description\":\"secret '" + SECRET + "' is wrong; pw-123456 too\"}");
    assertThat(e.getMessage())
        .isEqualTo(
            "token endpoint " + ENDPOINT
                + " answered HTTP 401: invalid_client: secret '****' is wrong; **** too")
        .doesNotContain(SECRET)
        .doesNotContain("pw-123456");
  }

  @Test
  void parse_secretEchoedInErrorCode_isRedacted() {
    TokenFetchException e = fail(400, JSON, "{\"error\":\"bad " + SECRET + "\"}");
    assertThat(e.getMessage()).doesNotContain(SECRET).contains("bad ****");
  }

  @Test
  void parse_secretEchoedBeyondTheTruncationPoint_isRedactedBeforeShortening() {
    // the secret straddles character 300: shortening first would leave a prefix of it
    String description = "y".repeat(295) + SECRET;
    TokenFetchException e =
        fail(400, JSON, "{\"error\":\"invalid_request\",\"error_description\":\"" + description + "\"}");
    assertThat(e.getMessage()).doesNotContain("s3cr3t").endsWith("y".repeat(295) + "****");
  }

  @Test
  void parse_noSecrets_descriptionIsKept() throws Exception {
    TokenResponseParser plain = new TokenResponseParser(ENDPOINT, Collections.<String>emptyList());
    TokenFetchException e =
        catchThrowableOfType(
            TokenFetchException.class,
            () -> plain.parse(400, JSON, bytes("{\"error\":\"invalid_scope\",\"error_description\":\"abc\"}"), -1));
    assertThat(e.getMessage()).endsWith("invalid_scope: abc");
  }
}
