package io.upstreamoauth.agent.config;

import static io.upstreamoauth.agent.config.TestConfigs.SECRET;
import static io.upstreamoauth.agent.config.TestConfigs.problems;
import static io.upstreamoauth.agent.config.TestConfigs.profile;
import static io.upstreamoauth.agent.config.TestConfigs.valid;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The validation of each profile key, reached through {@link ConfigLoader#load}. */
class ProfileValidationTest {

  private static final String SECRET_64 =
      "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

  // ---- token-endpoint ----

  @Test
  void tokenEndpoint_missing_isRequired() {
    assertThat(problems(valid("token-endpoint", null)))
        .containsExactly("upstream.oauth.token-endpoint: is required (the IdP's token endpoint URL)");
  }

  @Test
  void tokenEndpoint_blank_isRequired() {
    assertThat(problems(valid("token-endpoint", "  ")))
        .containsExactly("upstream.oauth.token-endpoint: is required (the IdP's token endpoint URL)");
  }

  @Test
  void tokenEndpoint_httpWithPortAndQuery_isAccepted() throws Exception {
    ProfileConfig profile = profile(valid("token-endpoint", "http://localhost:8080/realms/x/token?a=b"));

    assertThat(profile.oauth().tokenEndpoint().getPort()).isEqualTo(8080);
    assertThat(profile.oauth().tokenEndpoint().getQuery()).isEqualTo("a=b");
  }

  @Test
  void tokenEndpoint_upperCaseScheme_isAccepted() throws Exception {
    assertThat(profile(valid("token-endpoint", "HTTPS://idp.example.com/t")).oauth().tokenEndpoint().getHost())
        .isEqualTo("idp.example.com");
  }

  @ParameterizedTest
  @ValueSource(strings = {"ftp://idp.example.com/token", "idp.example.com/token", "/token", "urn:ietf:x"})
  void tokenEndpoint_notHttp_isProblem(String value) {
    assertThat(problems(valid("token-endpoint", value)))
        .containsExactly(
            "upstream.oauth.token-endpoint: must be an http or https URL, was '" + value + "'");
  }

  @Test
  void tokenEndpoint_withoutHost_isProblem() {
    assertThat(problems(valid("token-endpoint", "https:///token")))
        .containsExactly("upstream.oauth.token-endpoint: has no host: 'https:///token'");
  }

  @Test
  void tokenEndpoint_invalidSyntax_isProblem() {
    assertThat(problems(valid("token-endpoint", "https://idp.example.com/a b")))
        .singleElement()
        .asString()
        .startsWith("upstream.oauth.token-endpoint: is not a valid URL: ");
  }

  @Test
  void tokenEndpoint_withFragment_isProblem() {
    assertThat(problems(valid("token-endpoint", "https://idp.example.com/token#x")))
        .containsExactly(
            "upstream.oauth.token-endpoint: must not contain a fragment ('#...'), was"
                + " 'https://idp.example.com/token#x'");
  }

  @Test
  void tokenEndpoint_atSignOutsideAuthority_isNotUserInfo() throws Exception {
    assertThat(profile(valid("token-endpoint", "https://idp.example.com/t/@x?login=a@b.c")).oauth().tokenEndpoint().getRawQuery())
        .isEqualTo("login=a@b.c");
  }

  @Test
  void tokenEndpoint_withUserInfo_isProblemWithoutEchoingValue() {
    List<String> problems =
        problems(valid("token-endpoint", "https://client:" + SECRET + "@idp.example.com/token"));

    assertThat(problems)
        .containsExactly(
            "upstream.oauth.token-endpoint: must not contain user info (credentials go in"
                + " client-id/client-secret)");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "ftp://client:" + SECRET + "@idp.example.com/token", // wrong scheme
        "https://client:" + SECRET + "@idp_host/token", // host that java.net.URI does not parse
        "https://client:" + SECRET + "@idp.example.com/a b", // invalid syntax
        "https://client:" + SECRET + "@/token" // no host
      })
  void tokenEndpoint_withUserInfoAndOtherFault_neverEchoesValue(String value) {
    List<String> problems = problems(valid("token-endpoint", value));

    assertThat(problems).singleElement().asString().startsWith("upstream.oauth.token-endpoint: ");
    assertThat(String.join("\n", problems)).doesNotContain(SECRET).doesNotContain("client:");
  }

  // ---- grant-type and credentials ----

  @Test
  void grantType_password_requiresUsernameAndPassword() {
    assertThat(problems(valid("grant-type", "password")))
        .containsExactly(
            "upstream.oauth.username: is required with grant-type password",
            "upstream.oauth.password: is required with grant-type password");
  }

  @Test
  void grantType_passwordWithCredentials_isRead() throws Exception {
    OAuthSettings oauth =
        profile(valid("grant-type", "PASSWORD", "username", "alice", "password", "pw-123")).oauth();

    assertThat(oauth.grantType()).isEqualTo(GrantType.PASSWORD);
    assertThat(oauth.username()).isEqualTo("alice");
    assertThat(oauth.password()).isEqualTo("pw-123");
  }

  @Test
  void grantType_clientCredentials_ignoresUsernameAndPassword() throws Exception {
    OAuthSettings oauth = profile(valid("username", "alice", "password", "pw-123")).oauth();

    assertThat(oauth.username()).isNull();
    assertThat(oauth.password()).isNull();
  }

  @Test
  void grantType_unknown_isProblemListingChoices() {
    assertThat(problems(valid("grant-type", "authorization_code")))
        .containsExactly(
            "upstream.oauth.grant-type: must be one of client_credentials, password, was"
                + " 'authorization_code'");
  }

  // ---- auth-method ----

  @ParameterizedTest
  @CsvSource({
    "client_secret_basic, CLIENT_SECRET_BASIC",
    "client_secret_post, CLIENT_SECRET_POST",
    "Client_Secret_Post, CLIENT_SECRET_POST",
    "client_secret_jwt, CLIENT_SECRET_JWT",
  })
  void authMethod_secretMethods_keepSecret(String value, AuthMethod expected) throws Exception {
    OAuthSettings oauth = profile(valid("auth-method", value, "client-secret", SECRET_64)).oauth();

    assertThat(oauth.authMethod()).isEqualTo(expected);
    assertThat(oauth.clientSecret()).isEqualTo(SECRET_64);
  }

  @ParameterizedTest
  @ValueSource(strings = {"client_secret_basic", "client_secret_post", "client_secret_jwt"})
  void authMethod_secretMethodWithoutSecret_isProblem(String method) {
    assertThat(problems(valid("auth-method", method, "client-secret", null)))
        .containsExactly("upstream.oauth.client-secret: is required with auth-method " + method);
  }

  @Test
  void authMethod_none_needsNoClientIdAndDropsSecret() throws Exception {
    OAuthSettings oauth = profile(valid("auth-method", "none", "client-id", null)).oauth();

    assertThat(oauth.authMethod()).isEqualTo(AuthMethod.NONE);
    assertThat(oauth.clientId()).isNull();
    assertThat(oauth.clientSecret()).isNull();
  }

  @Test
  void authMethod_noneWithClientId_keepsClientId() throws Exception {
    assertThat(profile(valid("auth-method", "none")).oauth().clientId()).isEqualTo("my-client");
  }

  @ParameterizedTest
  @ValueSource(strings = {"client_secret_basic", "client_secret_post", "client_secret_jwt", "private_key_jwt"})
  void authMethod_needingClient_withoutClientId_isProblem(String method) {
    assertThat(problems(valid("auth-method", method, "client-id", null, "client-secret", SECRET_64)))
        .contains("upstream.oauth.client-id: is required with auth-method " + method);
  }

  @Test
  void authMethod_privateKeyJwtWithoutKeyFile_isProblemAndNeedsNoSecret() {
    assertThat(problems(valid("auth-method", "private_key_jwt", "client-secret", null)))
        .containsExactly(
            "upstream.oauth.private-key-file: is required with auth-method private_key_jwt");
  }

  @Test
  void authMethod_unknown_isProblemListingChoices() {
    assertThat(problems(valid("auth-method", "mtls")))
        .containsExactly(
            "upstream.oauth.auth-method: must be one of client_secret_basic, client_secret_post,"
                + " client_secret_jwt, private_key_jwt, tls_client_auth, self_signed_tls_client_auth,"
                + " client_assertion_file, none, was 'mtls'");
  }

  @Test
  void authMethod_clientAssertionFileWithoutFile_isProblemAndNeedsNoSecret() {
    assertThat(problems(valid("auth-method", "client_assertion_file", "client-secret", null)))
        .containsExactly(
            "upstream.oauth.client-assertion-file: is required with auth-method client_assertion_file");
  }

  @Test
  void authMethod_needsSecret_onlyForTheThreeSecretMethods() {
    assertThat(AuthMethod.CLIENT_SECRET_BASIC.needsSecret()).isTrue();
    assertThat(AuthMethod.CLIENT_SECRET_POST.needsSecret()).isTrue();
    assertThat(AuthMethod.CLIENT_SECRET_JWT.needsSecret()).isTrue();
    assertThat(AuthMethod.PRIVATE_KEY_JWT.needsSecret()).isFalse();
    assertThat(AuthMethod.NONE.needsSecret()).isFalse();
  }

  // ---- client-secret-basic-encoding ----

  @Test
  void basicEncoding_raw_setsRawCredentials() throws Exception {
    assertThat(profile(valid("client-secret-basic-encoding", "raw")).oauth().rawBasicCredentials())
        .isTrue();
    assertThat(profile(valid("client-secret-basic-encoding", "form")).oauth().rawBasicCredentials())
        .isFalse();
  }

  @Test
  void basicEncoding_unknown_isProblem() {
    assertThat(problems(valid("client-secret-basic-encoding", "base64")))
        .containsExactly(
            "upstream.oauth.client-secret-basic-encoding: must be form or raw, was 'base64'");
  }

  // ---- client_secret_jwt ----

  @ParameterizedTest
  @CsvSource({"HS256, 32", "HS384, 48", "HS512, 64", "hs384, 48"})
  void clientSecretJwt_secretOfMinimumLength_isAccepted(String alg, int bytes) throws Exception {
    OAuthSettings oauth =
        profile(
                valid(
                    "auth-method", "client_secret_jwt",
                    "client-secret-jwt-alg", alg,
                    "client-secret", SECRET_64.substring(0, bytes)))
            .oauth();

    assertThat(oauth.clientSecretJwtAlg()).isEqualTo(alg.toUpperCase());
  }

  @ParameterizedTest
  @CsvSource({"HS256, 32", "HS384, 48", "HS512, 64"})
  void clientSecretJwt_secretOneByteShort_isProblem(String alg, int bytes) {
    assertThat(
            problems(
                valid(
                    "auth-method", "client_secret_jwt",
                    "client-secret-jwt-alg", alg,
                    "client-secret", SECRET_64.substring(0, bytes - 1))))
        .containsExactly(
            "upstream.oauth.client-secret: client_secret_jwt with "
                + alg
                + " needs a secret of at least "
                + bytes
                + " bytes (RFC 7518 §3.2), it has "
                + (bytes - 1));
  }

  @Test
  void clientSecretJwt_secretLength_countsUtf8Bytes() throws Exception {
    // 16 characters of two bytes each: 32 bytes
    String secret = "éééééééééééééééé";

    assertThat(profile(valid("auth-method", "client_secret_jwt", "client-secret", secret)).oauth().clientSecret())
        .isEqualTo(secret);
  }

  @Test
  void clientSecretJwt_shortSecretWithOtherMethod_isAccepted() throws Exception {
    assertThat(profile(valid("client-secret", "short")).oauth().clientSecret()).isEqualTo("short");
  }

  @Test
  void clientSecretJwtAlg_unknown_isProblem() {
    assertThat(problems(valid("client-secret-jwt-alg", "RS256")))
        .containsExactly(
            "upstream.oauth.client-secret-jwt-alg: must be one of [HS256, HS384, HS512], was 'RS256'");
  }

  @Test
  void privateKeyAlg_unknown_isProblem() {
    assertThat(problems(valid("private-key-alg", "HS256")))
        .containsExactly(
            "upstream.oauth.private-key-alg: must be one of [RS256, RS384, RS512, PS256, PS384,"
                + " PS512, ES256, ES384, ES512], was 'HS256'");
  }

  // ---- scopes and audience ----

  @Test
  void scopes_commaList_isTrimmedDedupedInOrder() throws Exception {
    assertThat(profile(valid("scopes", " write, read ,,write, api:admin ")).oauth().scopes())
        .containsExactly("write", "read", "api:admin");
  }

  @Test
  void scopes_allowedPunctuation_isAccepted() throws Exception {
    String token = "!#$[]^_`{|}~https://api.example.com/x.read";

    assertThat(profile(valid("scopes", token)).oauth().scopes()).containsExactly(token);
  }

  @ParameterizedTest
  @ValueSource(strings = {"read write", "say\"hi\"", "back\\slash", "émoji", "tab\there"})
  void scopes_invalidScopeToken_isProblem(String scope) {
    assertThat(problems(valid("scopes", "ok," + scope)))
        .containsExactly(
            "upstream.oauth.scopes: '" + scope + "' is not a valid scope token (RFC 6749 §3.3)");
  }

  @Test
  void audience_commaList_isRead() throws Exception {
    assertThat(profile(valid("audience", "https://a.example.com, b")).oauth().audience())
        .containsExactly("https://a.example.com", "b");
  }

  // ---- header-name ----

  @ParameterizedTest
  @ValueSource(strings = {"X-Api-Token", "x_token", "Proxy-Authorization", "a!#$%&'*+-.^_`|~9"})
  void headerName_httpToken_isAccepted(String name) throws Exception {
    assertThat(profile(valid("header-name", name)).headerName()).isEqualTo(name);
  }

  @ParameterizedTest
  @ValueSource(strings = {"X Token", "X-Token:", "Tök", "(x)", "a/b"})
  void headerName_notHttpToken_isProblem(String name) {
    assertThat(problems(valid("header-name", name)))
        .containsExactly(
            "upstream.oauth.header-name: must be a valid HTTP header name, was '" + name + "'");
  }

  @Test
  void headerName_empty_isDefault() throws Exception {
    assertThat(profile(valid("header-name", "")).headerName()).isEqualTo("Authorization");
  }

  @Test
  void tokenHeaders_invalidHeaderName_isProblemNamingKey() {
    assertThat(problems(valid("token-headers.X Tenant", "acme")))
        .containsExactly(
            "upstream.oauth.token-headers.X Tenant: 'X Tenant' is not a valid header name");
  }

  @Test
  void tokenHeaders_invalidInheritedHeaderName_namesTopLevelKey() {
    assertThat(
            problems(
                valid(
                    "hosts", null,
                    "token-headers.X(1)", "acme",
                    "profiles", "billing",
                    "billing.hosts", "billing.example.com")))
        .containsExactly("upstream.oauth.token-headers.X(1): 'X(1)' is not a valid header name");
  }

  @Test
  void tokenPostArgs_areReadInOrder() throws Exception {
    OAuthSettings oauth =
        profile(valid("token-post-args.resource", "urn:a", "token-post-args.tenant", "acme")).oauth();

    assertThat(oauth.tokenPostArgs().keySet()).containsExactly("resource", "tenant");
    assertThat(oauth.tokenPostArgs()).containsEntry("resource", "urn:a").containsEntry("tenant", "acme");
  }

  // ---- purge-token-on-upstream-status-codes ----

  @Test
  void purgeStatusCodes_list_isRead() throws Exception {
    ProfileConfig profile = profile(valid("purge-token-on-upstream-status-codes", "401, 403,100,599"));

    assertThat(profile.purgesOn(401)).isTrue();
    assertThat(profile.purgesOn(403)).isTrue();
    assertThat(profile.purgesOn(100)).isTrue();
    assertThat(profile.purgesOn(599)).isTrue();
    assertThat(profile.purgesOn(404)).isFalse();
    assertThat(profile.purgesOn(-1)).isFalse();
    assertThat(profile.purgesOn(600)).isFalse();
    assertThat(profile.purgesOn(10_000)).isFalse();
  }

  @Test
  void purgeStatusCodes_empty_neverPurges() throws Exception {
    ProfileConfig profile = profile(valid("purge-token-on-upstream-status-codes", ""));

    for (int status = 0; status < 700; status++) {
      assertThat(profile.purgesOn(status)).as("status %d", status).isFalse();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"99", "600", "abc", "4O1", "401.0", "-401"})
  void purgeStatusCodes_notStatusCode_isProblem(String code) {
    assertThat(problems(valid("purge-token-on-upstream-status-codes", "401," + code)))
        .containsExactly(
            "upstream.oauth.purge-token-on-upstream-status-codes: '"
                + code
                + "' is not an HTTP status code (100-599)");
  }

  // ---- numbers ----

  @ParameterizedTest
  @CsvSource({
    "timeout, 1", "timeout, 600000", "timeout, ' 250 '",
    "cache.eagerly-expire, 0", "cache.eagerly-expire, 86400",
    "cache.default-ttl, 1", "cache.default-ttl, 31536000",
    "idp-retry.initial-backoff, 1", "idp-retry.config-error-backoff, 3600000",
    "idp-retry.max-backoff, 3600000",
  })
  void number_atBound_isAccepted(String key, String value) throws Exception {
    profile(valid(key, value));
  }

  @ParameterizedTest
  @CsvSource({
    "timeout, milliseconds, 1, 600000, 0",
    "timeout, milliseconds, 1, 600000, 600001",
    "timeout, milliseconds, 1, 600000, 1.5",
    "timeout, milliseconds, 1, 600000, 10s",
    "timeout, milliseconds, 1, 600000, 99999999999999999999",
    "cache.eagerly-expire, seconds, 0, 86400, -1",
    "cache.eagerly-expire, seconds, 0, 86400, 86401",
    "cache.default-ttl, seconds, 1, 31536000, 0",
    "cache.default-ttl, seconds, 1, 31536000, 31536001",
    "idp-retry.initial-backoff, milliseconds, 1, 3600000, 0",
    "idp-retry.config-error-backoff, milliseconds, 1, 3600000, 3600001",
  })
  void number_outOfRangeOrNotWhole_isProblem(String key, String unit, long min, long max, String value) {
    assertThat(problems(valid(key, value)))
        .containsExactly(
            "upstream.oauth."
                + key
                + ": must be a whole number of "
                + unit
                + " from "
                + min
                + " to "
                + max
                + ", was '"
                + value
                + "'");
  }

  @Test
  void numbers_areRead() throws Exception {
    ProfileConfig profile =
        profile(
            valid(
                "timeout", "2500",
                "cache.eagerly-expire", "0",
                "cache.default-ttl", "120",
                "idp-retry.initial-backoff", "200",
                "idp-retry.max-backoff", "200",
                "idp-retry.config-error-backoff", "30000"));

    assertThat(profile.oauth().timeoutMillis()).isEqualTo(2500);
    assertThat(profile.cache().eagerlyExpireSeconds()).isZero();
    assertThat(profile.cache().defaultTtlSeconds()).isEqualTo(120);
    assertThat(profile.retry().initialBackoffMillis()).isEqualTo(200);
    assertThat(profile.retry().maxBackoffMillis()).isEqualTo(200);
    assertThat(profile.retry().configErrorBackoffMillis()).isEqualTo(30_000);
  }

  @Test
  void number_empty_isDefault() throws Exception {
    assertThat(profile(valid("timeout", "")).oauth().timeoutMillis()).isEqualTo(10_000);
  }

  @Test
  void retry_maxBelowInitial_isProblem() {
    assertThat(problems(valid("idp-retry.initial-backoff", "5000", "idp-retry.max-backoff", "4999")))
        .containsExactly(
            "upstream.oauth.idp-retry.max-backoff: must not be less than"
                + " upstream.oauth.idp-retry.initial-backoff (5000), was 4999");
  }

  @Test
  void retry_initialAboveDefaultMax_isProblem() {
    assertThat(problems(valid("idp-retry.initial-backoff", "60001")))
        .containsExactly(
            "upstream.oauth.idp-retry.max-backoff: must not be less than"
                + " upstream.oauth.idp-retry.initial-backoff (60001), was 60000");
  }

  // ---- cache ----

  @ParameterizedTest
  @CsvSource({"0.5, 0.5", "0.01, 0.01", "0.99, 0.99", "' .3 ', 0.3"})
  void refreshAheadWindow_fraction_isRead(String value, double expected) throws Exception {
    assertThat(profile(valid("cache.refresh-ahead-window", value)).cache().refreshAheadWindow())
        .isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "1", "0.0", "1.0", "-0.1", "20%", "NaN", "Infinity", "abc"})
  void refreshAheadWindow_notStrictlyBetweenZeroAndOne_isProblem(String value) {
    assertThat(problems(valid("cache.refresh-ahead-window", value)))
        .containsExactly(
            "upstream.oauth.cache.refresh-ahead-window: must be a fraction between 0 and 1 (e.g."
                + " 0.2), was '"
                + value
                + "'");
  }

  @Test
  void refreshAheadWindow_empty_isDefault() throws Exception {
    assertThat(profile(valid("cache.refresh-ahead-window", "")).cache().refreshAheadWindow())
        .isEqualTo(0.2);
  }

  @ParameterizedTest
  @CsvSource({"true, true", "false, false", "FALSE, false", "' True ', true"})
  void refreshAhead_boolean_isRead(String value, boolean expected) throws Exception {
    assertThat(profile(valid("cache.refresh-ahead", value)).cache().refreshAhead()).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"yes", "1", "on"})
  void refreshAhead_notBoolean_isProblem(String value) {
    assertThat(problems(valid("cache.refresh-ahead", value)))
        .containsExactly("upstream.oauth.cache.refresh-ahead: must be true or false, was '" + value + "'");
  }

  @Test
  void refreshAhead_empty_isDefault() throws Exception {
    assertThat(profile(valid("cache.refresh-ahead", "")).cache().refreshAhead()).isTrue();
  }

  @Test
  void cacheStrategy_memoryInAnyCase_isAccepted() throws Exception {
    assertThat(profile(valid("cache.strategy", "MEMORY")).cache().strategy())
        .isEqualTo(CacheStrategy.MEMORY);
  }

  @Test
  void cacheStrategy_redis_isAcceptedWithRedisSettings() throws Exception {
    CacheSettings cache = profile(valid("cache.strategy", "redis")).cache();

    assertThat(cache.strategy()).isEqualTo(CacheStrategy.REDIS);
    assertThat(cache.redis()).isNotNull();
  }

  @Test
  void cacheStrategy_memory_hasNoRedisSettings() throws Exception {
    assertThat(profile(valid()).cache().redis()).isNull();
  }

  @Test
  void cacheStrategy_unknown_isProblem() {
    assertThat(problems(valid("cache.strategy", "disk")))
        .containsExactly("upstream.oauth.cache.strategy: must be one of memory, redis, was 'disk'");
  }

  // ---- idp-error-action ----

  @Test
  void idpErrorAction_proceed_isRead() throws Exception {
    assertThat(profile(valid("idp-error-action", "proceed")).idpErrorAction())
        .isEqualTo(IdpErrorAction.PROCEED);
  }

  @Test
  void idpErrorAction_unknown_isProblem() {
    assertThat(problems(valid("idp-error-action", "retry")))
        .containsExactly("upstream.oauth.idp-error-action: must be one of fail, proceed, was 'retry'");
  }

  // ---- assertion audience and key id ----

  @Test
  void assertionAudience_configured_overridesEndpoint() throws Exception {
    assertThat(profile(valid("assertion-audience", "https://idp.example.com")).oauth().assertionAudience())
        .isEqualTo("https://idp.example.com");
  }

  @Test
  void privateKeyId_configuredWithoutPrivateKeyJwt_isKept() throws Exception {
    assertThat(profile(valid("private-key-id", "kid-1")).oauth().privateKeyId()).isEqualTo("kid-1");
  }

  // ---- messages in profiles ----

  @Test
  void profileValue_invalid_isReportedUnderProfileKey() {
    assertThat(
            problems(
                valid(
                    "profiles", "billing",
                    "billing.hosts", "billing.example.com",
                    "billing.timeout", "-5")))
        .containsExactly(
            "upstream.oauth.billing.timeout: must be a whole number of milliseconds from 1 to"
                + " 600000, was '-5'");
  }

  @Test
  void profileRetry_maxBelowInheritedInitial_namesBothKeys() {
    assertThat(
            problems(
                valid(
                    "idp-retry.initial-backoff", "5000",
                    "profiles", "billing",
                    "billing.hosts", "billing.example.com",
                    "billing.idp-retry.max-backoff", "100")))
        .containsExactly(
            "upstream.oauth.billing.idp-retry.max-backoff: must not be less than"
                + " upstream.oauth.idp-retry.initial-backoff (5000), was 100");
  }
}
