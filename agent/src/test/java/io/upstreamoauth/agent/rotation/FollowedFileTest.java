package io.upstreamoauth.agent.rotation;

import static org.assertj.core.api.Assertions.assertThat;

import io.upstreamoauth.agent.util.AgentLog;
import io.upstreamoauth.agent.util.FakeClock;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One value that follows its file (the Redis password), on a fake clock. */
class FollowedFileTest {

  @TempDir Path volume;
  private final FakeClock clock = new FakeClock();
  private final ByteArrayOutputStream log = new ByteArrayOutputStream();

  @BeforeEach
  void captureLog() {
    AgentLog.setOutput(new PrintStream(log, true));
    AgentLog.resetLimits();
  }

  @AfterEach
  void restoreLog() {
    AgentLog.setOutput(System.err);
  }

  private void mount(int generation, String value) throws Exception {
    Path dir = Files.createDirectory(volume.resolve("..gen" + generation));
    Files.write(dir.resolve("password"), (value + "\n").getBytes(StandardCharsets.UTF_8));
    Path next = Files.createSymbolicLink(volume.resolve("..data_tmp"), dir.getFileName());
    Files.move(next, volume.resolve("..data"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    if (!Files.isSymbolicLink(volume.resolve("password"))) {
      Files.createSymbolicLink(volume.resolve("password"), Path.of("..data/password"));
    }
  }

  @Test
  void value_symlinkSwapped_newValueOnceTheIntervalIsOver_loggedWithoutIt() throws Exception {
    mount(1, "first-pass");
    FollowedFile file = new FollowedFile("upstream.oauth.cache.redis.password",
        volume.resolve("password").toString(), "first-pass", clock, 5_000);
    mount(2, "second-pass");
    clock.advance(4_999);
    assertThat(file.value()).isEqualTo("first-pass");
    clock.advance(1);
    assertThat(file.value()).isEqualTo("second-pass");
    String logged = log.toString(StandardCharsets.UTF_8);
    assertThat(logged).contains("upstream.oauth.cache.redis.password changed (file " + volume.resolve("password") + ")")
        .doesNotContain("first-pass").doesNotContain("second-pass");
  }

  @Test
  void redisPasswords_wholeFileReference_areFollowed_otherValuesAreNot() throws Exception {
    mount(1, "first-pass");
    java.util.Map<String, String> properties = new java.util.HashMap<>();
    properties.put("upstream.oauth.hosts", "api.example.com");
    properties.put("upstream.oauth.token-endpoint", "https://idp.example.com/token");
    properties.put("upstream.oauth.client-id", "orders");
    properties.put("upstream.oauth.client-secret", "inline");
    properties.put("upstream.oauth.cache.strategy", "redis");
    properties.put("upstream.oauth.cache.redis.password", "${file:" + volume.resolve("password") + "}");
    properties.put("upstream.oauth.cache.redis.sentinel-password", "prefix-${file:" + volume.resolve("password") + "}");
    io.upstreamoauth.agent.config.RedisSettings redis = io.upstreamoauth.agent.config.ConfigLoader
        .load(properties, new java.util.HashMap<>(), null).profiles().get(0).cache().redis();
    assertThat(redis.password()).isEqualTo("first-pass");
    assertThat(redis.passwordFile()).isEqualTo(volume.resolve("password").toString());
    assertThat(redis.sentinelPasswordFile()).as("not the whole value: not followed").isNull();
  }

  @Test
  void value_fileGone_keepsThePreviousValue() throws Exception {
    mount(1, "first-pass");
    FollowedFile file = new FollowedFile("upstream.oauth.cache.redis.password",
        volume.resolve("password").toString(), "first-pass", clock, 5_000);
    Files.delete(volume.resolve("..data"));
    clock.advance(5_000);
    assertThat(file.value()).isEqualTo("first-pass");
    assertThat(log.toString(StandardCharsets.UTF_8)).contains("cannot read file").doesNotContain("first-pass");
    mount(2, "second-pass");
    clock.advance(5_000);
    assertThat(file.value()).isEqualTo("second-pass");
  }
}
