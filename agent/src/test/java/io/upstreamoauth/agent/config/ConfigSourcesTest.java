package io.upstreamoauth.agent.config;

import static io.upstreamoauth.agent.config.TestConfigs.SECRET;
import static io.upstreamoauth.agent.config.TestConfigs.env;
import static io.upstreamoauth.agent.config.TestConfigs.load;
import static io.upstreamoauth.agent.config.TestConfigs.problems;
import static io.upstreamoauth.agent.config.TestConfigs.props;
import static io.upstreamoauth.agent.config.TestConfigs.valid;
import static org.assertj.core.api.Assertions.assertThat;

import io.upstreamoauth.agent.util.AgentLog;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where values come from: system properties, environment, file, and ${env:} / ${file:}. */
class ConfigSourcesTest {

  @TempDir Path dir;

  private Path file(String name, String content) throws IOException {
    Path path = dir.resolve(name);
    Files.write(path, content.getBytes(StandardCharsets.UTF_8));
    return path;
  }

  private Path configFile(String... lines) throws IOException {
    return file("agent.properties", String.join("\n", lines) + "\n");
  }

  private static String minimalFile() {
    return "upstream.oauth.hosts=api.example.com\n"
        + "upstream.oauth.token-endpoint=https://idp.example.com/token\n"
        + "upstream.oauth.client-id=file-client\n"
        + "upstream.oauth.client-secret=file-secret\n";
  }

  private static OAuthSettings oauth(AgentConfig config) {
    return config.profiles().get(0).oauth();
  }

  // ---- precedence ----

  @Test
  void load_sameKeyEverywhere_systemPropertyWins() throws Exception {
    Path path = file("agent.properties", minimalFile() + "upstream.oauth.timeout=1000\n");

    AgentConfig config =
        ConfigLoader.load(
            props("timeout", "3000"),
            env("UPSTREAM_OAUTH_TIMEOUT", "2000"),
            path.toString());

    assertThat(oauth(config).timeoutMillis()).isEqualTo(3000);
  }

  @Test
  void load_keyInEnvironmentAndFile_environmentWins() throws Exception {
    Path path = file("agent.properties", minimalFile() + "upstream.oauth.timeout=1000\n");

    AgentConfig config =
        ConfigLoader.load(Map.of(), env("UPSTREAM_OAUTH_TIMEOUT", "2000"), path.toString());

    assertThat(oauth(config).timeoutMillis()).isEqualTo(2000);
    assertThat(oauth(config).clientId()).isEqualTo("file-client");
  }

  @Test
  void load_keyOnlyInFile_isRead() throws Exception {
    Path path = file("agent.properties", minimalFile());

    AgentConfig config = ConfigLoader.load(Map.of(), Map.of(), path.toString());

    assertThat(oauth(config).clientId()).isEqualTo("file-client");
    assertThat(oauth(config).clientSecret()).isEqualTo("file-secret");
  }

  @Test
  void load_configFileFromSystemProperty_winsOverEnvironmentAndAgentArgs() throws Exception {
    Path chosen = file("chosen.properties", minimalFile() + "upstream.oauth.timeout=111\n");
    Path fromEnv = file("env.properties", minimalFile() + "upstream.oauth.timeout=222\n");
    Path fromArgs = file("args.properties", minimalFile() + "upstream.oauth.timeout=333\n");

    AgentConfig config =
        ConfigLoader.load(
            props("config-file", chosen.toString()),
            env("UPSTREAM_OAUTH_CONFIG_FILE", fromEnv.toString()),
            fromArgs.toString());

    assertThat(oauth(config).timeoutMillis()).isEqualTo(111);
  }

  @Test
  void load_configFileFromEnvironment_winsOverAgentArgs() throws Exception {
    Path fromEnv = file("env.properties", minimalFile() + "upstream.oauth.timeout=222\n");
    Path fromArgs = file("args.properties", minimalFile() + "upstream.oauth.timeout=333\n");

    AgentConfig config =
        ConfigLoader.load(
            Map.of(), env("UPSTREAM_OAUTH_CONFIG_FILE", fromEnv.toString()), fromArgs.toString());

    assertThat(oauth(config).timeoutMillis()).isEqualTo(222);
  }

  @Test
  void load_agentArgsWithSpaces_isTrimmedToPath() throws Exception {
    Path path = file("agent.properties", minimalFile());

    AgentConfig config = ConfigLoader.load(Map.of(), Map.of(), "  " + path + "  ");

    assertThat(oauth(config).clientId()).isEqualTo("file-client");
  }

  @Test
  void load_blankAgentArgs_readsNoFile() throws Exception {
    AgentConfig config = ConfigLoader.load(Map.of(), Map.of(), "   ");

    assertThat(config.profiles()).isEmpty();
  }

  @Test
  void load_configFileMissing_isProblemNamingKeyAndOrigin() {
    String missing = dir.resolve("missing.properties").toString();

    assertThat(problems(valid(), env("UPSTREAM_OAUTH_CONFIG_FILE", missing)))
        .singleElement()
        .asString()
        .startsWith(
            "upstream.oauth.config-file: cannot read '"
                + missing
                + "' (from environment variable UPSTREAM_OAUTH_CONFIG_FILE): ");
  }

  @Test
  void load_configFileFromAgentArgsMissing_namesJavaagentArgument() {
    String missing = dir.resolve("missing.properties").toString();

    assertThat(problems(valid(), Map.of(), missing))
        .singleElement()
        .asString()
        .contains("(from -javaagent argument)");
  }

  @Test
  void load_configFileWithUnprefixedKey_isProblem() throws Exception {
    Path path = file("agent.properties", minimalFile() + "hosts=api.example.com\n");

    assertThat(problems(Map.of(), Map.of(), path.toString()))
        .containsExactly(
            "unknown key 'hosts' in " + path + ": keys start with upstream.oauth.");
  }

  @Test
  void load_configFileIsUtf8_readsNonAsciiValues() throws Exception {
    Path path = file("agent.properties", minimalFile() + "upstream.oauth.client-id=clïent-ü\n");

    assertThat(oauth(ConfigLoader.load(Map.of(), Map.of(), path.toString())).clientId())
        .isEqualTo("clïent-ü");
  }

  @Test
  void load_unknownKeyInFile_namesFileAsOrigin() throws Exception {
    Path path = file("agent.properties", minimalFile() + "upstream.oauth.client-secert=x\n");

    assertThat(problems(Map.of(), Map.of(), path.toString()))
        .containsExactly(
            "unknown key upstream.oauth.client-secert (from file "
                + path
                + ", key upstream.oauth.client-secert); did you mean"
                + " upstream.oauth.client-secret?");
  }

  // ---- environment variable names ----

  @Test
  void load_environmentOnly_mapsUpperSnakeCaseNamesToKeys() throws Exception {
    AgentConfig config =
        load(
            Map.of(),
            env(
                "UPSTREAM_OAUTH_HOSTS", "api.example.com",
                "UPSTREAM_OAUTH_TOKEN_ENDPOINT", "https://idp.example.com/token",
                "UPSTREAM_OAUTH_CLIENT_ID", "env-client",
                "UPSTREAM_OAUTH_CLIENT_SECRET", SECRET,
                "UPSTREAM_OAUTH_CACHE_DEFAULT_TTL", "120",
                "UPSTREAM_OAUTH_CACHE_REFRESH_AHEAD_WINDOW", "0.5",
                "UPSTREAM_OAUTH_IDP_RETRY_MAX_BACKOFF", "5000",
                "UPSTREAM_OAUTH_PURGE_TOKEN_ON_UPSTREAM_STATUS_CODES", "401,403",
                "UPSTREAM_OAUTH_LOG_LEVEL", "debug"));

    ProfileConfig profile = config.profiles().get(0);
    assertThat(profile.oauth().clientId()).isEqualTo("env-client");
    assertThat(profile.cache().defaultTtlSeconds()).isEqualTo(120);
    assertThat(profile.cache().refreshAheadWindow()).isEqualTo(0.5);
    assertThat(profile.retry().maxBackoffMillis()).isEqualTo(5000);
    assertThat(profile.purgesOn(403)).isTrue();
    assertThat(config.logLevel().name()).isEqualTo("DEBUG");
  }

  @Test
  void load_environmentTokenHeader_becomesUpperCaseHeaderWithDashes() throws Exception {
    AgentConfig config =
        load(valid(), env("UPSTREAM_OAUTH_TOKEN_HEADERS_X_TENANT", "acme"));

    assertThat(oauth(config).tokenHeaders()).containsExactly(Map.entry("X-TENANT", "acme"));
  }

  @Test
  void load_environmentTokenPostArg_becomesLowerCaseField() throws Exception {
    AgentConfig config =
        load(valid(), env("UPSTREAM_OAUTH_TOKEN_POST_ARGS_RESOURCE", "urn:api"));

    assertThat(oauth(config).tokenPostArgs()).containsExactly(Map.entry("resource", "urn:api"));
  }

  @Test
  void load_environmentTokenHeader_overridesFileHeaderOfOtherCase() throws Exception {
    Path path = file("agent.properties", minimalFile() + "upstream.oauth.token-headers.X-Tenant=file\n");

    AgentConfig config =
        ConfigLoader.load(
            Map.of(), env("UPSTREAM_OAUTH_TOKEN_HEADERS_X_TENANT", "env"), path.toString());

    // one header, from the source with precedence; not X-Tenant and X-TENANT both
    assertThat(oauth(config).tokenHeaders()).containsExactly(Map.entry("X-TENANT", "env"));
  }

  @Test
  void load_systemPropertyTokenHeader_overridesEnvironmentHeaderOfOtherCase() throws Exception {
    AgentConfig config =
        load(
            valid("token-headers.x-tenant", "sys"),
            env("UPSTREAM_OAUTH_TOKEN_HEADERS_X_TENANT", "env"));

    assertThat(oauth(config).tokenHeaders()).containsExactly(Map.entry("x-tenant", "sys"));
  }

  @Test
  void load_environmentProfileKeys_areReadForListedProfiles() throws Exception {
    AgentConfig config =
        load(
            valid("hosts", null),
            env(
                "UPSTREAM_OAUTH_PROFILES", "billing",
                "UPSTREAM_OAUTH_BILLING_HOSTS", "billing.example.com",
                "UPSTREAM_OAUTH_BILLING_CLIENT_ID", "billing-client",
                "UPSTREAM_OAUTH_BILLING_CACHE_DEFAULT_TTL", "60",
                "UPSTREAM_OAUTH_BILLING_TOKEN_HEADERS_X_TENANT", "acme"));

    ProfileConfig billing = config.profiles().get(0);
    assertThat(billing.name()).isEqualTo("billing");
    assertThat(billing.hosts()).extracting(HostPattern::text).containsExactly("billing.example.com");
    assertThat(billing.oauth().clientId()).isEqualTo("billing-client");
    assertThat(billing.cache().defaultTtlSeconds()).isEqualTo(60);
    assertThat(billing.oauth().tokenHeaders()).containsExactly(Map.entry("X-TENANT", "acme"));
  }

  @Test
  void load_environmentProfileWithDashInName_usesUnderscore() throws Exception {
    AgentConfig config =
        load(
            valid("hosts", null, "profiles", "my-api"),
            env("UPSTREAM_OAUTH_MY_API_HOSTS", "my.example.com"));

    assertThat(config.profiles().get(0).hosts())
        .extracting(HostPattern::text)
        .containsExactly("my.example.com");
  }

  @Test
  void load_environmentKeysOfUnlistedProfile_areIgnored() throws Exception {
    AgentConfig config = load(valid(), env("UPSTREAM_OAUTH_CRM_HOSTS", "crm.example.com"));

    assertThat(config.profiles()).extracting(ProfileConfig::name).containsExactly("default");
  }

  @Test
  void load_unknownEnvironmentVariableWithPrefix_isIgnoredWithWarning() throws Exception {
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    AgentLog.setOutput(new PrintStream(log, true, StandardCharsets.UTF_8));
    try {
      AgentConfig config = load(valid(), env("UPSTREAM_OAUTH_CLIENT_SECERT", SECRET));

      assertThat(oauth(config).clientSecret()).isEqualTo(SECRET);
    } finally {
      AgentLog.setOutput(System.err);
    }
    assertThat(log.toString(StandardCharsets.UTF_8))
        .contains("ignoring environment variable UPSTREAM_OAUTH_CLIENT_SECERT: not a known key")
        .doesNotContain(SECRET);
  }

  @Test
  void load_environmentVariablesWithoutPrefix_areIgnored() throws Exception {
    AgentConfig config = load(valid(), env("TIMEOUT", "abc", "upstream_oauth_timeout", "abc"));

    assertThat(oauth(config).timeoutMillis()).isEqualTo(10_000);
  }

  @Test
  void load_profilesListFromReference_readsProfileEnvironmentVariables() throws Exception {
    AgentConfig config =
        load(
            valid("hosts", null, "profiles", "${env:MY_PROFILES}"),
            env("MY_PROFILES", "billing", "UPSTREAM_OAUTH_BILLING_HOSTS", "billing.example.com"));

    assertThat(config.profiles()).extracting(ProfileConfig::name).containsExactly("billing");
  }

  // ---- ${env:} and ${file:} references ----

  @Test
  void load_envReference_isReplacedByVariable() throws Exception {
    AgentConfig config = load(valid("client-secret", "${env:IDP_SECRET}"), env("IDP_SECRET", SECRET));

    assertThat(oauth(config).clientSecret()).isEqualTo(SECRET);
  }

  @Test
  void load_severalReferencesAndText_areAllResolved() throws Exception {
    AgentConfig config =
        load(
            valid("token-endpoint", "https://${env:IDP_HOST}:${env:IDP_PORT}/token"),
            env("IDP_HOST", "idp.internal", "IDP_PORT", "8443"));

    assertThat(oauth(config).tokenEndpoint().toString()).isEqualTo("https://idp.internal:8443/token");
  }

  @Test
  void load_envReferenceInFileValue_isResolved() throws Exception {
    Path path =
        file(
            "agent.properties",
            minimalFile().replace("client-secret=file-secret", "client-secret=${env:IDP_SECRET}"));

    AgentConfig config = ConfigLoader.load(Map.of(), env("IDP_SECRET", SECRET), path.toString());

    assertThat(oauth(config).clientSecret()).isEqualTo(SECRET);
  }

  @Test
  void load_envReferenceToUnsetVariable_isProblemNamingKey() {
    assertThat(problems(valid("client-secret", "${env:NOT_SET}")))
        .containsExactly(
            "upstream.oauth.client-secret: environment variable NOT_SET is not set (referenced as"
                + " ${env:NOT_SET} from system property upstream.oauth.client-secret)");
  }

  @Test
  void load_fileReference_readsFileAndTrimsTrailingNewlines() throws Exception {
    Path secret = file("secret.txt", SECRET + "\r\n\n");

    AgentConfig config = load(valid("client-secret", "${file:" + secret + "}"));

    assertThat(oauth(config).clientSecret()).isEqualTo(SECRET);
  }

  @Test
  void load_fileReferenceInsideText_keepsSurroundingText() throws Exception {
    Path tenant = file("tenant.txt", "acme\n");

    AgentConfig config = load(valid("token-headers.X-Tenant", "t-${file:" + tenant + "}-1"));

    assertThat(oauth(config).tokenHeaders()).containsExactly(Map.entry("X-Tenant", "t-acme-1"));
  }

  @Test
  void load_fileReferenceToMissingFile_isProblemNamingKey() {
    String missing = dir.resolve("nope.txt").toString();

    assertThat(problems(valid("client-secret", "${file:" + missing + "}")))
        .containsExactly(
            "upstream.oauth.client-secret: cannot read file '"
                + missing
                + "' (referenced from system property upstream.oauth.client-secret):"
                + " NoSuchFileException");
  }

  @Test
  void load_unknownReferenceKind_isProblem() {
    assertThat(problems(valid("client-id", "${vault:x}")))
        .containsExactly(
            "upstream.oauth.client-id: unknown reference '${vault:x}', use ${env:NAME} or"
                + " ${file:/path} (from system property upstream.oauth.client-id)");
  }

  @Test
  void load_unclosedReference_isProblem() {
    assertThat(problems(valid("client-id", "${env:X")))
        .containsExactly(
            "upstream.oauth.client-id: unclosed '${' (from system property upstream.oauth.client-id)");
  }

  @Test
  void load_brokenReferencesInSeveralKeys_areAllReported() {
    assertThat(problems(valid("client-id", "${env:A}", "token-endpoint", "${env:B}")))
        .hasSize(2)
        .anyMatch(p -> p.startsWith("upstream.oauth.client-id: environment variable A "))
        .anyMatch(p -> p.startsWith("upstream.oauth.token-endpoint: environment variable B "));
  }

  @Test
  void load_failedReferenceInRequiredKey_isNotAlsoReportedAsMissing() {
    // the key is set; "is required" would send the user looking for the wrong mistake
    assertThat(
            problems(
                valid(
                    "hosts", "${env:H}",
                    "grant-type", "password",
                    "username", "${env:U}",
                    "password", "${env:P}")))
        .containsExactly(
            "upstream.oauth.hosts: environment variable H is not set (referenced as ${env:H} from"
                + " system property upstream.oauth.hosts)",
            "upstream.oauth.username: environment variable U is not set (referenced as ${env:U}"
                + " from system property upstream.oauth.username)",
            "upstream.oauth.password: environment variable P is not set (referenced as ${env:P}"
                + " from system property upstream.oauth.password)");
  }

  @Test
  void load_failedReferenceInProfileKey_doesNotFallBackToInheritedValue() {
    assertThat(
            problems(
                valid(
                    "hosts", null,
                    "profiles", "billing",
                    "billing.hosts", "billing.example.com",
                    "billing.client-id", "${env:BILLING_ID}")))
        .containsExactly(
            "upstream.oauth.billing.client-id: environment variable BILLING_ID is not set"
                + " (referenced as ${env:BILLING_ID} from system property"
                + " upstream.oauth.billing.client-id)");
  }

  @Test
  void load_valueWithDollarButNoBrace_isLiteral() throws Exception {
    AgentConfig config = load(valid("client-secret", "pa$$word{x}"));

    assertThat(oauth(config).clientSecret()).isEqualTo("pa$$word{x}");
  }

  // ---- system properties ----

  @Test
  void systemProperties_copiesOnlyPrefixedStringProperties() {
    Properties properties = new Properties();
    properties.setProperty("upstream.oauth.hosts", "a.example.com");
    properties.setProperty("java.version", "17");
    properties.setProperty("upstream.oauthx", "x");
    properties.put("upstream.oauth.timeout", 5); // not a String: ignored

    assertThat(ConfigSources.systemProperties(properties))
        .containsExactly(Map.entry("upstream.oauth.hosts", "a.example.com"));
  }

  @Test
  void read_rawConfig_keepsOriginAndHidesValuesInToString() {
    List<String> problems = new ArrayList<>();
    RawConfig raw =
        new ConfigSources(
                valid(), env("UPSTREAM_OAUTH_PASSWORD", SECRET, "UPSTREAM_OAUTH_TIMEOUT", "5"), null, problems)
            .read();

    assertThat(problems).isEmpty();
    assertThat(raw.get("timeout")).isEqualTo("5");
    assertThat(raw.origin("timeout")).isEqualTo("environment variable UPSTREAM_OAUTH_TIMEOUT");
    assertThat(raw.origin("client-id")).isEqualTo("system property upstream.oauth.client-id");
    assertThat(raw.origin("scopes")).isNull();
    assertThat(raw.contains("password")).isTrue();
    assertThat(raw.toString()).contains("password").doesNotContain(SECRET);
  }

  @Test
  void profileNames_splitsTrimsAndDropsDuplicates() {
    assertThat(ConfigSources.profileNames(" a, b ,,a, c ")).containsExactly("a", "b", "c");
    assertThat(ConfigSources.profileNames(null)).isEmpty();
    assertThat(ConfigSources.profileNames("")).isEmpty();
  }
}
