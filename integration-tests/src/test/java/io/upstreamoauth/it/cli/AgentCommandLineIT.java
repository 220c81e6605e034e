package io.upstreamoauth.it.cli;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import io.upstreamoauth.it.support.AgentApp;
import io.upstreamoauth.it.support.AppRun;
import io.upstreamoauth.it.support.FakeIdp;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code java -jar upstream-oauth-agent.jar check} in a forked JVM, the way a deployment pipeline
 * runs it: the real shaded jar, configuration from -D properties, the environment and a file,
 * against FakeIdp. Whatever the outcome, no token and no secret is ever printed.
 */
class AgentCommandLineIT {

  private static final String SECRET = "Zq7xK-SuperSecret-Quokka-4471-pLmN";
  private static final long TIMEOUT_SECONDS = 120;

  private FakeIdp idp;
  @TempDir Path dir;

  @BeforeEach
  void startIdp() {
    idp = new FakeIdp();
  }

  @AfterEach
  void stopIdp() {
    idp.close();
  }

  /** The output of one command; exit code, stdout and stderr. */
  record Result(int exitCode, String stdout, String stderr) {
    String all() {
      return stdout + stderr;
    }

    @Override
    public String toString() {
      return "exit " + exitCode + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
    }
  }

  private Result command(Map<String, String> properties, Map<String, String> environment, String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(AgentApp.Paths.javaHome().resolve("bin").resolve("java").toString());
    command.add("-XX:TieredStopAtLevel=1");
    properties.forEach((name, value) -> command.add("-D" + name + "=" + value));
    command.add("-jar");
    command.add(AgentApp.Paths.agentJar().toString());
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().keySet().removeIf(name -> name.startsWith("UPSTREAM_OAUTH_"));
    builder.environment().remove("JAVA_TOOL_OPTIONS");
    builder.environment().putAll(environment);
    Path out = Files.createTempFile(dir, "out", ".txt");
    Path err = Files.createTempFile(dir, "err", ".txt");
    builder.redirectOutput(out.toFile());
    builder.redirectError(err.toFile());
    Process process = builder.start();
    if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
      throw new AssertionError("java -jar " + List.of(args) + " did not exit within " + TIMEOUT_SECONDS + " s");
    }
    return new Result(
        process.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
  }

  private Map<String, String> valid() {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("upstream.oauth.profiles", "orders,crm");
    p.put("upstream.oauth.token-endpoint", idp.tokenEndpoint());
    p.put("upstream.oauth.client-id", "orders-service");
    p.put("upstream.oauth.client-secret", SECRET);
    p.put("upstream.oauth.orders.hosts", "localhost:18080");
    p.put("upstream.oauth.crm.hosts", "https://crm.example.net/api");
    p.put("upstream.oauth.crm.header-name", "X-Crm-Token");
    p.put("upstream.oauth.crm.scopes", "crm.read");
    return p;
  }

  /** No access token FakeIdp issued, no secret, in anything the command printed. */
  private void assertNothingSecret(Result result) {
    assertThat(idp.issued()).as("the command fetched tokens").isNotEmpty();
    for (String token : idp.issued()) {
      assertThat(result.all()).as("token in the output\n" + result).doesNotContain(token).doesNotContain("secretpart");
    }
    assertThat(result.all()).as("secret in the output\n" + result).doesNotContain(SECRET);
  }

  @Test
  void check_goodConfiguration_fetchesOneTokenPerProfile_exits0() throws Exception {
    Result result = command(valid(), Map.of(), "check");
    assertThat(result.exitCode()).as(result.toString()).isEqualTo(0);
    assertThat(result.stdout())
        .contains("the configuration is valid: 2 profile(s)")
        .contains("profile 'orders'\n  endpoint: " + idp.tokenEndpoint() + "\n")
        .contains("profile 'crm'\n")
        .contains("  grant: client_credentials, auth method: client_secret_basic, cache: memory")
        .contains("  hosts: [localhost:18080], header: Authorization")
        .contains("  hosts: [https://crm.example.net/api], header: X-Crm-Token")
        .containsPattern("  token: Bearer, expires_in: 3600 s, scope: not sent \\(none requested\\), sha256: [0-9a-f]{12}\n")
        .contains("scope: not sent (requested \"crm.read\")")
        .contains("jwt: no (an opaque token)");
    assertThat(idp.tokenRequests()).hasSize(2);
    assertNothingSecret(result);
  }

  @Test
  void check_fromFileAndEnvironment_likeTheAgent() throws Exception {
    Path file = dir.resolve("oauth.properties");
    Files.writeString(
        file,
        "upstream.oauth.hosts=api.example.com\n"
            + "upstream.oauth.token-endpoint=" + idp.tokenEndpoint() + "\n"
            + "upstream.oauth.client-id=orders-service\n"
            + "upstream.oauth.client-secret=${env:PARTNER_SECRET}\n");
    Result result =
        command(Map.of(), Map.of("PARTNER_SECRET", SECRET, "UPSTREAM_OAUTH_AUTH_METHOD", "client_secret_post"), "check", file.toString());
    assertThat(result.exitCode()).as(result.toString()).isEqualTo(0);
    assertThat(result.stdout())
        .contains("profile 'default'")
        .contains("auth method: client_secret_post");
    // the secret came from the environment through the file's ${env:...} and was sent in the form
    assertThat(idp.tokenRequests().get(0).getBodyAsString()).contains("client_secret=" + SECRET);
    assertNothingSecret(result);
  }

  @Test
  void check_jwtToken_printsIssAudExpCnf_notTheToken() throws Exception {
    String jwt =
        b64("{\"alg\":\"ES256\",\"typ\":\"at+jwt\"}") + "."
            + b64("{\"iss\":\"https://idp.test/realms/test\",\"aud\":\"orders-api\",\"exp\":2000000000,"
                + "\"cnf\":{\"jkt\":\"NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs\"},\"sub\":\"svc-orders\"}")
            + ".c2lnbmF0dXJlLW5vdC1jaGVja2VkLWhlcmU";
    idp.server().resetAll();
    idp.server()
        .stubFor(
            post(urlPathEqualTo(FakeIdp.PATH))
                .willReturn(
                    aResponse()
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"access_token\":\"" + jwt + "\",\"token_type\":\"Bearer\",\"expires_in\":600,"
                            + "\"scope\":\"orders.read\"}")));
    Map<String, String> p = valid();
    p.put("upstream.oauth.profiles", "orders");
    p.remove("upstream.oauth.crm.hosts");
    p.remove("upstream.oauth.crm.header-name");
    p.remove("upstream.oauth.crm.scopes");
    Result result = command(p, Map.of(), "check");
    assertThat(result.exitCode()).as(result.toString()).isEqualTo(0);
    assertThat(result.stdout())
        .contains("  token: Bearer, expires_in: 600 s, scope: \"orders.read\", sha256: ")
        .contains(
            "  jwt: iss=https://idp.test/realms/test aud=orders-api exp=2000000000 (2033-05-18T03:33:20Z)"
                + " cnf={\"jkt\":\"NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs\"}");
    for (String part : jwt.split("\\.")) {
      assertThat(result.all()).doesNotContain(part);
    }
    assertThat(result.all()).doesNotContain("svc-orders").doesNotContain(SECRET);
  }

  @Test
  void check_idpRefuses_exits1_namingTheIdpError() throws Exception {
    idp.fail(401, "application/json", "{\"error\":\"invalid_client\",\"error_description\":\"client secret " + SECRET + " is wrong\"}");
    Result result = command(valid(), Map.of(), "check");
    assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
    assertThat(result.stdout())
        .contains("profile 'orders'")
        .contains("  token: REFUSED (configuration): token endpoint " + idp.tokenEndpoint() + " answered HTTP 401: invalid_client");
    assertThat(result.all()).doesNotContain(SECRET);
  }

  @Test
  void check_invalidConfiguration_exits2_namingEveryKey_askingNoIdp() throws Exception {
    Map<String, String> p = valid();
    p.put("upstream.oauth.orders.timeout", "ten seconds");
    p.put("upstream.oauth.crm.hosts", "http:/127.0.0.1:18080");
    p.put("upstream.oauth.client-secert", SECRET);
    Result result = command(p, Map.of(), "check");
    assertThat(result.exitCode()).as(result.toString()).isEqualTo(2);
    assertThat(result.stdout())
        .contains("the configuration is invalid:")
        .contains("  - upstream.oauth.orders.timeout: ")
        .contains("  - upstream.oauth.crm.hosts: ")
        .contains("unknown key upstream.oauth.client-secert");
    assertThat(idp.tokenRequests()).isEmpty();
    assertThat(result.all()).doesNotContain(SECRET);
  }

  @Test
  void checkUrl_saysWhichProfileAndHeader_andExplainsNearMisses() throws Exception {
    Result result =
        command(
            valid(),
            Map.of(),
            "check",
            "--url", "http://localhost:18080/orders/1",
            "--url", "https://crm.example.net/api/contacts",
            "--url", "http://127.0.0.1:18080/orders/1",
            "--url", "http://crm.example.net/api/contacts",
            "--url", "https://crm.example.net/apis",
            "--url", "https://elsewhere.example.org/");
    assertThat(result.exitCode()).as(result.toString()).isEqualTo(0);
    assertThat(result.stdout())
        .contains("url http://localhost:18080/orders/1: profile 'orders', header Authorization (hosts entry 'localhost:18080')")
        .contains("url https://crm.example.net/api/contacts: profile 'crm', header X-Crm-Token (hosts entry 'https://crm.example.net/api')")
        .contains(
            "url http://127.0.0.1:18080/orders/1: no profile, the request goes without a token\n"
                + "  near miss: profile 'orders', hosts entry 'localhost:18080': 'localhost' and '127.0.0.1' are both this"
                + " machine (loopback), but hosts entries are compared by name")
        .contains(
            "url http://crm.example.net/api/contacts: no profile, the request goes without a token\n"
                + "  near miss: profile 'crm', hosts entry 'https://crm.example.net/api': the host matches, but the entry is"
                + " for https only, the URL is http")
        .contains(
            "  near miss: profile 'crm', hosts entry 'https://crm.example.net/api': the host matches, but the path /apis"
                + " is not under /api")
        .contains("url https://elsewhere.example.org/: no profile, the request goes without a token\n");
    assertNothingSecret(result);
  }

  @Test
  void noCommand_or_unknownCommand_printsUsage_exits2() throws Exception {
    Result none = command(Map.of(), Map.of());
    assertThat(none.exitCode()).isEqualTo(2);
    assertThat(none.stderr()).contains("usage: java").contains("check [--url URL ...] [file]");
    Result unknown = command(Map.of(), Map.of(), "verify");
    assertThat(unknown.exitCode()).isEqualTo(2);
    assertThat(unknown.stderr()).contains("unknown command 'verify'").contains("usage: java");
  }

  @Test
  void version_and_help_fromTheShadedJar() throws Exception {
    Result version = command(Map.of(), Map.of(), "version");
    assertThat(version.exitCode()).isEqualTo(0);
    assertThat(version.stdout())
        .containsPattern("upstream-oauth-agent \\d+\\.\\d+\\.\\d+")
        .containsPattern("Byte Buddy \\d+\\.\\d+\\.\\d+")
        .contains("Java ");
    Result help = command(Map.of(), Map.of(), "help");
    assertThat(help.exitCode()).isEqualTo(0);
    assertThat(help.stdout()).contains("upstream.oauth.token-endpoint  (default: required)");
  }

  @Test
  void agent_loadsNoCommandLineClass_andLogsItsVersion() throws Exception {
    idp.server().stubFor(get(urlPathEqualTo("/orders")).willReturn(aResponse().withStatus(200).withBody("ok")));
    String api = "127.0.0.1:" + idp.server().port();
    AppRun run =
        AgentApp.of("http-url-connection")
            .jvmArg("-verbose:class")
            .oauth("hosts", api)
            .oauth("token-endpoint", idp.tokenEndpoint())
            .oauth("client-id", "orders-service")
            .oauth("client-secret", SECRET)
            .run("--url", "http://" + api + "/orders", "--count", "1");
    assertThat(run.stdout()).contains("io.upstreamoauth.agent.AgentInstaller").doesNotContain("io.upstreamoauth.agent.cli.");
    assertThat(run.stderr()).containsPattern("INFO version \\d+\\.\\d+\\.\\d+[^,]*, profile 'default': tokens from");
  }

  private static String b64(String json) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }
}
