package io.upstreamoauth.agent.config;

import static io.upstreamoauth.agent.config.TestConfigs.SECRET;
import static io.upstreamoauth.agent.config.TestConfigs.env;
import static io.upstreamoauth.agent.config.TestConfigs.load;
import static io.upstreamoauth.agent.config.TestConfigs.problems;
import static io.upstreamoauth.agent.config.TestConfigs.valid;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Secret values (client-secret, password, token-headers.*, token-post-args.*) never show. */
class SecretLeakTest {

  private static final String HEADER_SECRET = "Hdr-Secret-Walrus-8812";
  private static final String ARG_SECRET = "Arg-Secret-Narwhal-3390";
  private static final String PASSWORD = "Pw-Secret-Axolotl-5521";

  @TempDir Path dir;

  private static void assertNoSecret(String text) {
    assertThat(text)
        .doesNotContain(SECRET)
        .doesNotContain(HEADER_SECRET)
        .doesNotContain(ARG_SECRET)
        .doesNotContain(PASSWORD);
  }

  private static void assertNoSecret(List<String> problems) {
    for (String problem : problems) {
      assertNoSecret(problem);
    }
  }

  private static Map<String, String> withAllSecrets(String... more) {
    Map<String, String> props =
        valid(
            "grant-type", "password",
            "username", "alice",
            "password", PASSWORD,
            "token-headers.X-Api-Key", HEADER_SECRET,
            "token-post-args.client_assertion_x", ARG_SECRET);
    props.putAll(valid(more));
    return props;
  }

  @Test
  void toString_ofEveryConfigObject_showsNoSecret() throws Exception {
    AgentConfig config = load(withAllSecrets());
    ProfileConfig profile = config.profiles().get(0);

    assertThat(profile.oauth().clientSecret()).isEqualTo(SECRET);
    assertThat(profile.oauth().password()).isEqualTo(PASSWORD);
    assertNoSecret(config.toString());
    assertNoSecret(profile.toString());
    assertNoSecret(profile.oauth().toString());
    assertThat(config.toString()).contains("api.example.com").contains("my-client");
  }

  @Test
  void toString_ofRawConfigAndValues_showsNoSecret() {
    List<String> problems = new ArrayList<>();
    RawConfig raw = new ConfigSources(withAllSecrets(), Map.of(), null, problems).read();

    assertThat(raw.get("client-secret")).isEqualTo(SECRET);
    assertNoSecret(raw.toString());
    assertNoSecret(new RawConfig.Value(SECRET, "test").toString());
  }

  @Test
  void problems_aboutSecretValues_doNotEchoThem() {
    List<String> problems =
        problems(
            withAllSecrets(
                "auth-method", "client_secret_jwt",
                "client-secret-jwt-alg", "HS512")); // SECRET is shorter than 64 bytes

    assertThat(problems)
        .containsExactly(
            "upstream.oauth.client-secret: client_secret_jwt with HS512 needs a secret of at least"
                + " 64 bytes (RFC 7518 §3.2), it has "
                + SECRET.length());
  }

  @Test
  void problems_otherProblemsWithSecretsSet_doNotEchoSecrets() {
    List<String> problems =
        problems(
            withAllSecrets(
                "timeout", "x",
                "hosts", "bad host",
                "unknown-key", SECRET,
                "client-secert", SECRET,
                "token-headers.Bad Name", HEADER_SECRET));

    assertThat(problems).hasSize(5);
    assertNoSecret(problems);
  }

  @Test
  void problems_unresolvableReferenceInSecret_doNotEchoSecretText() {
    String secretWithDollar = "p4ss${" + SECRET + "}";

    List<String> problems =
        problems(
            valid(
                "client-secret", secretWithDollar,
                "password", "x${vault:" + PASSWORD + "}",
                "token-headers.X-Key", "${" + HEADER_SECRET,
                "token-post-args.k", "${file:/nonexistent/" + ARG_SECRET + "}"));

    assertThat(problems).hasSize(4);
    assertThat(String.join("\n", problems))
        .doesNotContain(SECRET)
        .doesNotContain(PASSWORD)
        .doesNotContain(HEADER_SECRET)
        // a file reference is a path, not a secret: it is shown so that it can be fixed
        .contains("cannot read file '/nonexistent/" + ARG_SECRET + "'");
    assertThat(problems)
        .anyMatch(p -> p.startsWith("upstream.oauth.client-secret: "))
        .anyMatch(p -> p.startsWith("upstream.oauth.password: "))
        .anyMatch(p -> p.startsWith("upstream.oauth.token-headers.X-Key: "))
        .anyMatch(p -> p.startsWith("upstream.oauth.token-post-args.k: "));
  }

  @Test
  void problems_unknownReferenceInProfileSecret_isNotEchoed() {
    List<String> problems =
        problems(
            valid(
                "profiles", "billing",
                "billing.hosts", "billing.example.com",
                "billing.client-secret", "${" + SECRET + "}",
                "billing.token-headers.X-Key", "${" + HEADER_SECRET + "}"));

    assertThat(problems)
        .containsExactly(
            "upstream.oauth.billing.client-secret: unknown reference, use ${env:NAME} or"
                + " ${file:/path} (from system property upstream.oauth.billing.client-secret)",
            "upstream.oauth.billing.token-headers.X-Key: unknown reference, use ${env:NAME} or"
                + " ${file:/path} (from system property upstream.oauth.billing.token-headers.X-Key)");
  }

  @Test
  void problems_unresolvableReferenceInNonSecret_showsReference() {
    assertThat(problems(valid("scopes", "${oops}")))
        .containsExactly(
            "upstream.oauth.scopes: unknown reference '${oops}', use ${env:NAME} or ${file:/path}"
                + " (from system property upstream.oauth.scopes)");
  }

  @Test
  void problems_secretFromReferencedFileOrEnvironment_areNotEchoed() throws Exception {
    Path secretFile = dir.resolve("secret");
    Files.write(secretFile, (SECRET + "\n").getBytes(StandardCharsets.UTF_8));

    ConfigException e =
        catchThrowableOfType(
            ConfigException.class,
            () ->
                ConfigLoader.load(
                    valid(
                        "auth-method", "client_secret_jwt",
                        "client-secret-jwt-alg", "HS512",
                        "client-secret", "${file:" + secretFile + "}",
                        "password", "${env:PW}",
                        "grant-type", "password",
                        "username", "alice",
                        "timeout", "bad"),
                    env("PW", PASSWORD),
                    null));

    assertThat(e.problems()).hasSize(2); // secret length and timeout
    assertNoSecret(e.getMessage());
  }

  @Test
  void problems_tokenEndpointWithCredentials_doNotEchoThem() {
    List<String> problems =
        problems(valid("token-endpoint", "http://my-client:" + SECRET + "@idp.example.com/token"));

    assertNoSecret(problems);
    assertThat(problems).singleElement().asString().startsWith("upstream.oauth.token-endpoint: ");
  }

  @Test
  void problems_fromEnvironmentSecrets_doNotEchoThem() {
    List<String> problems =
        problems(
            valid("client-secret", null, "timeout", "-1"),
            env(
                "UPSTREAM_OAUTH_CLIENT_SECRET", SECRET,
                "UPSTREAM_OAUTH_TOKEN_HEADERS_X_KEY", HEADER_SECRET,
                "UPSTREAM_OAUTH_TOKEN_POST_ARGS_K", ARG_SECRET));

    assertThat(problems).hasSize(1);
    assertNoSecret(problems);
  }
}
