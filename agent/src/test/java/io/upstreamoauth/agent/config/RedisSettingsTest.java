package io.upstreamoauth.agent.config;

import static io.upstreamoauth.agent.config.TestConfigs.problems;
import static io.upstreamoauth.agent.config.TestConfigs.profile;
import static io.upstreamoauth.agent.config.TestConfigs.valid;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The cache.redis.* keys, read through {@link ConfigLoader#load} like every other key. */
class RedisSettingsTest {

  private static final String REDIS_SECRET = "Redis-Secret-Pangolin-6620";
  private static final String KEY_32 = Base64.getEncoder().encodeToString(new byte[32]);

  private static RedisSettings redis(String... keyValues) throws Exception {
    Map<String, String> props = valid("cache.strategy", "redis");
    for (int i = 0; i < keyValues.length; i += 2) {
      props.put(ConfigKey.PREFIX + keyValues[i], keyValues[i + 1]);
    }
    return profile(props).cache().redis();
  }

  private static List<String> redisProblems(String... keyValues) {
    Map<String, String> props = valid("cache.strategy", "redis");
    for (int i = 0; i < keyValues.length; i += 2) {
      props.put(ConfigKey.PREFIX + keyValues[i], keyValues[i + 1]);
    }
    return problems(props);
  }

  @Test
  void read_noRedisKeys_kongDefaultsStandalone() throws Exception {
    RedisSettings redis = redis();

    assertThat(redis.mode()).isEqualTo(RedisSettings.Mode.STANDALONE);
    assertThat(redis.host()).isEqualTo("127.0.0.1");
    assertThat(redis.port()).isEqualTo(6379);
    assertThat(redis.database()).isZero();
    assertThat(redis.ssl()).isFalse();
    assertThat(redis.sslVerify()).isTrue();
    assertThat(redis.connectTimeoutMillis()).isEqualTo(2000);
    assertThat(redis.readTimeoutMillis()).isEqualTo(2000);
    assertThat(redis.clusterMaxRedirections()).isEqualTo(5);
    assertThat(redis.sentinelRole()).isEqualTo(SentinelRole.MASTER);
    assertThat(redis.keyPrefix()).isEqualTo("upstream-oauth:");
    assertThat(redis.encryptionKey()).isNull();
  }

  @Test
  void read_clusterNodes_clusterMode() throws Exception {
    RedisSettings redis = redis("cache.redis.cluster-nodes", "r1:7000, r2:7001,[::1]:7002");

    assertThat(redis.mode()).isEqualTo(RedisSettings.Mode.CLUSTER);
    assertThat(redis.clusterNodes()).extracting(RedisNode::toString).containsExactly("r1:7000", "r2:7001", "[::1]:7002");
  }

  @Test
  void read_sentinelMasterAndNodes_sentinelMode() throws Exception {
    RedisSettings redis = redis(
        "cache.redis.sentinel-master", "mymaster",
        "cache.redis.sentinel-nodes", "s1:26379,s2:26379",
        "cache.redis.sentinel-role", "ANY");

    assertThat(redis.mode()).isEqualTo(RedisSettings.Mode.SENTINEL);
    assertThat(redis.sentinelRole()).isEqualTo(SentinelRole.ANY);
    assertThat(redis.sentinelNodes()).hasSize(2);
  }

  @Test
  void read_topLevelKeys_inheritedByProfile() throws Exception {
    Map<String, String> props = TestConfigs.props(
        "profiles", "billing",
        "cache.strategy", "redis",
        "cache.redis.host", "redis.internal",
        "billing.hosts", "billing.example.com",
        "billing.token-endpoint", TestConfigs.ENDPOINT,
        "billing.client-id", "c",
        "billing.client-secret", "s",
        "billing.cache.redis.port", "6380");
    AgentConfig config = TestConfigs.load(props);
    RedisSettings redis = config.profiles().get(0).cache().redis();

    assertThat(redis.host()).isEqualTo("redis.internal");
    assertThat(redis.port()).isEqualTo(6380);
  }

  @Test
  void read_encryptionKey_decodedFromBase64() throws Exception {
    assertThat(redis("cache.redis.encryption-key", KEY_32).encryptionKey()).hasSize(32);
  }

  @Test
  void read_encryptionKeyOfWrongLength_problemWithoutValue() {
    String shortKey = Base64.getEncoder().encodeToString("only-16-bytes!!!".getBytes());
    assertThat(redisProblems("cache.redis.encryption-key", shortKey))
        .containsExactly("upstream.oauth.cache.redis.encryption-key: must be the base64 of 32 random bytes"
            + " (e.g. `openssl rand -base64 32`), was 16 bytes");
  }

  @Test
  void read_encryptionKeyNotBase64_problemWithoutValue() {
    List<String> problems = redisProblems("cache.redis.encryption-key", REDIS_SECRET + "!!");
    assertThat(problems).hasSize(1);
    assertThat(problems.get(0)).contains("was not base64").doesNotContain(REDIS_SECRET);
  }

  @Test
  void read_badNumbers_oneProblemPerKey() {
    assertThat(redisProblems("cache.redis.port", "0", "cache.redis.read-timeout", "soon"))
        .containsExactly(
            "upstream.oauth.cache.redis.port: must be a whole number of port from 1 to 65535, was '0'",
            "upstream.oauth.cache.redis.read-timeout: must be a whole number of milliseconds from 1 to 600000, was 'soon'");
  }

  @Test
  void read_badNode_problemNamesKeyAndEntry() {
    assertThat(redisProblems("cache.redis.cluster-nodes", "r1:7000,r2"))
        .containsExactly("upstream.oauth.cache.redis.cluster-nodes: 'r2' is not host:port");
  }

  @Test
  void read_clusterAndSentinel_problemNamesBoth() {
    assertThat(redisProblems(
            "cache.redis.cluster-nodes", "r1:7000",
            "cache.redis.sentinel-master", "m",
            "cache.redis.sentinel-nodes", "s:26379"))
        .containsExactly("upstream.oauth.cache.redis.cluster-nodes and upstream.oauth.cache.redis.sentinel-master:"
            + " set one of them, not both (Cluster or Sentinel)");
  }

  @Test
  void read_sentinelMasterWithoutNodes_nodesRequired() {
    assertThat(redisProblems("cache.redis.sentinel-master", "m"))
        .containsExactly("upstream.oauth.cache.redis.sentinel-nodes: is required with sentinel-master"
            + " (comma list of host:port)");
  }

  @Test
  void read_clusterWithDatabase_problem() {
    assertThat(redisProblems("cache.redis.cluster-nodes", "r1:7000", "cache.redis.database", "2"))
        .containsExactly("upstream.oauth.cache.redis.database: a Redis Cluster has only database 0, was 2");
  }

  @Test
  void read_unknownSentinelRole_problem() {
    assertThat(redisProblems("cache.redis.sentinel-role", "replica"))
        .containsExactly("upstream.oauth.cache.redis.sentinel-role: must be one of master, slave, any, was 'replica'");
  }

  @Test
  void read_keyPrefixWithBrace_problem() {
    assertThat(redisProblems("cache.redis.key-prefix", "app{x}:"))
        .containsExactly("upstream.oauth.cache.redis.key-prefix: must not contain '{' or '}', was 'app{x}:'");
  }

  @Test
  void toString_passwordsAndKey_neverShown() throws Exception {
    RedisSettings redis = redis(
        "cache.redis.password", REDIS_SECRET,
        "cache.redis.sentinel-password", REDIS_SECRET + "2",
        "cache.redis.encryption-key", KEY_32);
    AgentConfig config = TestConfigs.load(valid("cache.strategy", "redis", "cache.redis.password", REDIS_SECRET));

    assertThat(redis.password()).isEqualTo(REDIS_SECRET);
    assertThat(redis.toString()).doesNotContain(REDIS_SECRET).doesNotContain(KEY_32).contains("encrypted");
    assertThat(config.toString() + config.profiles().get(0).cache()).doesNotContain(REDIS_SECRET);
  }

  @Test
  void equals_sameSettings_equalAndOtherPasswordNot() throws Exception {
    assertThat(redis("cache.redis.port", "7000")).isEqualTo(redis("cache.redis.port", "7000"));
    assertThat(redis("cache.redis.password", "a")).isNotEqualTo(redis("cache.redis.password", "b"));
  }

  @Test
  void identity_everySettingThatChangesWhereOrHowTokensAreKept_differs() throws Exception {
    String sentinel = "cache.redis.sentinel-master";
    String nodes = "cache.redis.sentinel-nodes";
    String other = Base64.getEncoder().encodeToString(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
        17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32});
    List<String> identities = List.of(
        redis().identity(),
        redis("cache.redis.host", "redis.internal").identity(),
        redis("cache.redis.port", "6380").identity(),
        redis("cache.redis.database", "1").identity(),
        redis("cache.redis.username", "agent").identity(),
        redis("cache.redis.password", "a").identity(),
        redis("cache.redis.password", "b").identity(),
        redis("cache.redis.ssl", "true").identity(),
        redis("cache.redis.ssl-verify", "false").identity(),
        redis("cache.redis.server-name", "redis.internal").identity(),
        redis("cache.redis.connect-timeout", "100").identity(),
        redis("cache.redis.read-timeout", "100").identity(),
        redis("cache.redis.key-prefix", "other:").identity(),
        redis("cache.redis.encryption-key", KEY_32).identity(),
        redis("cache.redis.encryption-key", other).identity(),
        redis("cache.redis.cluster-nodes", "r1:7000").identity(),
        redis("cache.redis.cluster-nodes", "r1:7000", "cache.redis.cluster-max-redirections", "2").identity(),
        redis(sentinel, "m", nodes, "s1:26379").identity(),
        redis(sentinel, "m", nodes, "s2:26379").identity(),
        redis(sentinel, "m2", nodes, "s1:26379").identity(),
        redis(sentinel, "m", nodes, "s1:26379", "cache.redis.sentinel-role", "any").identity(),
        redis(sentinel, "m", nodes, "s1:26379", "cache.redis.sentinel-username", "u").identity(),
        redis(sentinel, "m", nodes, "s1:26379", "cache.redis.sentinel-password", "p").identity());

    assertThat(identities).doesNotHaveDuplicates();
    assertThat(redis("cache.redis.password", "a").identity()).isEqualTo(redis("cache.redis.password", "a").identity());
  }

  @Test
  void identity_isNotWhatToStringShows() throws Exception {
    RedisSettings a = redis("cache.redis.password", REDIS_SECRET + "a", "cache.redis.encryption-key", KEY_32);
    RedisSettings b = redis("cache.redis.password", REDIS_SECRET + "b", "cache.redis.encryption-key", KEY_32);

    assertThat(a.toString()).isEqualTo(b.toString());
    assertThat(a.identity()).isNotEqualTo(b.identity());
    assertThat(a).isNotEqualTo(b);
  }
}
