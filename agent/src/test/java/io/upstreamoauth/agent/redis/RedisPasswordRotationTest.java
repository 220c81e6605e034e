package io.upstreamoauth.agent.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.upstreamoauth.agent.cache.CachedToken;
import io.upstreamoauth.agent.config.RedisSettings;
import io.upstreamoauth.agent.testing.redis.RedisServer;
import io.upstreamoauth.agent.util.AgentLog;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;

/**
 * cache.redis.password from a file against a real redis-server whose password changes: once the
 * file holds the new one, new connections authenticate with it (the file is looked at every 5 s).
 */
class RedisPasswordRotationTest {

  @TempDir Path dir;
  private RedisServer redis;
  private final ByteArrayOutputStream log = new ByteArrayOutputStream();

  @BeforeEach
  void start() throws Exception {
    AgentLog.setOutput(new PrintStream(log, true));
    redis = RedisServer.start("password-rotation-test");
    try (Jedis jedis = redis.client()) {
      jedis.configSet("requirepass", "old-redis-pass");
    }
  }

  @AfterEach
  void stop() {
    AgentLog.setOutput(System.err);
    redis.close();
  }

  @Test
  void passwordFileRewritten_serverPasswordChanged_newConnectionsUseTheNewOne() throws Exception {
    Path file = dir.resolve("redis-password");
    Files.write(file, "old-redis-pass\n".getBytes(StandardCharsets.UTF_8));
    RedisSettings settings = RedisSettings.builder().host("127.0.0.1", redis.port())
        .credentials(null, "old-redis-pass").passwordFiles(file.toString(), null).build();
    try (RedisTokenStore store = new RedisTokenStore(settings)) {
      long now = System.currentTimeMillis();
      store.put("0123abcd", new CachedToken("rotation-token-0123456789", "Bearer", now, now + 60_000, now + 120_000), now);

      try (Jedis admin = new Jedis("127.0.0.1", redis.port())) {
        admin.auth("old-redis-pass");
        admin.configSet("requirepass", "new-redis-pass");
        Files.write(file, "new-redis-pass-\n".getBytes(StandardCharsets.UTF_8)); // a different size
        Files.write(file, "new-redis-pass\n".getBytes(StandardCharsets.UTF_8));
        // drop the agent's pooled connections: only new ones, which must authenticate, remain
        admin.sendCommand(Protocol.Command.CLIENT, "KILL", "TYPE", "normal", "SKIPME", "yes");
      }

      long deadline = System.nanoTime() + 60_000_000_000L;
      CachedToken read = null;
      while (read == null && System.nanoTime() < deadline) {
        try {
          read = store.get("0123abcd");
        } catch (RuntimeException notYet) {
          Thread.sleep(200); // WRONGPASS until the 5 s look at the file
        }
      }
      assertThat(read).as("read with a connection authenticated by the new password").isNotNull();
      assertThat(read.accessToken()).isEqualTo("rotation-token-0123456789");
    }
    assertThat(log.toString(StandardCharsets.UTF_8))
        .contains("upstream.oauth.cache.redis.password changed (file " + file + ")")
        .doesNotContain("old-redis-pass").doesNotContain("new-redis-pass");
  }
}
