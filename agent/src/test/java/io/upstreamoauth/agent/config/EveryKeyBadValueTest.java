package io.upstreamoauth.agent.config;

import static io.upstreamoauth.agent.config.TestConfigs.SECRET;
import static io.upstreamoauth.agent.config.TestConfigs.valid;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every configuration key given a bad value: the configuration is refused with a message that
 * names that key (so premain logs it and disables the agent; the application starts), and no
 * message carries a secret. A key added without an entry here fails the completeness test.
 */
class EveryKeyBadValueTest {

  /** Each key: the bad value, then other keys (name, value, ...) the value needs to matter. */
  private static final Map<ConfigKey, String[]> BAD = new EnumMap<>(ConfigKey.class);

  /** Keys that take any text: nothing is a bad value of theirs; an empty one is "not set". */
  private static final Set<ConfigKey> FREE_TEXT =
      EnumSet.of(
          ConfigKey.CLIENT_ID, // any string the IdP knows
          ConfigKey.USERNAME,
          ConfigKey.PASSWORD,
          ConfigKey.AUDIENCE, // a comma list of any strings (Auth0 wants URLs, others names)
          ConfigKey.PRIVATE_KEY_ID,
          ConfigKey.ASSERTION_AUDIENCE, // the aud claim some IdPs want instead of the endpoint
          ConfigKey.CACHE_REDIS_USERNAME,
          ConfigKey.CACHE_REDIS_PASSWORD,
          ConfigKey.CACHE_REDIS_SENTINEL_USERNAME,
          ConfigKey.CACHE_REDIS_SENTINEL_PASSWORD);

  static {
    bad(ConfigKey.ENABLED, "maybe");
    bad(ConfigKey.LOG_LEVEL, "loud");
    bad(ConfigKey.CONFIG_FILE, "/no/such/dir/agent.properties");
    bad(ConfigKey.PROFILES, "billing team");
    bad(ConfigKey.METRICS_JMX_ENABLED, "sometimes");
    bad(ConfigKey.HOSTS, "api.example.com:99999");
    bad(ConfigKey.HEADER_NAME, "Bad Header");
    bad(ConfigKey.PURGE_TOKEN_ON_UPSTREAM_STATUS_CODES, "4o1");
    bad(ConfigKey.IDP_ERROR_ACTION, "explode");
    bad(ConfigKey.REPLAY_AFTER_PURGE, "sometimes");
    bad(ConfigKey.PURGE_MIN_INTERVAL, "-1");
    bad(ConfigKey.TOKEN_ENDPOINT, "ftp://idp.example.com/token");
    bad(ConfigKey.GRANT_TYPE, "implicit");
    bad(ConfigKey.CLIENT_SECRET, " ", "client-secret-jwt-alg", "HS256");
    bad(ConfigKey.SCOPES, "read \"all\"");
    bad(ConfigKey.AUTH_METHOD, "magic");
    bad(ConfigKey.CLIENT_SECRET_BASIC_ENCODING, "base32");
    bad(ConfigKey.CLIENT_SECRET_JWT_ALG, "HS1", "auth-method", "client_secret_jwt");
    bad(ConfigKey.PRIVATE_KEY_FILE, "/no/such/key.pem", "auth-method", "private_key_jwt");
    bad(ConfigKey.CLIENT_ASSERTION_FILE, "/no/such/token.jwt", "auth-method", "client_assertion_file");
    bad(ConfigKey.PRIVATE_KEY_ALG, "RS1", "auth-method", "private_key_jwt");
    bad(ConfigKey.TIMEOUT, "ten seconds");
    bad(ConfigKey.SSL_VERIFY, "maybe");
    bad(ConfigKey.CA_FILE, "/no/such/ca.pem");
    bad(ConfigKey.CLIENT_CERT_FILE, "/no/such/client.pem", "client-key-file", "/no/such/client.key");
    bad(ConfigKey.CLIENT_KEY_FILE, "/no/such/client.key");
    bad(ConfigKey.DPOP, "sometimes");
    bad(ConfigKey.DPOP_ALG, "HS256", "dpop", "true");
    bad(ConfigKey.DPOP_KEY_FILE, "/no/such/dpop.pem", "dpop", "true");
    bad(ConfigKey.DPOP_UNBOUND_TOKEN, "ignore", "dpop", "true");
    bad(ConfigKey.CACHE_STRATEGY, "disk");
    bad(ConfigKey.CACHE_EAGERLY_EXPIRE, "-1");
    bad(ConfigKey.CACHE_DEFAULT_TTL, "forever");
    bad(ConfigKey.CACHE_REFRESH_AHEAD, "maybe");
    bad(ConfigKey.CACHE_REFRESH_AHEAD_WINDOW, "1.5");
    bad(ConfigKey.CACHE_REDIS_HOST, "redis host", "cache.strategy", "redis");
    bad(ConfigKey.CACHE_REDIS_PORT, "70000", "cache.strategy", "redis");
    bad(ConfigKey.CACHE_REDIS_DATABASE, "-1", "cache.strategy", "redis");
    bad(ConfigKey.CACHE_REDIS_SSL, "maybe", "cache.strategy", "redis");
    bad(ConfigKey.CACHE_REDIS_SSL_VERIFY, "maybe", "cache.strategy", "redis");
    bad(ConfigKey.CACHE_REDIS_SERVER_NAME, "redis_internal!", "cache.strategy", "redis", "cache.redis.ssl", "true");
    bad(ConfigKey.CACHE_REDIS_CA_FILE, "/no/such/redis-ca.pem", "cache.strategy", "redis", "cache.redis.ssl", "true");
    bad(ConfigKey.CACHE_REDIS_CONNECT_TIMEOUT, "0", "cache.strategy", "redis");
    bad(ConfigKey.CACHE_REDIS_READ_TIMEOUT, "soon", "cache.strategy", "redis");
    bad(ConfigKey.CACHE_REDIS_CLUSTER_NODES, "r1:6379,r2", "cache.strategy", "redis");
    bad(ConfigKey.CACHE_REDIS_CLUSTER_MAX_REDIRECTIONS, "-1", "cache.strategy", "redis");
    bad(ConfigKey.CACHE_REDIS_SENTINEL_MASTER, "", "cache.strategy", "redis", "cache.redis.sentinel-nodes", "s1:26379");
    bad(ConfigKey.CACHE_REDIS_SENTINEL_ROLE, "boss", "cache.strategy", "redis");
    bad(ConfigKey.CACHE_REDIS_SENTINEL_NODES, "s1:port", "cache.strategy", "redis", "cache.redis.sentinel-master", "mymaster");
    bad(ConfigKey.CACHE_REDIS_KEY_PREFIX, "app{1}:", "cache.strategy", "redis");
    bad(ConfigKey.CACHE_REDIS_ENCRYPTION_KEY, "c2hvcnQ=", "cache.strategy", "redis");
    bad(ConfigKey.IDP_RETRY_INITIAL_BACKOFF, "-5");
    bad(ConfigKey.IDP_RETRY_MAX_BACKOFF, "a minute");
    bad(ConfigKey.IDP_RETRY_CONFIG_ERROR_BACKOFF, "-1");
  }

  private static void bad(ConfigKey key, String value, String... context) {
    String[] entry = new String[context.length + 1];
    entry[0] = value;
    System.arraycopy(context, 0, entry, 1, context.length);
    BAD.put(key, entry);
  }

  @Test
  void everyKey_hasABadValueHere_orIsFreeText() {
    List<ConfigKey> missing = new ArrayList<>();
    for (ConfigKey key : ConfigKey.values()) {
      if (!BAD.containsKey(key) && !FREE_TEXT.contains(key)) {
        missing.add(key);
      }
    }
    assertThat(missing).as("keys with no bad value in this test").isEmpty();
  }

  static Stream<Arguments> badValues() {
    return BAD.entrySet().stream().map(e -> Arguments.of(e.getKey(), e.getValue()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badValues")
  void badValue_isRefused_withAMessageNamingTheKey(ConfigKey key, String[] entry) {
    List<String> keyValues = new ArrayList<>();
    for (int i = 1; i < entry.length; i++) {
      keyValues.add(entry[i]);
    }
    keyValues.add(key.key());
    keyValues.add(entry[0]);
    Map<String, String> props = valid(keyValues.toArray(new String[0]));

    ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.load(props, Map.of(), null));

    assertThat(e).as("a bad %s=%s must be refused", key.key(), entry[0]).isNotNull();
    assertThat(e.problems())
        .as("the message names the key")
        .anySatisfy(problem -> assertThat(problem).contains(ConfigKey.PREFIX + key.key()));
    assertThat(e.getMessage()).doesNotContain(SECRET);
  }
}
