package io.upstreamoauth.it.cli;

import static org.assertj.core.api.Assertions.assertThat;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import io.upstreamoauth.it.support.AgentApp;
import io.upstreamoauth.it.support.AppRun;
import io.upstreamoauth.it.support.FakeIdp;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code java -jar upstream-oauth-agent.jar from-kong <file>} in a forked JVM on the real shaded
 * jar (SnakeYAML relocated inside it), and the file it prints taken as it is by {@code check}: the
 * token comes from FakeIdp with the secret the Kong file held in a vault reference.
 */
class FromKongIT {

  private static final String SECRET = "Kong-Vault-Secret-Wombat-9921";
  private static final String LITERAL = "Literal-Kong-Secret-Never-Printed-3307";
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

  record Result(int exitCode, String stdout, String stderr) {
    @Override
    public String toString() {
      return "exit " + exitCode + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
    }
  }

  private Result java(Map<String, String> environment, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(AgentApp.Paths.javaHome().resolve("bin").resolve("java").toString());
    command.add("-XX:TieredStopAtLevel=1");
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

  private void writeKongYaml(Path kong, String serviceUrl) throws IOException {
    Files.writeString(kong, String.join("\n",
        "_format_version: \"3.0\"",
        "services:",
        "- name: example-service",
        "  url: " + serviceUrl,
        "  routes:",
        "  - name: example-route",
        "    paths: [/anything]",
        "  plugins:",
        "  - name: upstream-oauth",
        "    config:",
        "      oauth:",
        "        token_endpoint: " + idp.tokenEndpoint(),
        "        client_id: orders-service",
        "        client_secret: \"{vault://env/partner-secret}\"",
        "        scopes: [orders.read]",
        "      client:",
        "        auth_method: client_secret_basic",
        "      behavior:",
        "        upstream_access_token_header_name: X-Upstream-Token",
        "        idp_error_response_status_code: 503",
        ""));
  }

  @Test
  void fromKong_deckYaml_printsAFileThatCheckAcceptsAsItIs() throws Exception {
    Path kong = dir.resolve("kong.yaml");
    writeKongYaml(kong, "http://127.0.0.1:18080/anything");

    Result converted = java(Map.of(), "from-kong", kong.toString());

    assertThat(converted.exitCode()).as(converted.toString()).isEqualTo(0);
    assertThat(converted.stdout())
        .contains("upstream.oauth.profiles=example-service\n")
        .contains("upstream.oauth.example-service.hosts=http://127.0.0.1:18080/anything\n")
        .contains("upstream.oauth.example-service.client-secret=${env:PARTNER_SECRET}\n")
        .contains("config.behavior.idp_error_response_status_code = 503: no equivalent")
        .contains("IOException");
    assertThat(converted.stderr()).contains("set the environment variables PARTNER_SECRET");

    Path agentFile = dir.resolve("agent.properties");
    Files.writeString(agentFile, converted.stdout());
    Result check = java(Map.of("PARTNER_SECRET", SECRET), "check", "--url", "http://127.0.0.1:18080/anything/get",
        agentFile.toString());

    assertThat(check.exitCode()).as(check.toString()).isEqualTo(0);
    assertThat(check.stdout())
        .contains("profile 'example-service'")
        .contains("auth method: client_secret_basic")
        .contains("url http://127.0.0.1:18080/anything/get: profile 'example-service', header X-Upstream-Token");
    assertThat(idp.tokenRequests()).hasSize(1);
    assertThat(idp.tokenRequests().get(0).getHeader("Authorization")).isNotNull();
    assertThat(check.stdout() + check.stderr()).doesNotContain(SECRET);
  }

  @Test
  void fromKong_fileIsTheJavaagentArgument_theAppsCallCarriesTheToken() throws Exception {
    // the service's upstream is WireMock itself: it answers only a call that carries the token
    idp.server().stubFor(get(urlPathEqualTo("/anything/orders"))
        .withHeader("X-Upstream-Token", matching("Bearer .+"))
        .willReturn(aResponse().withStatus(200).withBody("ok")));
    Path kong = dir.resolve("kong.yaml");
    writeKongYaml(kong, "http://127.0.0.1:" + idp.server().port() + "/anything");
    Result converted = java(Map.of(), "from-kong", kong.toString());
    assertThat(converted.exitCode()).as(converted.toString()).isEqualTo(0);
    Path agentFile = dir.resolve("agent.properties");
    Files.writeString(agentFile, converted.stdout());

    AppRun run = AgentApp.of("http-url-connection")
        .agentArgs(agentFile.toString())
        .env("PARTNER_SECRET", SECRET)
        .run("--url", "http://127.0.0.1:" + idp.server().port() + "/anything/orders", "--count", "2");

    assertThat(run.ok()).as(run.toString()).isEqualTo(2);
    assertThat(idp.tokenRequests()).hasSize(1);
    assertThat(run.stdout() + run.stderr()).doesNotContain(SECRET);
  }

  @Test
  void fromKong_adminApiJson_literalSecretNeverPrinted_hostsLeftToFillIn() throws Exception {
    Path plugin = dir.resolve("plugin.json");
    Files.writeString(plugin, "{\"name\":\"upstream-oauth\",\"config\":{\"oauth\":{\"token_endpoint\":\""
        + idp.tokenEndpoint() + "\",\"grant_type\":\"client_credentials\",\"client_id\":\"k1d\","
        + "\"client_secret\":\"" + LITERAL + "\",\"scopes\":[\"Scope\"]},"
        + "\"behavior\":{\"upstream_access_token_header_name\":\"Authorization\"}}}");

    Result converted = java(Map.of(), "from-kong", plugin.toString());

    assertThat(converted.exitCode()).as(converted.toString()).isEqualTo(0);
    assertThat(converted.stdout() + converted.stderr()).doesNotContain(LITERAL);
    assertThat(converted.stdout())
        .contains("upstream.oauth.kong-1.client-secret=${env:KONG_1_CLIENT_SECRET}")
        .contains("#upstream.oauth.kong-1.hosts=FILL-IN");
    assertThat(converted.stderr()).contains("fill in the hosts of kong-1");
  }

  @Test
  void fromKong_noFile_exits2() throws Exception {
    Result result = java(Map.of(), "from-kong", dir.resolve("missing.yaml").toString());
    assertThat(result.exitCode()).as(result.toString()).isEqualTo(2);
    assertThat(result.stderr()).contains("cannot read");
  }
}
