package io.upstreamoauth.agent.oauth;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.RequestMethod;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.upstreamoauth.agent.config.AuthMethod;
import io.upstreamoauth.agent.config.GrantType;
import io.upstreamoauth.agent.config.OAuthSettings;
import io.upstreamoauth.agent.util.FakeClock;
import io.upstreamoauth.agent.util.InternalCall;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What TokenEndpointClient puts on the wire, checked at a WireMock IdP. */
class TokenEndpointClientRequestTest {

  private static final String PATH = "/realms/test/protocol/openid-connect/token";
  private static final String TRICKY_SECRET = "a:b%c+d/e&f g";
  private static final String HMAC_SECRET = "0123456789abcdef0123456789abcdef-hmac-secret";

  private static WireMockServer idp;
  private static KeyPair rsa;
  private static KeyPair ec;

  private final FakeClock clock = new FakeClock(1_700_000_000_123L);

  @BeforeAll
  static void startIdp() throws Exception {
    idp = new WireMockServer(options().dynamicPort());
    idp.start();
    KeyPairGenerator rsaGenerator = KeyPairGenerator.getInstance("RSA");
    rsaGenerator.initialize(2048);
    rsa = rsaGenerator.generateKeyPair();
    KeyPairGenerator ecGenerator = KeyPairGenerator.getInstance("EC");
    ecGenerator.initialize(new ECGenParameterSpec("secp256r1"));
    ec = ecGenerator.generateKeyPair();
  }

  @AfterAll
  static void stopIdp() {
    idp.stop();
  }

  @BeforeEach
  void resetIdp() {
    idp.resetAll();
    idp.stubFor(
        any(anyUrl())
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withHeader("Content-Type", "application/json")
                    .withBody("{\"access_token\":\"tok-1\",\"token_type\":\"bearer\",\"expires_in\":300}")));
  }

  private static URI endpoint() {
    return URI.create("http://localhost:" + idp.port() + PATH);
  }

  private static OAuthSettings.Builder settings() {
    return OAuthSettings.builder().tokenEndpoint(endpoint()).clientId("my-client").clientSecret("my-secret");
  }

  private LoggedRequest fetchOne(OAuthSettings settings) throws Exception {
    TokenResponse response = new TokenEndpointClient(settings, clock).fetch();
    assertThat(response.accessToken()).isEqualTo("tok-1");
    List<LoggedRequest> requests = idp.findAll(postRequestedFor(urlEqualTo(PATH)));
    assertThat(requests).hasSize(1);
    return requests.get(0);
  }

  /** The form fields in wire order, decoded. */
  private static List<String[]> form(LoggedRequest request) throws Exception {
    List<String[]> fields = new ArrayList<>();
    for (String pair : request.getBodyAsString().split("&")) {
      int equals = pair.indexOf('=');
      fields.add(
          new String[] {
            URLDecoder.decode(pair.substring(0, equals), "UTF-8"),
            URLDecoder.decode(pair.substring(equals + 1), "UTF-8")
          });
    }
    return fields;
  }

  private static Map<String, String> formMap(LoggedRequest request) throws Exception {
    Map<String, String> map = new LinkedHashMap<>();
    for (String[] field : form(request)) {
      assertThat(map).as("field %s appears once", field[0]).doesNotContainKey(field[0]);
      map.put(field[0], field[1]);
    }
    return map;
  }

  private static String basicDecoded(LoggedRequest request) {
    String header = request.getHeader("Authorization");
    assertThat(header).startsWith("Basic ");
    return new String(Base64.getDecoder().decode(header.substring(6)), StandardCharsets.UTF_8);
  }

  // ---- the request itself

  @Test
  void fetch_clientCredentialsBasic_postsExactFormAndHeaders() throws Exception {
    LoggedRequest request = fetchOne(settings().build());

    assertThat(request.getMethod()).isEqualTo(RequestMethod.POST);
    assertThat(request.getUrl()).isEqualTo(PATH); // nothing in the query string
    assertThat(request.getHeader("Content-Type")).isEqualTo("application/x-www-form-urlencoded");
    assertThat(request.getHeader("Accept")).isEqualTo("application/json");
    assertThat(request.getHeader("User-Agent")).isEqualTo("upstream-oauth-agent");
    assertThat(request.getHeader("Content-Length")).isEqualTo("29");
    assertThat(request.getBodyAsString()).isEqualTo("grant_type=client_credentials");
    assertThat(request.getHeader("Authorization"))
        .isEqualTo("Basic " + Base64.getEncoder().encodeToString("my-client:my-secret".getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void fetch_anyCall_leavesNoInternalCallMarkOnTheThread() throws Exception {
    fetchOne(settings().build());
    assertThat(InternalCall.isActive()).isFalse();
  }

  @Test
  void fetch_insideAnInternalCall_keepsTheOuterMark() throws Exception {
    boolean was = InternalCall.enter();
    try {
      fetchOne(settings().build());
      assertThat(InternalCall.isActive()).isTrue();
    } finally {
      InternalCall.exit(was);
    }
    assertThat(InternalCall.isActive()).isFalse();
  }

  // ---- client_secret_basic

  @Test
  void basic_secretWithColonPercentPlusSlashAmpersandSpace_isFormEncoded() throws Exception {
    LoggedRequest request =
        fetchOne(settings().clientId("my client:1").clientSecret(TRICKY_SECRET).build());

    String pair = basicDecoded(request);
    assertThat(pair).isEqualTo("my+client%3A1:a%3Ab%25c%2Bd%2Fe%26f+g");
    int colon = pair.indexOf(':');
    assertThat(URLDecoder.decode(pair.substring(0, colon), "UTF-8")).isEqualTo("my client:1");
    assertThat(URLDecoder.decode(pair.substring(colon + 1), "UTF-8")).isEqualTo(TRICKY_SECRET);
    assertThat(request.getBodyAsString()).isEqualTo("grant_type=client_credentials");
  }

  @Test
  void basic_nonAsciiSecret_isUtf8FormEncoded() throws Exception {
    LoggedRequest request = fetchOne(settings().clientSecret("pässwörd€").build());
    assertThat(basicDecoded(request)).isEqualTo("my-client:p%C3%A4ssw%C3%B6rd%E2%82%AC");
  }

  @Test
  void basic_rawMode_sendsIdAndSecretUnencoded() throws Exception {
    LoggedRequest request =
        fetchOne(settings().clientSecret(TRICKY_SECRET).rawBasicCredentials(true).build());
    assertThat(basicDecoded(request)).isEqualTo("my-client:" + TRICKY_SECRET);
  }

  @Test
  void basic_tokenHeaderAuthorization_isReplacedByTheCredentials() throws Exception {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Authorization", "Bearer something-else");
    LoggedRequest request = fetchOne(settings().tokenHeaders(headers).build());
    assertThat(basicDecoded(request)).isEqualTo("my-client:my-secret");
    assertThat(request.getHeaders().getHeader("Authorization").values()).hasSize(1);
  }

  // ---- client_secret_post and none

  @Test
  void clientSecretPost_trickySecret_sentInFormWithoutAuthorizationHeader() throws Exception {
    LoggedRequest request =
        fetchOne(settings().authMethod(AuthMethod.CLIENT_SECRET_POST).clientSecret(TRICKY_SECRET).build());

    assertThat(request.containsHeader("Authorization")).isFalse();
    assertThat(request.getBodyAsString())
        .isEqualTo("grant_type=client_credentials&client_id=my-client&client_secret=a%3Ab%25c%2Bd%2Fe%26f%20g");
    assertThat(formMap(request)).containsEntry("client_secret", TRICKY_SECRET);
  }

  @Test
  void none_sendsOnlyClientId() throws Exception {
    LoggedRequest request = fetchOne(settings().authMethod(AuthMethod.NONE).build());
    assertThat(request.containsHeader("Authorization")).isFalse();
    assertThat(request.getBodyAsString()).isEqualTo("grant_type=client_credentials&client_id=my-client");
  }

  // ---- JWT assertions

  private static SignedJWT assertion(LoggedRequest request) throws Exception {
    Map<String, String> form = formMap(request);
    assertThat(request.containsHeader("Authorization")).isFalse();
    assertThat(form).doesNotContainKey("client_secret");
    assertThat(form)
        .containsEntry("client_id", "my-client")
        .containsEntry("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
    return SignedJWT.parse(form.get("client_assertion"));
  }

  private void assertClaims(SignedJWT jwt, String audience) throws Exception {
    JWTClaimsSet claims = jwt.getJWTClaimsSet();
    assertThat(claims.getIssuer()).isEqualTo("my-client");
    assertThat(claims.getSubject()).isEqualTo("my-client");
    assertThat(claims.getAudience()).containsExactly(audience);
    assertThat(claims.getIssueTime().getTime()).isEqualTo(clock.millis() / 1000 * 1000);
    assertThat(claims.getExpirationTime().getTime() - claims.getIssueTime().getTime()).isEqualTo(60_000);
    assertThat(claims.getJWTID()).isNotBlank();
    assertThat(jwt.getHeader().getType()).isEqualTo(JOSEObjectType.JWT);
  }

  @Test
  void clientSecretJwt_hs256_signedWithTheSecretWithStandardClaims() throws Exception {
    LoggedRequest request =
        fetchOne(settings().authMethod(AuthMethod.CLIENT_SECRET_JWT).clientSecret(HMAC_SECRET).build());

    SignedJWT jwt = assertion(request);
    assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.HS256);
    assertThat(jwt.getHeader().getKeyID()).isNull();
    assertThat(jwt.verify(new MACVerifier(HMAC_SECRET.getBytes(StandardCharsets.UTF_8)))).isTrue();
    assertThat(jwt.verify(new MACVerifier((HMAC_SECRET + "x").getBytes(StandardCharsets.UTF_8)))).isFalse();
    assertClaims(jwt, endpoint().toString());
    assertThat(request.getBodyAsString()).doesNotContain(HMAC_SECRET);
  }

  @Test
  void clientSecretJwt_hs512_usesTheConfiguredAlgorithm() throws Exception {
    String secret = HMAC_SECRET + HMAC_SECRET; // 90 bytes: enough for HS512
    LoggedRequest request =
        fetchOne(
            settings().authMethod(AuthMethod.CLIENT_SECRET_JWT).clientSecret(secret).clientSecretJwtAlg("HS512").build());
    SignedJWT jwt = assertion(request);
    assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.HS512);
    assertThat(jwt.verify(new MACVerifier(secret.getBytes(StandardCharsets.UTF_8)))).isTrue();
  }

  @Test
  void privateKeyJwt_rsaWithKeyId_signedWithKidHeader() throws Exception {
    LoggedRequest request =
        fetchOne(
            settings()
                .clientSecret(null)
                .authMethod(AuthMethod.PRIVATE_KEY_JWT)
                .privateKey(rsa.getPrivate(), "fp-rsa")
                .privateKeyAlg("RS256")
                .privateKeyId("key-2024")
                .build());

    SignedJWT jwt = assertion(request);
    assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.RS256);
    assertThat(jwt.getHeader().getKeyID()).isEqualTo("key-2024");
    assertThat(jwt.verify(new RSASSAVerifier((RSAPublicKey) rsa.getPublic()))).isTrue();
    assertClaims(jwt, endpoint().toString());
  }

  @Test
  void privateKeyJwt_ps256_usesTheConfiguredAlgorithm() throws Exception {
    LoggedRequest request =
        fetchOne(
            settings()
                .authMethod(AuthMethod.PRIVATE_KEY_JWT)
                .privateKey(rsa.getPrivate(), "fp-rsa")
                .privateKeyAlg("PS256")
                .build());
    SignedJWT jwt = assertion(request);
    assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.PS256);
    assertThat(jwt.verify(new RSASSAVerifier((RSAPublicKey) rsa.getPublic()))).isTrue();
  }

  @Test
  void privateKeyJwt_ecKeyWithoutKeyId_es256WithoutKid() throws Exception {
    LoggedRequest request =
        fetchOne(
            settings()
                .authMethod(AuthMethod.PRIVATE_KEY_JWT)
                .privateKey(ec.getPrivate(), "fp-ec")
                .privateKeyAlg("ES256")
                .build());

    SignedJWT jwt = assertion(request);
    assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.ES256);
    assertThat(jwt.getHeader().getKeyID()).isNull();
    assertThat(jwt.verify(new ECDSAVerifier((ECPublicKey) ec.getPublic()))).isTrue();
    assertClaims(jwt, endpoint().toString());
  }

  @Test
  void privateKeyJwt_assertionAudienceConfigured_isTheAud() throws Exception {
    LoggedRequest request =
        fetchOne(
            settings()
                .authMethod(AuthMethod.PRIVATE_KEY_JWT)
                .privateKey(rsa.getPrivate(), "fp-rsa")
                .assertionAudience("https://idp.example/realms/test")
                .build());
    assertClaims(assertion(request), "https://idp.example/realms/test");
  }

  @Test
  void clientSecretJwt_keyIdConfigured_hasNoKidHeader() throws Exception {
    LoggedRequest request =
        fetchOne(
            settings()
                .authMethod(AuthMethod.CLIENT_SECRET_JWT)
                .clientSecret(HMAC_SECRET)
                .privateKeyId("only-for-private-keys")
                .build());
    assertThat(assertion(request).getHeader().getKeyID()).isNull();
  }

  @Test
  void jwt_twoRequests_haveDistinctJtiAndFollowTheClock() throws Exception {
    OAuthSettings settings =
        settings().authMethod(AuthMethod.CLIENT_SECRET_JWT).clientSecret(HMAC_SECRET).build();
    TokenEndpointClient client = new TokenEndpointClient(settings, clock);

    client.fetch();
    clock.advance(5_000);
    client.fetch();

    List<LoggedRequest> requests = idp.findAll(postRequestedFor(urlEqualTo(PATH)));
    assertThat(requests).hasSize(2);
    JWTClaimsSet first = assertion(requests.get(0)).getJWTClaimsSet();
    JWTClaimsSet second = assertion(requests.get(1)).getJWTClaimsSet();
    assertThat(first.getJWTID()).isNotEqualTo(second.getJWTID());
    assertThat(second.getIssueTime().getTime() - first.getIssueTime().getTime()).isEqualTo(5_000);
    assertThat(second.getExpirationTime().getTime()).isEqualTo(second.getIssueTime().getTime() + 60_000);
  }

  // ---- scopes, audience, password grant

  @Test
  void scopes_spaceJoinedInOneScopeFieldEncodedWithPercent20() throws Exception {
    LoggedRequest request =
        fetchOne(settings().scopes(List.of("read", "write:all", "api://x/.default")).build());
    assertThat(request.getBodyAsString())
        .isEqualTo("grant_type=client_credentials&scope=read%20write%3Aall%20api%3A%2F%2Fx%2F.default");
    assertThat(formMap(request)).containsEntry("scope", "read write:all api://x/.default");
  }

  @Test
  void audience_spaceJoinedInOneAudienceField() throws Exception {
    LoggedRequest request =
        fetchOne(settings().scopes(List.of("a")).audience(List.of("https://api.one", "https://api.two")).build());
    assertThat(request.getBodyAsString())
        .isEqualTo(
            "grant_type=client_credentials&scope=a&audience=https%3A%2F%2Fapi.one%20https%3A%2F%2Fapi.two");
  }

  @Test
  void scopesAndAudienceEmpty_noFieldsSent() throws Exception {
    Map<String, String> form = formMap(fetchOne(settings().build()));
    assertThat(form).containsOnlyKeys("grant_type");
  }

  @Test
  void passwordGrant_sendsUsernameAndPasswordFields() throws Exception {
    LoggedRequest request =
        fetchOne(
            settings()
                .grantType(GrantType.PASSWORD)
                .username("alice@example.com")
                .password("p&ss w=rd+%")
                .scopes(List.of("openid"))
                .build());
    assertThat(request.getBodyAsString())
        .isEqualTo("grant_type=password&username=alice%40example.com&password=p%26ss%20w%3Drd%2B%25&scope=openid");
    assertThat(formMap(request)).containsEntry("password", "p&ss w=rd+%");
    assertThat(basicDecoded(request)).isEqualTo("my-client:my-secret");
  }

  @Test
  void clientCredentialsGrant_configuredUserCredentials_areNotSent() throws Exception {
    LoggedRequest request = fetchOne(settings().username("alice").password("pw").build());
    assertThat(request.getBodyAsString()).isEqualTo("grant_type=client_credentials");
  }

  // ---- token-headers and token-post-args

  @Test
  void tokenHeaders_areSent() throws Exception {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("X-Tenant", "acme");
    headers.put("X-Api-Key", "k 1");
    LoggedRequest request = fetchOne(settings().tokenHeaders(headers).build());
    assertThat(request.getHeader("X-Tenant")).isEqualTo("acme");
    assertThat(request.getHeader("X-Api-Key")).isEqualTo("k 1");
  }

  @Test
  void tokenHeaders_cannotReplaceContentTypeOrAccept() throws Exception {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Content-Type", "application/json");
    headers.put("accept", "text/html");
    LoggedRequest request = fetchOne(settings().tokenHeaders(headers).build());
    assertThat(request.getHeaders().getHeader("Content-Type").values())
        .containsExactly("application/x-www-form-urlencoded");
    assertThat(request.getHeaders().getHeader("Accept").values()).containsExactly("application/json");
  }

  @Test
  void tokenHeaders_userAgent_replacesTheDefault() throws Exception {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("User-Agent", "my-app/1.0");
    LoggedRequest request = fetchOne(settings().tokenHeaders(headers).build());
    assertThat(request.getHeaders().getHeader("User-Agent").values()).containsExactly("my-app/1.0");
  }

  @Test
  void tokenHeaders_userAgentInLowerCase_replacesTheDefault() throws Exception {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("user-agent", "my-app/1.0");
    LoggedRequest request = fetchOne(settings().tokenHeaders(headers).build());
    assertThat(request.getHeaders().getHeader("User-Agent").values()).containsExactly("my-app/1.0");
  }

  @Test
  void tokenPostArgs_sentAfterBuiltInFields() throws Exception {
    Map<String, String> args = new LinkedHashMap<>();
    args.put("resource", "https://api.example/");
    args.put("extra", "a b");
    LoggedRequest request = fetchOne(settings().tokenPostArgs(args).build());
    assertThat(request.getBodyAsString())
        .isEqualTo("grant_type=client_credentials&resource=https%3A%2F%2Fapi.example%2F&extra=a%20b");
  }

  @Test
  void tokenPostArgs_cannotOverrideBuiltInFields() throws Exception {
    Map<String, String> args = new LinkedHashMap<>();
    for (String builtIn :
        new String[] {
          "grant_type", "scope", "audience", "username", "password", "client_id", "client_secret",
          "client_assertion_type", "client_assertion"
        }) {
      args.put(builtIn, "evil");
    }
    args.put("resource", "r");
    LoggedRequest request =
        fetchOne(
            settings()
                .authMethod(AuthMethod.CLIENT_SECRET_POST)
                .scopes(List.of("s"))
                .audience(List.of("aud"))
                .tokenPostArgs(args)
                .build());

    Map<String, String> form = formMap(request); // also checks that no field appears twice
    Map<String, String> expected = new LinkedHashMap<>();
    expected.put("grant_type", "client_credentials");
    expected.put("scope", "s");
    expected.put("audience", "aud");
    expected.put("client_id", "my-client");
    expected.put("client_secret", "my-secret");
    expected.put("resource", "r");
    assertThat(form).containsExactlyEntriesOf(expected);
  }

  @Test
  void tokenPostArgs_scopeAndAudienceWhenNotConfigured_areSent() throws Exception {
    Map<String, String> args = new LinkedHashMap<>();
    args.put("scope", "https://graph.example/.default");
    args.put("audience", "api://orders");
    args.put("client_secret", "never");
    LoggedRequest request = fetchOne(settings().tokenPostArgs(args).build());

    assertThat(formMap(request))
        .containsEntry("scope", "https://graph.example/.default")
        .containsEntry("audience", "api://orders")
        .doesNotContainKey("client_secret");
  }

  @Test
  void tokenPostArgs_jwtFieldsCannotBeReplaced() throws Exception {
    Map<String, String> args = new HashMap<>();
    args.put("client_assertion", "forged");
    args.put("client_assertion_type", "forged");
    LoggedRequest request =
        fetchOne(
            settings()
                .authMethod(AuthMethod.CLIENT_SECRET_JWT)
                .clientSecret(HMAC_SECRET)
                .tokenPostArgs(args)
                .build());
    SignedJWT jwt = assertion(request); // checks the type and that each field is there once
    assertThat(jwt.verify(new MACVerifier(HMAC_SECRET.getBytes(StandardCharsets.UTF_8)))).isTrue();
  }

  @Test
  void buildRequest_basic_fillsHeadersWithoutNetwork() throws Exception {
    TokenEndpointClient client = new TokenEndpointClient(settings().scopes(List.of("x y")).build(), clock);
    FormBody form = new FormBody();
    Map<String, String> headers = new LinkedHashMap<>();
    client.buildRequest(form, headers);
    assertThat(headers)
        .containsEntry("Content-Type", "application/x-www-form-urlencoded")
        .containsEntry("Accept", "application/json")
        .containsEntry("User-Agent", "upstream-oauth-agent")
        .containsKey("Authorization");
    assertThat(form.get("scope")).isEqualTo("x y");
  }
}
