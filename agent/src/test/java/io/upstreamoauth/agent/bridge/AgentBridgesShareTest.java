package io.upstreamoauth.agent.bridge;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.upstreamoauth.agent.config.ConfigLoader;
import io.upstreamoauth.agent.testing.redis.RedisServer;
import io.upstreamoauth.agent.util.AgentLog;
import io.upstreamoauth.agent.util.Clock;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import redis.clients.jedis.Jedis;

/**
 * Profiles with the same OAuth settings share one token manager only when they keep tokens in the
 * same place the same way: every Redis setting counts, not just what RedisSettings shows.
 */
class AgentBridgesShareTest {

  private static final String REDIS_PASSWORD = "share-test-Pa55";
  private static final String KEY_A = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
  private static final String KEY_B = "BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBA=";
  private static WireMockServer idp;
  private static RedisServer open;
  private static RedisServer locked;
  private final ByteArrayOutputStream log = new ByteArrayOutputStream();

  @BeforeAll
  static void start() throws Exception {
    idp = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
    idp.start();
    open = RedisServer.start("share-open");
    locked = RedisServer.start("share-locked");
    try (Jedis jedis = locked.client()) {
      jedis.configSet("requirepass", REDIS_PASSWORD);
    }
  }

  @AfterAll
  static void stop() {
    idp.stop();
    open.close();
    locked.close();
  }

  @BeforeEach
  void setUp() {
    AgentLog.setOutput(new PrintStream(log, true));
    idp.resetAll();
    idp.stubFor(post(urlPathEqualTo("/token")).willReturn(aResponse()
        .withHeader("Content-Type", "application/json")
        .withBody("{\"access_token\":\"share-token-0123456789\",\"token_type\":\"Bearer\",\"expires_in\":300}")));
    try (Jedis jedis = open.client()) {
      jedis.flushAll();
    }
  }

  @AfterEach
  void tearDown() {
    AgentLog.setOutput(System.err);
  }

  @ParameterizedTest(name = "{0}: {1} / {2}")
  @CsvSource({
    "cache.redis.password, pw-of-one, pw-of-two",
    "cache.redis.username, user-one, user-two",
    "cache.redis.ssl, false, true",
    "cache.redis.ssl-verify, true, false",
    "cache.redis.server-name, one.redis.example, two.redis.example",
    "cache.redis.encryption-key, " + KEY_A + ", " + KEY_B,
    "cache.redis.connect-timeout, 500, 600",
    "cache.redis.read-timeout, 500, 600",
    "cache.redis.key-prefix, one-prefix:, two-prefix:",
    "cache.redis.database, 3, 4",
  })
  void create_profilesDifferingInOneRedisSetting_separateManagers(String key, String one, String two) throws Exception {
    AgentBridge bridge = bridge(open, "one." + key, one, "two." + key, two);

    assertThat(bridge.routes().get(0).tokens).isNotSameAs(bridge.routes().get(1).tokens);
    assertThat(log.toString()).doesNotContain("shares its token");
  }

  @Test
  void create_profilesDifferingInSentinelPassword_separateManagers() throws Exception {
    AgentBridge bridge = bridge(open, "cache.redis.sentinel-master", "mymaster", "cache.redis.sentinel-nodes", "127.0.0.1:26379",
        "one.cache.redis.sentinel-password", "sentinel-one", "two.cache.redis.sentinel-password", "sentinel-two");

    assertThat(bridge.routes().get(0).tokens).isNotSameAs(bridge.routes().get(1).tokens);
  }

  @Test
  void create_profilesWithEqualSettings_shareOneManager() throws Exception {
    AgentBridge bridge = bridge(open, "one.cache.redis.password", "same", "two.cache.redis.password", "same");

    assertThat(bridge.routes().get(0).tokens).isSameAs(bridge.routes().get(1).tokens);
    assertThat(log.toString()).contains("profile 'two' shares its token with profile 'one'").doesNotContain("same");
  }

  @Test
  void decide_profilesWithDifferentEncryptionKeys_eachSealsWithItsOwn() throws Exception {
    AgentBridge bridge = bridge(open, "one.cache.redis.encryption-key", KEY_A, "two.cache.redis.encryption-key", KEY_B);
    assertThat(sent(bridge)).isEqualTo("Bearer share-token-0123456789");

    // another JVM with profile two's key alone finds that token in Redis and can open it
    AgentBridge other = bridge(open, "one.cache.redis.encryption-key", KEY_B, "two.cache.redis.encryption-key", KEY_B);
    assertThat(sent(other)).isEqualTo("Bearer share-token-0123456789");

    assertThat(idp.findAll(postRequestedFor(urlPathEqualTo("/token")))).as("token requests").hasSize(1);
    assertThat(log.toString()).doesNotContain("WARN");
  }

  @Test
  void decide_profileWithTheRightRedisPassword_usesItsOwnPassword() throws Exception {
    AgentBridge bridge = bridge(locked, "one.cache.redis.password", "wrong-password", "two.cache.redis.password", REDIS_PASSWORD);

    assertThat(sent(bridge)).isEqualTo("Bearer share-token-0123456789");

    try (Jedis jedis = locked.client()) {
      jedis.auth(REDIS_PASSWORD);
      assertThat(jedis.keys("upstream-oauth:*")).as("stored through profile two's connection").hasSize(1);
      jedis.flushAll();
    }
    assertThat(log.toString()).doesNotContain("WARN").doesNotContain(REDIS_PASSWORD);
  }

  /** Returns the Authorization value the bridge decides for profile two's host. */
  private static String sent(AgentBridge bridge) {
    io.upstreamoauth.bootstrap.Decision decision = bridge.decide("https", "two.example.com", -1, "/", "GET", true);
    for (int i = 0; i < decision.size(); i++) {
      if (decision.name(i).equals("Authorization")) {
        return decision.value(i);
      }
    }
    return null;
  }

  /** Two profiles, 'one' and 'two', with the same OAuth settings and the redis strategy. */
  private static AgentBridge bridge(RedisServer redis, String... keyValues) throws Exception {
    Map<String, String> properties = new HashMap<>();
    properties.put("upstream.oauth.profiles", "one,two");
    properties.put("upstream.oauth.one.hosts", "one.example.com");
    properties.put("upstream.oauth.two.hosts", "two.example.com");
    properties.put("upstream.oauth.token-endpoint", "http://127.0.0.1:" + idp.port() + "/token");
    properties.put("upstream.oauth.client-id", "orders");
    properties.put("upstream.oauth.client-secret", "share-test-client-secret");
    properties.put("upstream.oauth.cache.strategy", "redis");
    properties.put("upstream.oauth.cache.redis.port", String.valueOf(redis.port()));
    for (int i = 0; i < keyValues.length; i += 2) {
      properties.put("upstream.oauth." + keyValues[i], keyValues[i + 1]);
    }
    return AgentBridges.create(ConfigLoader.load(properties, Map.of(), null), Clock.SYSTEM);
  }
}
