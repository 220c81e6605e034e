package io.upstreamoauth.agent.config;

import static io.upstreamoauth.agent.config.TestConfigs.ENDPOINT;
import static io.upstreamoauth.agent.config.TestConfigs.SECRET;
import static io.upstreamoauth.agent.config.TestConfigs.env;
import static io.upstreamoauth.agent.config.TestConfigs.load;
import static io.upstreamoauth.agent.config.TestConfigs.problems;
import static io.upstreamoauth.agent.config.TestConfigs.profile;
import static io.upstreamoauth.agent.config.TestConfigs.props;
import static io.upstreamoauth.agent.config.TestConfigs.valid;
import static org.assertj.core.api.Assertions.assertThat;

import io.upstreamoauth.agent.util.AgentLog;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Structure of the configuration: enabled, log level, profiles, inheritance, unknown keys. */
class ConfigLoaderTest {

  @Test
  void load_nothingConfigured_isEnabledWithoutProfiles() throws Exception {
    AgentConfig config = ConfigLoader.load(Map.of(), Map.of("PATH", "/usr/bin"), null);

    assertThat(config.enabled()).isTrue();
    assertThat(config.profiles()).isEmpty();
    assertThat(config.logLevel()).isEqualTo(AgentLog.Level.INFO);
  }

  @Test
  void load_minimalConfiguration_appliesEveryDefault() throws Exception {
    AgentConfig config = load(valid());

    assertThat(config.enabled()).isTrue();
    assertThat(config.logLevel()).isEqualTo(AgentLog.Level.INFO);
    ProfileConfig profile = config.profiles().get(0);
    assertThat(config.profiles()).hasSize(1);
    assertThat(profile.name()).isEqualTo(ProfileConfig.DEFAULT).isEqualTo("default");
    assertThat(profile.hosts()).extracting(HostPattern::text).containsExactly("api.example.com");
    assertThat(profile.headerName()).isEqualTo("Authorization");
    assertThat(profile.purgesOn(401)).isTrue();
    assertThat(profile.purgesOn(403)).isFalse();
    assertThat(profile.purgesOn(200)).isFalse();
    assertThat(profile.idpErrorAction()).isEqualTo(IdpErrorAction.FAIL);

    OAuthSettings oauth = profile.oauth();
    assertThat(oauth.tokenEndpoint()).isEqualTo(URI.create(ENDPOINT));
    assertThat(oauth.grantType()).isEqualTo(GrantType.CLIENT_CREDENTIALS);
    assertThat(oauth.authMethod()).isEqualTo(AuthMethod.CLIENT_SECRET_BASIC);
    assertThat(oauth.clientId()).isEqualTo("my-client");
    assertThat(oauth.clientSecret()).isEqualTo(SECRET);
    assertThat(oauth.username()).isNull();
    assertThat(oauth.password()).isNull();
    assertThat(oauth.scopes()).isEmpty();
    assertThat(oauth.audience()).isEmpty();
    assertThat(oauth.tokenHeaders()).isEmpty();
    assertThat(oauth.tokenPostArgs()).isEmpty();
    assertThat(oauth.rawBasicCredentials()).isFalse();
    assertThat(oauth.clientSecretJwtAlg()).isEqualTo("HS256");
    assertThat(oauth.privateKeyAlg()).isEqualTo("RS256");
    assertThat(oauth.privateKey()).isNull();
    assertThat(oauth.privateKeyId()).isNull();
    assertThat(oauth.assertionAudience()).isEqualTo(ENDPOINT);
    assertThat(oauth.timeoutMillis()).isEqualTo(10_000);

    CacheSettings cache = profile.cache();
    assertThat(cache.strategy()).isEqualTo(CacheStrategy.MEMORY);
    assertThat(cache.eagerlyExpireSeconds()).isEqualTo(5);
    assertThat(cache.defaultTtlSeconds()).isEqualTo(3600);
    assertThat(cache.refreshAhead()).isTrue();
    assertThat(cache.refreshAheadWindow()).isEqualTo(0.2);

    RetrySettings retry = profile.retry();
    assertThat(retry.initialBackoffMillis()).isEqualTo(1000);
    assertThat(retry.maxBackoffMillis()).isEqualTo(60_000);
    assertThat(retry.configErrorBackoffMillis()).isEqualTo(60_000);
  }

  @Test
  void load_configuredLists_areUnmodifiable() throws Exception {
    AgentConfig config = load(valid("scopes", "a,b"));

    assertThat(config.profiles()).isUnmodifiable();
    assertThat(config.profiles().get(0).hosts()).isUnmodifiable();
    assertThat(config.profiles().get(0).oauth().scopes()).isUnmodifiable();
    assertThat(config.profiles().get(0).oauth().tokenHeaders()).isUnmodifiable();
  }

  // ---- enabled and log-level ----

  @Test
  void load_enabledFalse_shortCircuitsEvenAnInvalidConfiguration() throws Exception {
    AgentConfig config =
        load(props("enabled", "false", "hosts", "", "timeout", "abc", "no-such-key", "x"));

    assertThat(config.enabled()).isFalse();
    assertThat(config.profiles()).isEmpty();
  }

  @Test
  void load_enabledFalseFromEnvironmentInAnyCase_disables() throws Exception {
    AgentConfig config = load(props("timeout", "abc"), env("UPSTREAM_OAUTH_ENABLED", " FALSE "));

    assertThat(config.enabled()).isFalse();
  }

  @Test
  void load_enabledTrueInUpperCase_isAccepted() throws Exception {
    assertThat(load(valid("enabled", "TRUE")).enabled()).isTrue();
  }

  @Test
  void load_enabledNotBoolean_isProblem() {
    assertThat(problems(valid("enabled", "yes")))
        .containsExactly("upstream.oauth.enabled: must be true or false, was 'yes'");
  }

  @Test
  void load_logLevelInAnyCase_isParsed() throws Exception {
    assertThat(load(valid("log-level", "DEBUG")).logLevel()).isEqualTo(AgentLog.Level.DEBUG);
    assertThat(load(valid("log-level", " warn ")).logLevel()).isEqualTo(AgentLog.Level.WARN);
    assertThat(load(valid("log-level", "off")).logLevel()).isEqualTo(AgentLog.Level.OFF);
  }

  @Test
  void load_logLevelUnknown_isProblemListingLevels() {
    assertThat(problems(valid("log-level", "verbose")))
        .containsExactly(
            "upstream.oauth.log-level: must be one of off, error, warn, info, debug, was 'verbose'");
  }

  // ---- profiles ----

  @Test
  void load_profiles_defaultProfileFirstThenListedOrder() throws Exception {
    AgentConfig config =
        load(
            valid(
                "profiles", "crm, billing",
                "billing.hosts", "billing.example.com",
                "crm.hosts", "crm.example.com"));

    assertThat(config.profiles())
        .extracting(ProfileConfig::name)
        .containsExactly("default", "crm", "billing");
    assertThat(config.profiles().get(2).hosts())
        .extracting(HostPattern::text)
        .containsExactly("billing.example.com");
  }

  @Test
  void load_profilesWithoutTopLevelHosts_hasNoDefaultProfile() throws Exception {
    AgentConfig config =
        load(
            valid(
                "hosts", null,
                "profiles", "billing",
                "billing.hosts", "billing.example.com"));

    assertThat(config.profiles()).extracting(ProfileConfig::name).containsExactly("billing");
  }

  @Test
  void load_profile_inheritsTopLevelKeysAndOverridesItsOwn() throws Exception {
    AgentConfig config =
        load(
            valid(
                "hosts", null,
                "timeout", "2500",
                "scopes", "read",
                "token-headers.X-Tenant", "acme",
                "profiles", "billing,crm",
                "billing.hosts", "billing.example.com",
                "billing.client-id", "billing-client",
                "billing.scopes", "billing.read",
                "crm.hosts", "crm.example.com"));

    ProfileConfig billing = config.profiles().get(0);
    ProfileConfig crm = config.profiles().get(1);
    assertThat(billing.oauth().clientId()).isEqualTo("billing-client");
    assertThat(billing.oauth().scopes()).containsExactly("billing.read");
    assertThat(billing.oauth().timeoutMillis()).isEqualTo(2500);
    assertThat(billing.oauth().clientSecret()).isEqualTo(SECRET);
    assertThat(billing.oauth().tokenHeaders()).containsExactly(Map.entry("X-Tenant", "acme"));
    assertThat(crm.oauth().clientId()).isEqualTo("my-client");
    assertThat(crm.oauth().scopes()).containsExactly("read");
    assertThat(crm.oauth().timeoutMillis()).isEqualTo(2500);
  }

  @Test
  void load_profileWithoutOwnHosts_doesNotInheritTopLevelHosts() {
    assertThat(
            problems(
                valid(
                    "profiles", "billing",
                    "billing.client-id", "billing-client")))
        .containsExactly(
            "upstream.oauth.billing.hosts: is required (comma list of host, *.domain, host:port"
                + " or host/path)");
  }

  @Test
  void load_profileOverridesTokenHeaderAndKeepsInheritedOnes() throws Exception {
    AgentConfig config =
        load(
            valid(
                "hosts", null,
                "token-headers.X-Tenant", "acme",
                "token-headers.X-Region", "eu",
                "token-post-args.resource", "urn:top",
                "profiles", "billing",
                "billing.hosts", "billing.example.com",
                "billing.token-headers.X-Tenant", "billing-tenant",
                "billing.token-post-args.resource", "urn:billing"));

    OAuthSettings oauth = config.profiles().get(0).oauth();
    assertThat(oauth.tokenHeaders())
        .containsOnly(Map.entry("X-Tenant", "billing-tenant"), Map.entry("X-Region", "eu"));
    assertThat(oauth.tokenPostArgs()).containsOnly(Map.entry("resource", "urn:billing"));
  }

  @Test
  void load_profileOverridesTokenHeaderInOtherCase_replacesInheritedHeader() throws Exception {
    AgentConfig config =
        load(
            valid(
                "hosts", null,
                "token-headers.X-Tenant", "acme",
                "profiles", "billing",
                "billing.hosts", "billing.example.com",
                "billing.token-headers.x-tenant", "billing-tenant"));

    // header names are case-insensitive: two X-Tenant headers would both be sent
    assertThat(config.profiles().get(0).oauth().tokenHeaders())
        .containsExactly(Map.entry("x-tenant", "billing-tenant"));
  }

  @Test
  void load_globalKeyPerProfile_isProblemNamingTopLevelKey() {
    assertThat(
            problems(
                valid(
                    "profiles", "billing",
                    "billing.hosts", "billing.example.com",
                    "billing.log-level", "debug",
                    "billing.enabled", "false")))
        .containsExactlyInAnyOrder(
            "upstream.oauth.billing.log-level: log-level applies to the whole agent; set"
                + " upstream.oauth.log-level",
            "upstream.oauth.billing.enabled: enabled applies to the whole agent; set"
                + " upstream.oauth.enabled");
  }

  @Test
  void load_profileNamesInvalidOrReserved_areProblems() {
    List<String> problems = problems(valid("profiles", "bad.name, default, cache, hosts, idp-retry"));

    assertThat(problems)
        .contains(
            "upstream.oauth.profiles: 'bad.name' is not a valid profile name (letters, digits, '-'"
                + " and '_')",
            "upstream.oauth.profiles: 'default' is reserved (it is a key name)",
            "upstream.oauth.profiles: 'cache' is reserved (it is a key name)",
            "upstream.oauth.profiles: 'hosts' is reserved (it is a key name)",
            "upstream.oauth.profiles: 'idp-retry' is reserved (it is a key name)");
  }

  @Test
  void load_profileNameMakingEnvironmentVariableAmbiguous_isProblem() {
    assertThat(
            problems(
                valid(
                    "profiles", "assertion",
                    "assertion.hosts", "assertion.example.com")))
        .containsExactly(
            "upstream.oauth.profiles: profile name 'assertion' makes environment variable"
                + " UPSTREAM_OAUTH_ASSERTION_AUDIENCE stand for both"
                + " upstream.oauth.assertion-audience and upstream.oauth.assertion.audience; choose"
                + " another name");
  }

  @Test
  void load_profileNameInsideMapKeyVariables_isProblem() {
    assertThat(
            problems(
                valid(
                    "profiles", "token_headers",
                    "token_headers.hosts", "th.example.com")))
        .singleElement()
        .asString()
        .startsWith("upstream.oauth.profiles: profile name 'token_headers' makes environment variable"
            + " UPSTREAM_OAUTH_TOKEN_HEADERS_");
  }

  @Test
  void load_profileNamesDifferingOnlyInCaseOrDash_isProblem() {
    assertThat(
            problems(
                valid(
                    "profiles", "my-api, my_api",
                    "my-api.hosts", "a.example.com",
                    "my_api.hosts", "b.example.com")))
        .containsExactly(
            "upstream.oauth.profiles: profile name 'my_api' makes environment variable"
                + " UPSTREAM_OAUTH_MY_API_HOSTS stand for both upstream.oauth.my-api.hosts and"
                + " upstream.oauth.my_api.hosts; choose another name");
  }

  @Test
  void load_ordinaryProfileNames_areNotAmbiguous() throws Exception {
    AgentConfig config =
        load(
            valid(
                "profiles", "billing, crm, client, token, auth, Billing2",
                "billing.hosts", "a.example.com",
                "crm.hosts", "b.example.com",
                "client.hosts", "c.example.com",
                "token.hosts", "d.example.com",
                "auth.hosts", "e.example.com",
                "Billing2.hosts", "f.example.com"));

    assertThat(config.profiles()).hasSize(7);
  }

  @Test
  void load_profilesListWithBlanksAndDuplicates_readsEachOnce() throws Exception {
    AgentConfig config =
        load(
            valid(
                "hosts", null,
                "profiles", " billing,, billing ,",
                "billing.hosts", "billing.example.com"));

    assertThat(config.profiles()).extracting(ProfileConfig::name).containsExactly("billing");
  }

  @Test
  void load_keysOfUnlistedProfile_areUnknownWithHint() {
    assertThat(problems(valid("crm.hosts", "crm.example.com")))
        .containsExactly(
            "unknown key upstream.oauth.crm.hosts (from system property upstream.oauth.crm.hosts);"
                + " a profile's keys need the profile listed in upstream.oauth.profiles");
  }

  @Test
  void load_keysButNoHostsAnywhere_isProblem() {
    assertThat(problems(valid("hosts", null)))
        .containsExactly(
            "upstream.oauth.hosts: no host is configured; set upstream.oauth.hosts (or"
                + " upstream.oauth.profiles and upstream.oauth.<profile>.hosts)");
  }

  @Test
  void load_emptyTopLevelHosts_isRequiredProblem() {
    assertThat(problems(valid("hosts", " , ")))
        .containsExactly(
            "upstream.oauth.hosts: is required (comma list of host, *.domain, host:port or"
                + " host/path)");
  }

  // ---- unknown keys ----

  @Test
  void load_unknownKey_suggestsClosest() {
    assertThat(problems(valid("client-secert", "x")))
        .containsExactly(
            "unknown key upstream.oauth.client-secert (from system property"
                + " upstream.oauth.client-secert); did you mean upstream.oauth.client-secret?");
  }

  @Test
  void load_unknownNestedKey_suggestsClosest() {
    assertThat(problems(valid("cache.default-tll", "60")))
        .singleElement()
        .asString()
        .endsWith("did you mean upstream.oauth.cache.default-ttl?");
  }

  @Test
  void load_unknownProfileKey_suggestsClosestInThatProfile() {
    assertThat(
            problems(
                valid(
                    "profiles", "billing",
                    "billing.hosts", "billing.example.com",
                    "billing.scoeps", "read")))
        .containsExactly(
            "unknown key upstream.oauth.billing.scoeps (from system property"
                + " upstream.oauth.billing.scoeps); did you mean upstream.oauth.billing.scopes?");
  }

  @Test
  void load_unknownKeyFarFromAny_hasNoSuggestion() {
    assertThat(problems(valid("completely-unrelated", "x")))
        .containsExactly(
            "unknown key upstream.oauth.completely-unrelated (from system property"
                + " upstream.oauth.completely-unrelated)");
  }

  @Test
  void load_mapKeysWithoutName_areUnknown() {
    assertThat(problems(valid("token-headers.", "x")))
        .singleElement()
        .asString()
        .startsWith("unknown key upstream.oauth.token-headers. ");
  }

  // ---- hosts across profiles ----

  @Test
  void load_sameHostInTwoProfiles_isProblemNamingKey() {
    assertThat(
            problems(
                valid(
                    "hosts", "api.example.com, other.example.com",
                    "profiles", "billing",
                    "billing.hosts", "API.example.com")))
        .containsExactly(
            "upstream.oauth.billing.hosts: 'API.example.com' is configured in both profile"
                + " 'default' and profile 'billing'; a request must map to exactly one IdP"
                + " client");
  }

  @Test
  void load_sameHostWithTrailingDotInTwoProfiles_isProblem() {
    assertThat(
            problems(
                valid(
                    "profiles", "billing",
                    "billing.hosts", "api.example.com.")))
        .singleElement()
        .asString()
        .contains("is configured in both profile 'default' and profile 'billing'");
  }

  @Test
  void load_sameHostTwiceInOneProfile_isKeptOnce() throws Exception {
    ProfileConfig profile = profile(valid("hosts", "api.example.com, API.EXAMPLE.COM, api.example.com/"));

    assertThat(profile.hosts()).hasSize(1);
  }

  @Test
  void load_sameHostWithDifferentPathsInTwoProfiles_isAllowed() throws Exception {
    AgentConfig config =
        load(
            valid(
                "hosts", "api.example.com/v1",
                "profiles", "billing",
                "billing.hosts", "api.example.com/v2"));

    assertThat(config.profiles()).hasSize(2);
  }

  @Test
  void load_hostsAreSortedMostSpecificFirst() throws Exception {
    ProfileConfig profile =
        profile(valid("hosts", "*.example.com, *.api.example.com, api.example.com, api.example.com:8443"));

    assertThat(profile.hosts())
        .extracting(HostPattern::text)
        .containsExactly(
            "api.example.com:8443", "api.example.com", "*.api.example.com", "*.example.com");
  }

  // ---- collection of problems ----

  @Test
  void load_manyProblems_areAllReportedAtOnce() {
    List<String> problems =
        problems(
            props(
                "hosts", "api.example.com, bad host",
                "token-endpoint", "ftp://idp.example.com/token",
                "timeout", "0",
                "cache.default-ttl", "forever",
                "header-name", "X Token",
                "client-secrte", "x"));

    assertThat(problems)
        .hasSize(8)
        .anyMatch(p -> p.startsWith("upstream.oauth.hosts: "))
        .anyMatch(p -> p.startsWith("upstream.oauth.token-endpoint: "))
        .anyMatch(p -> p.startsWith("upstream.oauth.timeout: "))
        .anyMatch(p -> p.startsWith("upstream.oauth.cache.default-ttl: "))
        .anyMatch(p -> p.startsWith("upstream.oauth.header-name: "))
        .anyMatch(p -> p.startsWith("upstream.oauth.client-id: "))
        .anyMatch(p -> p.startsWith("upstream.oauth.client-secret: "))
        .anyMatch(p -> p.startsWith("unknown key upstream.oauth.client-secrte"));
  }

  @Test
  void load_invalidInheritedValue_isReportedOnce() {
    List<String> problems =
        problems(
            valid(
                "timeout", "soon",
                "profiles", "billing,crm",
                "billing.hosts", "billing.example.com",
                "crm.hosts", "crm.example.com"));

    assertThat(problems)
        .containsExactly(
            "upstream.oauth.timeout: must be a whole number of milliseconds from 1 to 600000, was"
                + " 'soon'");
  }

  @Test
  void configException_messageListsEveryProblemOnItsOwnLine() {
    ConfigException e = new ConfigException(List.of("a: one", "b: two"));

    assertThat(e.getMessage()).isEqualTo("  - a: one\n  - b: two");
    assertThat(e.problems()).containsExactly("a: one", "b: two").isUnmodifiable();
  }
}
