package io.upstreamoauth.agent.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.upstreamoauth.agent.cache.CachedToken;
import io.upstreamoauth.agent.config.ConfigLoader;
import io.upstreamoauth.agent.config.ProfileConfig;
import io.upstreamoauth.agent.testing.redis.RedisServer;
import io.upstreamoauth.agent.util.AgentLog;
import io.upstreamoauth.agent.util.Clock;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.SetParams;

/**
 * Whoever can write to Redis must not be able to put anything but a token the agent would take
 * from the IdP into upstream requests: a stored value is checked as an IdP response is, and one
 * that fails is a miss (the IdP is asked, the value is overwritten) with one warning that does not
 * show it, however often it is read. The values are well formed in every other way (fingerprint,
 * times), as an attacker would write them.
 */
class RedisPoisonedTokenTest {

  private static RedisServer redis;
  private final ByteArrayOutputStream log = new ByteArrayOutputStream();
  private final List<RedisTokenStore> stores = new ArrayList<>();
  private final CountingIdp idp = new CountingIdp();
  private ProfileConfig profile;
  private String redisKey;

  @BeforeAll
  static void startRedis() throws Exception {
    redis = RedisServer.start("poison-test");
  }

  @AfterAll
  static void stopRedis() {
    redis.close();
  }

  @BeforeEach
  void storeAToken() throws Exception {
    AgentLog.setOutput(new PrintStream(log, true));
    try (Jedis jedis = redis.client()) {
      jedis.flushAll();
    }
    Map<String, String> properties = new HashMap<>();
    properties.put("upstream.oauth.hosts", "api.example.com");
    properties.put("upstream.oauth.token-endpoint", "https://idp.example.com/oauth2/token");
    properties.put("upstream.oauth.client-id", "orders-service");
    properties.put("upstream.oauth.client-secret", "poison-test-secret");
    properties.put("upstream.oauth.cache.strategy", "redis");
    properties.put("upstream.oauth.cache.redis.port", String.valueOf(redis.port()));
    profile = ConfigLoader.load(properties, Map.of(), null).profiles().get(0);
    jvm().load(null); // idp-token-1, stored where the profile's token lives
    try (Jedis jedis = redis.client()) {
      Set<String> keys = jedis.keys("upstream-oauth:*");
      assertThat(keys).hasSize(1);
      redisKey = keys.iterator().next();
    }
  }

  @AfterEach
  void tearDown() {
    AgentLog.setOutput(System.err);
    stores.forEach(RedisTokenStore::close);
  }

  static Stream<Arguments> poisonedValues() {
    long now = System.currentTimeMillis();
    String longToken = "x".repeat(16 * 1024 + 1);
    return Stream.of(
        Arguments.of("CR LF in the token", value(now, "Bearer", "poison\r\nX-Injected: 1")),
        Arguments.of("LF in the token", value(now, "Bearer", "poison\nX-Injected: 1")),
        Arguments.of("a space in the token", value(now, "Bearer", "poison X-Injected")),
        Arguments.of("NUL in the token", value(now, "Bearer", "poison\u0000X-Injected")),
        Arguments.of("non-ASCII in the token", value(now, "Bearer", "poison\u00e9X-Injected")),
        Arguments.of("bytes that are not UTF-8", value(now, "Bearer", new byte[] {'p', (byte) 0xC3, (byte) 0x28, 'X'})),
        Arguments.of("an over-long token", value(now, "Bearer", longToken)),
        Arguments.of("an empty token", value(now, "Bearer", "")),
        Arguments.of("CR LF in the token type", value(now, "Bearer\r\nX-Injected: 1", "poison-token-1234")),
        Arguments.of("a token type that is no HTTP scheme", value(now, "Bea rer", "poison-token-1234")),
        Arguments.of("a token type with a separator", value(now, "Bearer:", "poison-token-1234")),
        Arguments.of("an empty token type", value(now, "", "poison-token-1234")),
        Arguments.of("a lifetime no IdP gives", value(now, now + 3_650L * 24 * 3600 * 1000, "Bearer", "poison-token-1234")),
        Arguments.of("garbage", "not a token at all".getBytes(StandardCharsets.UTF_8)),
        Arguments.of("JSON", "{\"access_token\":\"poison\\r\\nX-Injected: 1\",\"token_type\":\"Bearer\"}".getBytes(StandardCharsets.UTF_8)),
        Arguments.of("a plain prefix and nothing else", (fingerprint("poison") + ":p:").getBytes(StandardCharsets.US_ASCII)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("poisonedValues")
  void load_poisonedValue_missOneIdpFetchOneWarning_overwritten(String what, byte[] poison) throws Exception {
    RedisTokenLoader jvm = jvm();
    poison(poison);

    CachedToken token = jvm.load(null);

    assertThat(token.accessToken()).isEqualTo("idp-token-2");
    assertThat(idp.calls.get()).as("IdP requests").isEqualTo(2);
    assertThat(warnings()).as(log.toString()).hasSize(1);
    assertThat(warnings().get(0)).contains("is ignored").doesNotContain("X-Injected").doesNotContain("poison");
    try (Jedis jedis = redis.client()) {
      String stored = new String(jedis.get(redisKey.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
      assertThat(stored).as("overwritten").endsWith("|Bearer|idp-token-2");
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("poisonedValues")
  void load_poisonWrittenAgainAndAgain_stillOneWarning(String what, byte[] poison) throws Exception {
    RedisTokenLoader jvm = jvm();

    for (int i = 0; i < 5; i++) {
      poison(poison);
      assertThat(jvm.load(null).accessToken()).isEqualTo("idp-token-" + (i + 2));
    }

    assertThat(idp.calls.get()).isEqualTo(6);
    assertThat(warnings()).as(log.toString()).hasSize(1);
    assertThat(log.toString()).doesNotContain("X-Injected").doesNotContain("poison");
  }

  // ---- plumbing

  /** A loader as a JVM of its own would have it: its own client and its own warnings. */
  private RedisTokenLoader jvm() {
    RedisTokenLoader loader = (RedisTokenLoader) new RedisStrategy(Clock.SYSTEM, Runnable::run).loader(profile, idp);
    stores.add(loader.store());
    return loader;
  }

  private void poison(byte[] value) {
    try (Jedis jedis = redis.client()) {
      jedis.set(redisKey.getBytes(StandardCharsets.UTF_8), value, SetParams.setParams().px(60_000));
    }
  }

  private List<String> warnings() {
    return Arrays.stream(log.toString().split("\n")).filter(line -> line.contains(" WARN ")).toList();
  }

  /** A plain value in the agent's format: fingerprint, times, type and token. */
  private static byte[] value(long now, String type, String token) {
    return value(now, now + 60_000, type, token);
  }

  private static byte[] value(long now, long expires, String type, String token) {
    return (fingerprint(token) + ":p:1|" + now + "|" + (now + 45_000) + "|" + expires + "|" + type + "|" + token)
        .getBytes(StandardCharsets.UTF_8);
  }

  /** The same, with token bytes that need not be UTF-8: the fingerprint is of what a reader decodes. */
  private static byte[] value(long now, String type, byte[] token) {
    byte[] head = (fingerprint(new String(token, StandardCharsets.UTF_8)) + ":p:1|" + now + "|" + (now + 45_000) + "|"
        + (now + 60_000) + "|" + type + "|").getBytes(StandardCharsets.UTF_8);
    byte[] out = Arrays.copyOf(head, head.length + token.length);
    System.arraycopy(token, 0, out, head.length, token.length);
    return out;
  }

  private static String fingerprint(String token) {
    try {
      StringBuilder hex = new StringBuilder();
      for (byte b : MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8))) {
        hex.append(String.format("%02x", b));
      }
      return hex.toString();
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
