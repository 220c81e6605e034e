package io.upstreamoauth.agent.oauth;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import io.upstreamoauth.agent.config.AuthMethod;
import io.upstreamoauth.agent.config.GrantType;
import io.upstreamoauth.agent.config.OAuthSettings;
import io.upstreamoauth.agent.util.FakeClock;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.Authenticator;
import java.net.PasswordAuthentication;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** How TokenEndpointClient reads what a WireMock IdP answers. */
class TokenEndpointClientResponseTest {

  private static final String PATH = "/oauth2/token";
  private static final String SECRET = "Sup3r:S3cret%+/& x";
  private static final String PASSWORD = "user-pa55word";

  private static WireMockServer idp;

  private final FakeClock clock = new FakeClock(Instant.parse("2025-03-01T12:00:00Z"));

  @BeforeAll
  static void startIdp() {
    idp = new WireMockServer(options().dynamicPort());
    idp.start();
  }

  @AfterAll
  static void stopIdp() {
    idp.stop();
  }

  @BeforeEach
  void resetIdp() {
    idp.resetAll();
  }

  private static String endpoint() {
    return "http://localhost:" + idp.port() + PATH;
  }

  private static OAuthSettings.Builder settings() {
    return OAuthSettings.builder()
        .tokenEndpoint(URI.create(endpoint()))
        .clientId("my-client")
        .clientSecret(SECRET)
        .timeoutMillis(30_000);
  }

  private TokenEndpointClient client() {
    return new TokenEndpointClient(settings().build(), clock);
  }

  private static void answer(ResponseDefinitionBuilder response) {
    idp.stubFor(post(urlEqualTo(PATH)).willReturn(response));
  }

  private static ResponseDefinitionBuilder json(int status, String body) {
    return aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body);
  }

  private TokenFetchException failure() {
    return failure(client());
  }

  private static TokenFetchException failure(TokenEndpointClient client) {
    TokenFetchException e = catchThrowableOfType(TokenFetchException.class, client::fetch);
    assertThat(e).as("fetch() must fail").isNotNull();
    return e;
  }

  // ---- success

  @Test
  void fetch_200Json_returnsTheToken() throws Exception {
    answer(json(200, "{\"access_token\":\"eyJ.abc.def\",\"token_type\":\"bearer\",\"expires_in\":3600,\"scope\":\"x\"}"));
    TokenResponse response = client().fetch();
    assertThat(response.accessToken()).isEqualTo("eyJ.abc.def");
    assertThat(response.tokenType()).isEqualTo("Bearer");
    assertThat(response.expiresInSeconds()).isEqualTo(3600);
    assertThat(response.refreshInSeconds()).isEqualTo(TokenResponse.UNKNOWN);
  }

  @Test
  void fetch_expiresInAsStringAndRefreshIn_areRead() throws Exception {
    answer(json(200, "{\"access_token\":\"t\",\"token_type\":\"Bearer\",\"expires_in\":\"3599\",\"refresh_in\":\"1799\"}"));
    TokenResponse response = client().fetch();
    assertThat(response.expiresInSeconds()).isEqualTo(3599);
    assertThat(response.refreshInSeconds()).isEqualTo(1799);
  }

  @Test
  void fetch_expiresInNullAndNoTokenType_unknownLifetimeAndBearer() throws Exception {
    answer(json(200, "{\"access_token\":\"t\",\"expires_in\":null}"));
    TokenResponse response = client().fetch();
    assertThat(response.expiresInSeconds()).isEqualTo(TokenResponse.UNKNOWN);
    assertThat(response.tokenType()).isEqualTo("Bearer");
  }

  @Test
  void fetch_formEncodedBody_isRead() throws Exception {
    answer(
        aResponse()
            .withStatus(200)
            .withHeader("Content-Type", "application/x-www-form-urlencoded")
            .withBody("access_token=gho_abc123&scope=repo&token_type=bearer"));
    TokenResponse response = client().fetch();
    assertThat(response.accessToken()).isEqualTo("gho_abc123");
    assertThat(response.tokenType()).isEqualTo("Bearer");
  }

  @Test
  void fetch_200WithErrorField_isAnError() {
    answer(json(200, "{\"error\":\"invalid_client\",\"error_description\":\"bad credentials\"}"));
    TokenFetchException e = failure();
    assertThat(e.kind()).isEqualTo(TokenFetchException.Kind.CONFIGURATION);
    assertThat(e.status()).isEqualTo(200);
    assertThat(e.getMessage()).isEqualTo("token endpoint " + endpoint() + " answered HTTP 200: invalid_client: bad credentials");
  }

  @Test
  void fetch_accessTokenWithNewline_isRefused() {
    answer(json(200, "{\"access_token\":\"abc\\r\\nX-Injected: yes\"}"));
    TokenFetchException e = failure();
    assertThat(e.kind()).isEqualTo(TokenFetchException.Kind.TRANSIENT);
    assertThat(e.getMessage()).endsWith("the access_token holds characters that cannot go in an HTTP header");
  }

  // ---- errors

  @Test
  void fetch_401InvalidClient_isConfigurationWithTheDescription() {
    answer(
        json(401, "{\"error\":\"invalid_client\",\"error_description\":\"Invalid client or Invalid client credentials\"}")
            .withHeader("WWW-Authenticate", "Basic realm=\"test\""));
    TokenFetchException e = failure();
    assertThat(e.kind()).isEqualTo(TokenFetchException.Kind.CONFIGURATION);
    assertThat(e.status()).isEqualTo(401);
    assertThat(e.errorCode()).isEqualTo("invalid_client");
    assertThat(e.getMessage())
        .isEqualTo(
            "token endpoint " + endpoint()
                + " answered HTTP 401: invalid_client: Invalid client or Invalid client credentials");
  }

  @Test
  void fetch_401InvalidClientWithClientSecretPost_isConfigurationWithTheDescription() {
    answer(json(401, "{\"error\":\"invalid_client\",\"error_description\":\"Client authentication failed\"}"));
    TokenEndpointClient client =
        new TokenEndpointClient(settings().authMethod(AuthMethod.CLIENT_SECRET_POST).build(), clock);
    TokenFetchException e = failure(client);
    assertThat(e.kind()).isEqualTo(TokenFetchException.Kind.CONFIGURATION);
    assertThat(e.getMessage()).endsWith("answered HTTP 401: invalid_client: Client authentication failed");
  }

  @Test
  void fetch_401WithWwwAuthenticate_neverAsksTheApplicationsAuthenticator() {
    AtomicInteger asked = new AtomicInteger();
    Authenticator.setDefault(
        new Authenticator() {
          @Override
          protected PasswordAuthentication getPasswordAuthentication() {
            asked.incrementAndGet();
            return new PasswordAuthentication("app-user", "app-password".toCharArray());
          }
        });
    try {
      answer(
          json(401, "{\"error\":\"invalid_client\",\"error_description\":\"unknown client\"}")
              .withHeader("WWW-Authenticate", "Basic realm=\"idp\""));
      TokenEndpointClient client =
          new TokenEndpointClient(settings().authMethod(AuthMethod.CLIENT_SECRET_POST).build(), clock);

      TokenFetchException e = failure(client);

      assertThat(asked).hasValue(0);
      assertThat(idp.findAll(anyRequestedFor(anyUrl()))).hasSize(1);
      assertThat(idp.findAll(anyRequestedFor(anyUrl())).get(0).containsHeader("Authorization")).isFalse();
      assertThat(e.getMessage()).endsWith("answered HTTP 401: invalid_client: unknown client");
    } finally {
      Authenticator.setDefault(null);
    }
  }

  @Test
  void fetch_400InvalidGrant_isConfiguration() {
    answer(json(400, "{\"error\":\"invalid_grant\",\"error_description\":\"Invalid user credentials\"}"));
    TokenEndpointClient client =
        new TokenEndpointClient(
            settings().grantType(GrantType.PASSWORD).username("alice").password(PASSWORD).build(), clock);
    TokenFetchException e = failure(client);
    assertThat(e.kind()).isEqualTo(TokenFetchException.Kind.CONFIGURATION);
    assertThat(e.errorCode()).isEqualTo("invalid_grant");
    assertThat(e.getMessage()).endsWith("answered HTTP 400: invalid_grant: Invalid user credentials");
  }

  @Test
  void fetch_400InvalidScope_isConfiguration() {
    answer(json(400, "{\"error\":\"invalid_scope\"}"));
    TokenFetchException e = failure();
    assertThat(e.kind()).isEqualTo(TokenFetchException.Kind.CONFIGURATION);
    assertThat(e.errorCode()).isEqualTo("invalid_scope");
  }

  @Test
  void fetch_503WithRetryAfterSeconds_isTransientWithRetryAfter() {
    answer(json(503, "{\"error\":\"temporarily_unavailable\"}").withHeader("Retry-After", "7"));
    TokenFetchException e = failure();
    assertThat(e.kind()).isEqualTo(TokenFetchException.Kind.TRANSIENT);
    assertThat(e.status()).isEqualTo(503);
    assertThat(e.retryAfterMillis()).isEqualTo(7000);
    assertThat(e.getMessage())
        .isEqualTo("token endpoint " + endpoint() + " answered HTTP 503: temporarily_unavailable (Retry-After 7 s)");
  }

  @Test
  void fetch_429WithRetryAfterHttpDate_isTransientWithDelayFromTheClock() {
    String date =
        DateTimeFormatter.RFC_1123_DATE_TIME.format(clock.instant().plusSeconds(90).atOffset(ZoneOffset.UTC));
    answer(aResponse().withStatus(429).withHeader("Retry-After", date).withBody("slow down"));
    TokenFetchException e = failure();
    assertThat(e.kind()).isEqualTo(TokenFetchException.Kind.TRANSIENT);
    assertThat(e.status()).isEqualTo(429);
    assertThat(e.retryAfterMillis()).isEqualTo(90_000);
  }

  @Test
  void fetch_500WithoutRetryAfter_isTransientWithoutRetryAfter() {
    answer(aResponse().withStatus(500));
    TokenFetchException e = failure();
    assertThat(e.kind()).isEqualTo(TokenFetchException.Kind.TRANSIENT);
    assertThat(e.retryAfterMillis()).isEqualTo(-1);
    assertThat(e.getMessage())
        .isEqualTo("token endpoint " + endpoint() + " answered HTTP 500: no OAuth error in the body (no content type, 0 bytes)");
  }

  @ParameterizedTest
  @ValueSource(ints = {301, 302, 303, 307, 308})
  void fetch_redirect_isConfigurationAndNotFollowed(int status) {
    idp.stubFor(
        post(urlEqualTo(PATH))
            .willReturn(aResponse().withStatus(status).withHeader("Location", "/elsewhere/token")));
    idp.stubFor(post(urlEqualTo("/elsewhere/token")).willReturn(json(200, "{\"access_token\":\"t\"}")));
    idp.stubFor(get(urlEqualTo("/elsewhere/token")).willReturn(json(200, "{\"access_token\":\"t\"}")));

    TokenFetchException e = failure();

    assertThat(e.kind()).isEqualTo(TokenFetchException.Kind.CONFIGURATION);
    assertThat(e.status()).isEqualTo(status);
    assertThat(e.getMessage())
        .startsWith("token endpoint " + endpoint() + " answered HTTP " + status + " (a redirect to /elsewhere/token)");
    assertThat(idp.findAll(anyRequestedFor(urlEqualTo("/elsewhere/token")))).isEmpty();
    assertThat(idp.findAll(anyRequestedFor(anyUrl()))).hasSize(1);
  }

  @Test
  void fetch_200HtmlBody_isTransient() {
    answer(aResponse().withStatus(200).withHeader("Content-Type", "text/html").withBody("<html>login page</html>"));
    TokenFetchException e = failure();
    assertThat(e.kind()).isEqualTo(TokenFetchException.Kind.TRANSIENT);
    assertThat(e.getMessage())
        .isEqualTo("token endpoint " + endpoint() + " answered HTTP 200: the body is not a JSON object (content type text/html, 23 bytes)");
  }

  @Test
  void fetch_502HtmlBody_isTransient() {
    answer(aResponse().withStatus(502).withHeader("Content-Type", "text/html").withBody("<h1>Bad Gateway</h1>"));
    TokenFetchException e = failure();
    assertThat(e.kind()).isEqualTo(TokenFetchException.Kind.TRANSIENT);
    assertThat(e.status()).isEqualTo(502);
  }

  @Test
  void fetch_404HtmlBody_isConfiguration() {
    answer(aResponse().withStatus(404).withHeader("Content-Type", "text/html").withBody("<h1>Not Found</h1>"));
    TokenFetchException e = failure();
    assertThat(e.kind()).isEqualTo(TokenFetchException.Kind.CONFIGURATION);
    assertThat(e.status()).isEqualTo(404);
  }

  @Test
  void fetch_bodyLargerThanOneMebibyte_isTransient() {
    answer(json(200, "{\"access_token\":\"t\",\"pad\":\"" + "x".repeat(1 << 20) + "\"}"));
    TokenFetchException e = failure();
    assertThat(e.kind()).isEqualTo(TokenFetchException.Kind.TRANSIENT);
    assertThat(e.getMessage()).contains("larger than 1048576 bytes");
  }

  // ---- network

  @Test
  void fetch_responseSlowerThanTimeout_isTransientTimedOut() {
    answer(json(200, "{\"access_token\":\"t\"}").withFixedDelay(3_000));
    TokenEndpointClient client = new TokenEndpointClient(settings().timeoutMillis(200).build(), clock);
    TokenFetchException e = failure(client);
    assertThat(e.kind()).isEqualTo(TokenFetchException.Kind.TRANSIENT);
    assertThat(e.status()).isEqualTo(-1);
    assertThat(e.getMessage()).isEqualTo("token endpoint " + endpoint() + ": timed out after 200 ms");
  }

  @Test
  void fetch_connectionRefused_isTransient() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    String closed = "http://127.0.0.1:" + port + "/token";
    TokenEndpointClient client =
        new TokenEndpointClient(settings().tokenEndpoint(URI.create(closed)).build(), clock);
    TokenFetchException e = failure(client);
    assertThat(e.kind()).isEqualTo(TokenFetchException.Kind.TRANSIENT);
    assertThat(e.status()).isEqualTo(-1);
    assertThat(e.getMessage()).startsWith("token endpoint " + closed + ": connection failed: ");
  }

  @ParameterizedTest
  @ValueSource(strings = {"CONNECTION_RESET_BY_PEER", "EMPTY_RESPONSE", "RANDOM_DATA_THEN_CLOSE", "MALFORMED_RESPONSE_CHUNK"})
  void fetch_brokenResponse_isTransient(String fault) {
    answer(aResponse().withFault(Fault.valueOf(fault)));
    TokenFetchException e = failure();
    assertThat(e.kind()).isEqualTo(TokenFetchException.Kind.TRANSIENT);
    assertThat(e.getMessage()).startsWith("token endpoint " + endpoint());
  }

  // ---- secrets never in messages

  private static String everything(Throwable e) {
    StringWriter out = new StringWriter();
    e.printStackTrace(new PrintWriter(out));
    return out.toString();
  }

  @Test
  void fetch_idpEchoesSecretInDescription_secretNeverInMessage() {
    answer(
        json(401, "{\"error\":\"invalid_client\",\"error_description\":\"client secret '" + SECRET.replace("\"", "\\\"")
            + "' does not match for my-client\"}"));
    TokenFetchException e = failure();
    assertThat(e.getMessage())
        .isEqualTo(
            "token endpoint " + endpoint()
                + " answered HTTP 401: invalid_client: client secret '****' does not match for my-client");
    assertThat(everything(e)).doesNotContain(SECRET).doesNotContain("Sup3r");
    assertThat(e.toString()).doesNotContain(SECRET);
  }

  @Test
  void fetch_idpEchoesPasswordAndHeaderValuesInErrors_noneInMessage() {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("X-Api-Key", "header-key-value");
    Map<String, String> args = new LinkedHashMap<>();
    args.put("tenant_secret", "post-arg-value");
    answer(
        json(400, "{\"error\":\"invalid_grant " + PASSWORD + "\",\"error_description\":\"got header-key-value and post-arg-value and "
            + PASSWORD + "\"}"));
    TokenEndpointClient client =
        new TokenEndpointClient(
            settings().grantType(GrantType.PASSWORD).username("alice").password(PASSWORD)
                .tokenHeaders(headers).tokenPostArgs(args).build(),
            clock);
    String all = everything(failure(client));
    assertThat(all)
        .doesNotContain(PASSWORD)
        .doesNotContain("header-key-value")
        .doesNotContain("post-arg-value")
        .doesNotContain(SECRET);
  }

  @Test
  void fetch_idpEchoesFormEncodedSecret_secretNeverInMessage() {
    // an IdP that quotes the raw request body echoes the secret as it was sent: form-encoded
    String encoded = FormBody.encode(SECRET);
    answer(json(400, "{\"error\":\"invalid_request\",\"error_description\":\"bad body: client_secret=" + encoded + "\"}"));
    TokenEndpointClient client =
        new TokenEndpointClient(settings().authMethod(AuthMethod.CLIENT_SECRET_POST).build(), clock);
    TokenFetchException e = failure(client);
    assertThat(everything(e)).doesNotContain(encoded).doesNotContain("Sup3r");
  }

  @Test
  void fetch_idpEchoesBasicHeader_credentialsNeverInMessage() {
    String header = ClientAuthentication.basic(settings().build());
    answer(json(401, "{\"error\":\"invalid_client\",\"error_description\":\"rejected Authorization: " + header + "\"}"));
    TokenFetchException e = failure();
    assertThat(everything(e)).doesNotContain(header.substring("Basic ".length()));
  }

  @Test
  void fetch_redirectLocationEchoesSecret_secretNeverInMessage() {
    answer(aResponse().withStatus(302).withHeader("Location", "/login?s=plainsecretvalue"));
    TokenEndpointClient client =
        new TokenEndpointClient(settings().clientSecret("plainsecretvalue").build(), clock);
    TokenFetchException e = failure(client);
    assertThat(e.getMessage()).doesNotContain("plainsecretvalue").contains("/login?s=****");
  }

  // ---- Retry-After parsing

  @Test
  void retryAfterMillis_values_parsedOrMinusOne() {
    TokenEndpointClient client = client();
    assertThat(client.retryAfterMillis("7")).isEqualTo(7_000);
    assertThat(client.retryAfterMillis(" 120 ")).isEqualTo(120_000);
    assertThat(client.retryAfterMillis("0")).isEqualTo(0);
    assertThat(client.retryAfterMillis("9999999")).isEqualTo(86_400_000);
    assertThat(client.retryAfterMillis(null)).isEqualTo(-1);
    assertThat(client.retryAfterMillis("")).isEqualTo(-1);
    assertThat(client.retryAfterMillis("-3")).isEqualTo(-1);
    assertThat(client.retryAfterMillis("soon")).isEqualTo(-1);
    assertThat(client.retryAfterMillis("1.5")).isEqualTo(-1);
  }

  @Test
  void retryAfterMillis_httpDate_isRelativeToTheClock() {
    TokenEndpointClient client = client(); // clock: Sat, 1 Mar 2025 12:00:00 GMT
    assertThat(client.retryAfterMillis("Sat, 01 Mar 2025 12:00:30 GMT")).isEqualTo(30_000);
    assertThat(client.retryAfterMillis("Sat, 1 Mar 2025 11:59:00 GMT")).isEqualTo(0);
    assertThat(client.retryAfterMillis("Sun, 09 Mar 2025 12:00:00 GMT")).isEqualTo(86_400_000);
    clock.advance(10_000);
    assertThat(client.retryAfterMillis("Sat, 01 Mar 2025 12:00:30 GMT")).isEqualTo(20_000);
  }
}
