package io.upstreamoauth.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.upstreamoauth.agent.config.ConfigKey;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CommandsTest {

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(Map<String, String> properties, String... args) {
    return Commands.run(
        args,
        properties,
        new HashMap<String, String>(),
        new PrintStream(out, true),
        new PrintStream(err, true));
  }

  private int run(String... args) {
    return run(new HashMap<String, String>(), args);
  }

  private String out() {
    return new String(out.toByteArray(), StandardCharsets.UTF_8);
  }

  private String err() {
    return new String(err.toByteArray(), StandardCharsets.UTF_8);
  }

  @Test
  void help_listsEveryKeyWithItsDefaultAndMeaning() {
    assertThat(run("help")).isEqualTo(0);
    for (ConfigKey key : ConfigKey.values()) {
      assertThat(key.meaning()).as(key.key()).isNotBlank();
      String shown = key.shownDefault().equals("—") ? "none" : key.shownDefault().replace("`", "");
      assertThat(out())
          .contains(key.fullName(null) + "  (default: " + shown + ")\n    ")
          .contains(key.meaning());
    }
    assertThat(out())
        .contains("upstream.oauth.token-headers.<Header-Name>")
        .contains("upstream.oauth.token-post-args.<name>")
        .contains("upstream.oauth.timeout  (default: 10000)")
        .contains("upstream.oauth.hosts  (default: required)");
  }

  @Test
  void help_isAscii_soAnyTerminalShowsIt() {
    run("help");
    assertThat(out()).matches("\\A\\p{ASCII}*\\z");
  }

  @Test
  void version_namesAgentByteBuddyAndJava() {
    assertThat(run("version")).isEqualTo(0);
    assertThat(out())
        // the build filters the resource: a placeholder or "unknown" means it did not
        .containsPattern("upstream-oauth-agent \\d+\\.\\d+\\.\\d+")
        .containsPattern("Byte Buddy \\d+\\.\\d+\\.\\d+")
        .contains("Java " + System.getProperty("java.version"));
  }

  @Test
  void noCommand_printsUsage_exits2() {
    assertThat(run()).isEqualTo(2);
    assertThat(err()).contains("usage:").contains("check [--url URL ...] [file]").contains("from-kong <file>");
  }

  @Test
  void unknownCommand_namesIt_printsUsage_exits2() {
    assertThat(run("chek")).isEqualTo(2);
    assertThat(err()).contains("unknown command 'chek'").contains("usage:");
  }

  @Test
  void help_withArguments_exits2() {
    assertThat(run("help", "extra")).isEqualTo(2);
    assertThat(err()).contains("unexpected arguments");
  }

  @Test
  void check_invalidConfiguration_namesEveryKey_exits2() {
    Map<String, String> properties = new HashMap<>();
    properties.put("upstream.oauth.hosts", "api.example.com");
    properties.put("upstream.oauth.token-endpoint", "https://idp.example.com/token");
    properties.put("upstream.oauth.client-id", "c");
    properties.put("upstream.oauth.client-secret", "s3cr3t-never-shown");
    properties.put("upstream.oauth.timeout", "ten seconds");
    properties.put("upstream.oauth.client-secert", "x");
    assertThat(run(properties, "check")).isEqualTo(2);
    assertThat(out())
        .contains("the configuration is invalid")
        .contains("upstream.oauth.timeout: ")
        .contains("unknown key upstream.oauth.client-secert")
        .doesNotContain("s3cr3t-never-shown");
  }

  @Test
  void check_nothingConfigured_exits2() {
    assertThat(run("check")).isEqualTo(2);
    assertThat(out()).contains("no upstream.oauth.* configuration was found");
  }

  @Test
  void check_unknownOption_exits2() {
    assertThat(run("check", "--verbose")).isEqualTo(2);
    assertThat(err()).contains("unexpected argument '--verbose'");
  }

  @Test
  void check_unreadableFile_namesConfigFile_exits2() {
    assertThat(run("check", "/nonexistent/oauth.properties")).isEqualTo(2);
    assertThat(out()).contains("upstream.oauth.config-file: cannot read '/nonexistent/oauth.properties'");
  }

  @Test
  void check_urlWithoutValue_exits2() {
    assertThat(run("check", "--url")).isEqualTo(2);
    assertThat(err()).contains("check: --url needs a URL");
  }

  @Test
  void fromKong_printsTheProfiles_exits0() throws Exception {
    java.nio.file.Path file = java.nio.file.Files.createTempFile("kong", ".yaml");
    try {
      java.nio.file.Files.write(file, ("_format_version: '3.0'\nservices:\n- name: api\n  url: https://api.internal\n"
          + "  plugins:\n  - name: upstream-oauth\n    config: {oauth: {token_endpoint: https://idp/token,"
          + " client_id: c, client_secret: '{vault://env/api-secret}'}}\n").getBytes(StandardCharsets.UTF_8));
      assertThat(run("from-kong", file.toString())).isEqualTo(0);
      assertThat(out())
          .contains("upstream.oauth.profiles=api\n")
          .contains("upstream.oauth.api.hosts=https://api.internal\n")
          .contains("upstream.oauth.api.client-secret=${env:API_SECRET}\n");
      assertThat(err()).contains("from-kong: 1 profile(s): api").contains("API_SECRET");
    } finally {
      java.nio.file.Files.delete(file);
    }
  }

  @Test
  void fromKong_withoutFile_or_unreadable_exits2() {
    assertThat(run("from-kong")).isEqualTo(2);
    assertThat(err()).contains("usage: java -jar upstream-oauth-agent.jar from-kong");
    assertThat(run("from-kong", "/nonexistent/kong.yaml")).isEqualTo(2);
    assertThat(err()).contains("from-kong: cannot read '/nonexistent/kong.yaml'");
  }
}
