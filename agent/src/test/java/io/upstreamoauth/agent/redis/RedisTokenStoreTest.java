package io.upstreamoauth.agent.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.upstreamoauth.agent.cache.CachedToken;
import io.upstreamoauth.agent.config.RedisSettings;
import io.upstreamoauth.agent.testing.redis.RedisServer;
import io.upstreamoauth.agent.util.AgentLog;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import redis.clients.jedis.Jedis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** RedisTokenStore against a real redis-server: values, TTLs, compare-and-delete, leases, encryption. */
class RedisTokenStoreTest {

  private static final String KEY = "0123abcd";
  private static RedisServer redis;
  private final ByteArrayOutputStream log = new ByteArrayOutputStream();
  private RedisTokenStore store;

  @BeforeAll
  static void startRedis() throws Exception {
    redis = RedisServer.start("store-test");
  }

  @AfterAll
  static void stopRedis() {
    redis.close();
  }

  @BeforeEach
  void setUp() {
    AgentLog.setOutput(new PrintStream(log, true));
    try (Jedis jedis = redis.client()) {
      jedis.flushAll();
    }
    store = store(null);
  }

  @AfterEach
  void tearDown() {
    AgentLog.setOutput(System.err);
    store.close();
  }

  static RedisSettings settings(RedisServer server, byte[] encryptionKey) {
    return RedisSettings.builder().host("127.0.0.1", server.port()).encryptionKey(encryptionKey).build();
  }

  private static RedisTokenStore store(byte[] key) {
    return new RedisTokenStore(settings(redis, key));
  }

  static CachedToken token(String value, long now, long lifetime) {
    return new CachedToken(value, "Bearer", now, now + lifetime * 3 / 4, now + lifetime);
  }

  private static byte[] raw(String key) {
    try (Jedis jedis = redis.client()) {
      return jedis.get(key.getBytes(StandardCharsets.UTF_8));
    }
  }

  @Test
  void keys_prefixAndHashTag_tokenAndLeaseShareASlot() {
    assertThat(store.tokenKey(KEY)).isEqualTo("upstream-oauth:{0123abcd}");
    assertThat(store.leaseKey(KEY)).isEqualTo("upstream-oauth:{0123abcd}:lease");
  }

  @Test
  void put_thenGet_sameTokenWithTtlOfItsExpiry() {
    long now = System.currentTimeMillis();
    CachedToken token = token("access-token-value-1", now, 60_000);

    store.put(KEY, token, now);

    CachedToken read = store.get(KEY);
    assertThat(read.accessToken()).isEqualTo("access-token-value-1");
    assertThat(read.tokenType()).isEqualTo("Bearer");
    assertThat(read.obtainedAtMillis()).isEqualTo(token.obtainedAtMillis());
    assertThat(read.refreshAtMillis()).isEqualTo(token.refreshAtMillis());
    assertThat(read.expiresAtMillis()).isEqualTo(token.expiresAtMillis());
    try (Jedis jedis = redis.client()) {
      assertThat(jedis.pttl(store.tokenKey(KEY))).isBetween(55_000L, 60_000L);
    }
  }

  @Test
  void put_expiredToken_notStored() {
    long now = System.currentTimeMillis();
    store.put(KEY, token("old-token", now - 10_000, 5_000), now);
    assertThat(store.get(KEY)).isNull();
  }

  @Test
  void get_nothingStored_null() {
    assertThat(store.get(KEY)).isNull();
  }

  @Test
  void deleteIfSame_holdsRejectedToken_deleted() {
    long now = System.currentTimeMillis();
    CachedToken token = token("rejected-token", now, 60_000);
    store.put(KEY, token, now);

    assertThat(store.deleteIfSame(KEY, token)).isTrue();
    assertThat(store.get(KEY)).isNull();
  }

  @Test
  void deleteIfSame_holdsNewerToken_kept() {
    long now = System.currentTimeMillis();
    store.put(KEY, token("newer-token", now, 60_000), now);

    assertThat(store.deleteIfSame(KEY, token("rejected-token", now, 60_000))).isFalse();
    assertThat(store.get(KEY).accessToken()).isEqualTo("newer-token");
  }

  @Test
  void tryLease_free_takenOnceThenHeld() {
    String owner = store.tryLease(KEY, 10_000);

    assertThat(owner).isNotNull();
    assertThat(store.tryLease(KEY, 10_000)).isNull();
  }

  @Test
  void releaseLease_byOwner_freed_byOther_kept() {
    String owner = store.tryLease(KEY, 10_000);

    assertThat(store.releaseLease(KEY, "someone-else")).isFalse();
    assertThat(store.tryLease(KEY, 10_000)).isNull();
    assertThat(store.releaseLease(KEY, owner)).isTrue();
    assertThat(store.tryLease(KEY, 10_000)).isNotNull();
  }

  @Test
  void tryLease_holderNeverReleases_leaseExpiresByItself() throws Exception {
    assertThat(store.tryLease(KEY, 200)).isNotNull();
    Thread.sleep(300);
    assertThat(store.tryLease(KEY, 200)).isNotNull();
  }

  @Test
  void put_withEncryptionKey_valueUnreadableWithoutIt() {
    byte[] key = new byte[32];
    Arrays.fill(key, (byte) 7);
    RedisTokenStore encrypted = store(key);
    long now = System.currentTimeMillis();
    encrypted.put(KEY, token("very-secret-access-token", now, 60_000), now);

    String stored = new String(raw(encrypted.tokenKey(KEY)), StandardCharsets.ISO_8859_1);
    assertThat(stored).doesNotContain("very-secret-access-token").doesNotContain("Bearer").contains(":e:");
    assertThat(encrypted.get(KEY).accessToken()).isEqualTo("very-secret-access-token");
    assertThat(store.get(KEY)).isNull(); // the plain store has no key
    assertThat(log.toString()).contains("is encrypted and cache.redis.encryption-key is not set here");
    encrypted.close();
  }

  @Test
  void get_wrongEncryptionKey_missAndOneWarning() {
    byte[] key = new byte[32];
    byte[] other = new byte[32];
    other[0] = 1;
    RedisTokenStore writer = store(key);
    RedisTokenStore reader = store(other);
    long now = System.currentTimeMillis();
    writer.put(KEY, token("access-token-value-2", now, 60_000), now);

    assertThat(reader.get(KEY)).isNull();
    assertThat(reader.get(KEY)).isNull();

    assertThat(log.toString()).containsOnlyOnce("it does not decrypt: it was written with another cache.redis.encryption-key");
    assertThat(log.toString()).doesNotContain("access-token-value-2");
    writer.close();
    reader.close();
  }

  @Test
  void get_plainValueWhileKeyIsSet_missAndWarning() {
    long now = System.currentTimeMillis();
    store.put(KEY, token("plain-token-value", now, 60_000), now);
    RedisTokenStore encrypted = store(new byte[32]);

    assertThat(encrypted.get(KEY)).isNull();
    assertThat(log.toString()).contains("stored unencrypted but cache.redis.encryption-key is set here");
    encrypted.close();
  }

  @Test
  void get_garbageValue_missAndWarning() {
    try (Jedis jedis = redis.client()) {
      jedis.set(store.tokenKey(KEY), "not a token at all");
    }
    assertThat(store.get(KEY)).isNull();
    assertThat(log.toString()).contains("is ignored: it is not a token stored by this agent");
  }

  @Test
  void get_keyHoldsAHash_missAndWarning_putOverwritesIt() {
    try (Jedis jedis = redis.client()) {
      jedis.hset(store.tokenKey(KEY), "field", "value");
    }
    long now = System.currentTimeMillis();

    assertThat(store.get(KEY)).isNull();
    store.put(KEY, token("token-over-a-hash", now, 60_000), now);

    assertThat(log.toString()).contains("is ignored: it is not a string value");
    assertThat(store.get(KEY).accessToken()).isEqualTo("token-over-a-hash");
  }

  @Test
  void get_tamperedFingerprint_missAndWarning() {
    long now = System.currentTimeMillis();
    store.put(KEY, token("the-real-token", now, 60_000), now);
    byte[] value = raw(store.tokenKey(KEY));
    value[0] = (byte) (value[0] == 'a' ? 'b' : 'a');
    try (Jedis jedis = redis.client()) {
      jedis.set(store.tokenKey(KEY).getBytes(StandardCharsets.UTF_8), value);
    }
    assertThat(store.get(KEY)).isNull();
    assertThat(log.toString()).contains("inconsistent");
  }
}
