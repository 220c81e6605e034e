package io.upstreamoauth.agent.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.upstreamoauth.agent.cache.CachedToken;
import io.upstreamoauth.agent.config.RedisSettings;
import io.upstreamoauth.agent.testing.redis.RedisServer;
import org.junit.jupiter.api.AfterAll;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** cache.redis.password and cache.redis.username against a redis-server that requires them. */
class RedisAuthTest {

  private static final String PASSWORD = "r3dis-Pa55word";
  private static RedisServer redis;

  @BeforeAll
  static void startRedis() throws Exception {
    redis = RedisServer.start("auth-test");
    try (Jedis jedis = redis.client()) {
      // an ACL user limited to the agent's keys, then a password for the default user
      jedis.sendCommand(Protocol.Command.ACL, "SETUSER", "agent", "on",
          ">" + PASSWORD + "-agent", "~upstream-oauth:*", "+@all");
      jedis.configSet("requirepass", PASSWORD);
    }
  }

  @AfterAll
  static void stopRedis() {
    redis.close();
  }

  @Test
  void password_defaultUser_storesAndReadsTokens() {
    assertRoundTrip(settings(null, PASSWORD));
  }

  @Test
  void usernameAndPassword_aclUser_storesAndReadsTokens() {
    assertRoundTrip(settings("agent", PASSWORD + "-agent"));
  }

  @Test
  void wrongPassword_failsWithoutShowingThePassword() {
    try (RedisTokenStore store = new RedisTokenStore(settings(null, "wrong-" + PASSWORD))) {
      Throwable error = catchThrowable(() -> store.get("0123abcd"));
      // Redis's own answer to AUTH with a wrong password, not any other failure
      assertThat(error).as("the read fails on authentication").isNotNull().hasStackTraceContaining("WRONGPASS");
      assertThat(String.valueOf(error.getMessage())).doesNotContain(PASSWORD);
    }
  }

  @Test
  void noPassword_serverRequiresOne_failsOnAuthentication() {
    try (RedisTokenStore store = new RedisTokenStore(settings(null, null))) {
      assertThat(catchThrowable(() -> store.get("0123abcd"))).hasStackTraceContaining("NOAUTH");
    }
  }

  private static void assertRoundTrip(RedisSettings settings) {
    try (RedisTokenStore store = new RedisTokenStore(settings)) {
      long now = System.currentTimeMillis();
      CachedToken token = new CachedToken("auth-token-0123456789", "Bearer", now, now + 30_000, now + 60_000);
      store.put("0123abcd", token, now);
      assertThat(store.get("0123abcd").accessToken()).isEqualTo("auth-token-0123456789");
    }
  }

  private static RedisSettings settings(String username, String password) {
    return RedisSettings.builder().host("127.0.0.1", redis.port()).credentials(username, password).build();
  }
}
