package io.upstreamoauth.agent.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.upstreamoauth.agent.cache.CachedToken;
import io.upstreamoauth.agent.cache.MemoryTokenCache;
import io.upstreamoauth.agent.config.CacheSettings;
import io.upstreamoauth.agent.config.CacheStrategy;
import io.upstreamoauth.agent.config.RetrySettings;
import io.upstreamoauth.agent.metrics.TokenMetrics;
import io.upstreamoauth.agent.oauth.TokenFetchException;
import io.upstreamoauth.agent.testing.redis.RedisServer;
import io.upstreamoauth.agent.token.TokenLoader;
import io.upstreamoauth.agent.token.TokenManager;
import io.upstreamoauth.agent.token.TokenPolicy;
import io.upstreamoauth.agent.util.AgentLog;
import io.upstreamoauth.agent.util.Clock;
import io.upstreamoauth.agent.util.FakeClock;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * RedisTokenLoader against a real redis-server. Each loader has its own store and health, as if
 * it ran in its own JVM; the IdP is a counting loader that takes a while to answer.
 */
class RedisTokenLoaderTest {

  private static final String KEY = "cafe0001";
  private static RedisServer redis;
  private final ByteArrayOutputStream log = new ByteArrayOutputStream();
  private final SlowIdp idp = new SlowIdp();
  private final List<RedisTokenStore> stores = new ArrayList<>();
  private ExecutorService threads;

  @BeforeAll
  static void startRedis() throws Exception {
    redis = RedisServer.start("loader-test");
  }

  @AfterAll
  static void stopRedis() {
    redis.close();
  }

  @BeforeEach
  void setUp() throws Exception {
    AgentLog.setOutput(new PrintStream(log, true));
    if (!redis.isRunning()) {
      redis.restart();
    }
    try (Jedis jedis = redis.client()) {
      jedis.flushAll();
    }
  }

  @AfterEach
  void tearDown() {
    AgentLog.setOutput(System.err);
    stores.forEach(RedisTokenStore::close);
    if (threads != null) {
      threads.shutdownNow();
    }
  }

  /** A loader as one JVM would have it. */
  private RedisTokenLoader jvm(long leaseMillis) {
    return jvm(leaseMillis, Clock.SYSTEM);
  }

  /** A loader as one JVM would have it, on {@code clock}. */
  private RedisTokenLoader jvm(long leaseMillis, Clock clock) {
    return jvm(leaseMillis, clock, new TokenMetrics());
  }

  /** A loader as one JVM would have it, on {@code clock}, counting in {@code metrics}. */
  private RedisTokenLoader jvm(long leaseMillis, Clock clock, TokenMetrics metrics) {
    RedisTokenStore store = new RedisTokenStore(RedisTokenStoreTest.settings(redis, null));
    stores.add(store);
    return new RedisTokenLoader(KEY, store, new RedisHealth("test", clock), idp, clock, Runnable::run, leaseMillis,
        metrics);
  }

  @Test
  void metrics_anotherJvmHoldsTheLease_oneLeaseWaitPerLoad() throws Exception {
    TokenMetrics metrics = new TokenMetrics();
    // the loader's clock stands still: it gets a token only by taking the lease once Redis expired it
    RedisTokenLoader loader = jvm(300, new FakeClock(System.currentTimeMillis()), metrics);
    try (Jedis jedis = redis.client()) {
      jedis.psetex(loader.store().leaseKey(KEY), 300, "another-jvm");
    }

    assertThat(loader.load(null).accessToken()).isEqualTo("idp-token-1");
    assertThat(metrics.leaseWaits()).as("one wait, however many polls").isEqualTo(1);
    assertThat(jvm(300, Clock.SYSTEM, metrics).load(null).accessToken()).isEqualTo("idp-token-1");
    assertThat(metrics.leaseWaits()).as("a stored token: no wait").isEqualTo(1);
    assertThat(metrics.redisErrors()).isZero();
  }

  @Test
  void metrics_redisDown_oneErrorPerCommandTried_noneDuringThePause() throws Exception {
    TokenMetrics metrics = new TokenMetrics();
    FakeClock clock = new FakeClock(System.currentTimeMillis());
    RedisTokenLoader loader = jvm(5_000, clock, metrics);
    redis.kill();

    loader.load(null);
    assertThat(metrics.redisErrors()).isEqualTo(1);
    loader.load(null); // Redis is left alone for a pause: nothing tried, nothing failed
    assertThat(metrics.redisErrors()).isEqualTo(1);
    clock.advance(RedisHealth.FIRST_PAUSE_MILLIS);
    loader.load(null);
    assertThat(metrics.redisErrors()).isEqualTo(2);
    assertThat(metrics.leaseWaits()).isZero();
  }

  @Test
  void load_manyJvmsMissAtOnce_idpAskedOnce_allGetItsToken() throws Exception {
    idp.delayMillis = 300;
    threads = Executors.newFixedThreadPool(6);
    List<Future<CachedToken>> results = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      RedisTokenLoader loader = jvm(5_000);
      results.add(threads.submit((Callable<CachedToken>) () -> loader.load(null)));
    }
    for (Future<CachedToken> result : results) {
      assertThat(result.get().accessToken()).isEqualTo("idp-token-1");
    }
    assertThat(idp.calls.get()).isEqualTo(1);
  }

  @Test
  void load_tokenStoredByAnotherJvm_usedWithoutIdp() throws Exception {
    CachedToken first = jvm(5_000).load(null);
    RedisTokenLoader other = jvm(5_000);

    assertThat(other.load(null).accessToken()).isEqualTo(first.accessToken());
    assertThat(other.sharedHitCount()).isEqualTo(1);
    assertThat(idp.calls.get()).isEqualTo(1);
  }

  @Test
  void load_refreshOfSharedDueToken_newTokenOnceForTheFleet() throws Exception {
    long now = System.currentTimeMillis();
    CachedToken due = new CachedToken("due-token-value", "Bearer", now - 1000, now - 1, now + 60_000);
    new RedisTokenStore(RedisTokenStoreTest.settings(redis, null)).put(KEY, due, now);
    RedisTokenLoader a = jvm(5_000);
    RedisTokenLoader b = jvm(5_000);

    assertThat(a.load(due).accessToken()).isEqualTo("idp-token-1");
    assertThat(b.load(due).accessToken()).isEqualTo("idp-token-1");
    assertThat(idp.calls.get()).isEqualTo(1);
  }

  @Test
  void load_dueTokenAndNoneInMemory_dueTokenServedAtOnce() throws Exception {
    long now = System.currentTimeMillis();
    CachedToken due = new CachedToken("due-token-value", "Bearer", now - 1000, now - 1, now + 60_000);
    new RedisTokenStore(RedisTokenStoreTest.settings(redis, null)).put(KEY, due, now);

    assertThat(jvm(5_000).load(null).accessToken()).isEqualTo("due-token-value");
    assertThat(idp.calls.get()).isZero();
  }

  @Test
  void load_leaseHolderDied_othersWaitOnlyUntilLeaseExpires() throws Exception {
    // the loader's clock stands still, so its own deadline never passes: it can only get a token
    // by taking the lease once Redis expired the dead holder's
    FakeClock clock = new FakeClock(System.currentTimeMillis());
    RedisTokenLoader loader = jvm(600, clock);
    long started = System.nanoTime();
    try (Jedis jedis = redis.client()) {
      jedis.psetex(loader.store().leaseKey(KEY), 600, "a-jvm-that-crashed");
    }

    CachedToken token = loader.load(null);

    long waited = (System.nanoTime() - started) / 1_000_000;
    assertThat(token.accessToken()).isEqualTo("idp-token-1");
    assertThat(loader.leaseCount()).as("took the expired lease").isEqualTo(1);
    assertThat(loader.directLoadCount()).isZero();
    assertThat(waited).as("ms waited; Redis kept the dead holder's lease for 600").isGreaterThanOrEqualTo(500L);
    assertThat(jvm(600).load(null).accessToken()).as("and stored the token").isEqualTo("idp-token-1");
    assertThat(idp.calls.get()).isEqualTo(1);
  }

  @Test
  void load_holderGetsIdpError_errorThrownAndLeaseFreed() {
    idp.fail = true;
    RedisTokenLoader loader = jvm(5_000);

    TokenFetchException e = catchThrowableOfType(TokenFetchException.class, () -> loader.load(null));

    assertThat(e).hasMessageContaining("idp down");
    assertThat(loader.store().tryLease(KEY, 1000)).as("the lease was released").isNotNull();
  }

  @Test
  void load_redisDown_idpDirectlyOneWarning_thenRecovers() throws Exception {
    FakeClock clock = new FakeClock(System.currentTimeMillis());
    RedisTokenLoader loader = jvm(5_000, clock);
    redis.kill();

    assertThat(loader.load(null).accessToken()).isEqualTo("idp-token-1");
    assertThat(loader.load(null).accessToken()).isEqualTo("idp-token-2");
    assertThat(loader.directLoadCount()).isEqualTo(2);
    assertThat(log.toString()).containsOnlyOnce("WARN Redis test failed");

    redis.restart();
    assertThat(loader.load(null).accessToken()).as("Redis is left alone for a pause").isEqualTo("idp-token-3");
    assertThat(loader.directLoadCount()).isEqualTo(3);
    clock.advance(RedisHealth.FIRST_PAUSE_MILLIS);
    assertThat(loader.load(null).accessToken()).isEqualTo("idp-token-4");
    assertThat(log.toString()).contains("Redis test answers again");
    assertThat(loader.directLoadCount()).isEqualTo(3);
    assertThat(jvm(5_000).load(null).accessToken()).as("stored in Redis again").isEqualTo("idp-token-4");
  }

  @Test
  void rejected_tokenStillInRedis_deletedAndNotTakenBack() throws Exception {
    RedisTokenLoader loader = jvm(5_000);
    CachedToken first = loader.load(null);

    loader.rejected(first);

    try (Jedis jedis = redis.client()) {
      assertThat(jedis.exists(loader.store().tokenKey(KEY))).isFalse();
    }
    assertThat(loader.load(null).accessToken()).isEqualTo("idp-token-2");
  }

  @Test
  void rejected_redisHoldsNewerToken_kept() throws Exception {
    RedisTokenLoader a = jvm(5_000);
    CachedToken old = a.load(null);
    try (Jedis jedis = redis.client()) {
      jedis.del(a.store().tokenKey(KEY));
    }
    CachedToken newer = jvm(5_000).load(null);

    a.rejected(old);

    assertThat(a.store().get(KEY).accessToken()).isEqualTo(newer.accessToken());
  }

  @Test
  void tokenManager_cachedFreshToken_servedWithoutRedis() throws Exception {
    TokenPolicy policy = new TokenPolicy(new CacheSettings(CacheStrategy.REDIS, 0, 3600, true, 0.2,
        RedisTokenStoreTest.settings(redis, null)), new RetrySettings(1000, 60_000, 60_000));
    TokenManager manager = new TokenManager(KEY, "test", jvm(5_000), new MemoryTokenCache(Clock.SYSTEM),
        policy, Clock.SYSTEM, Runnable::run, 10_000);
    CachedToken first = manager.token();
    redis.kill();

    for (int i = 0; i < 100; i++) {
      assertThat(manager.token()).isSameAs(first);
    }
    assertThat(log.toString()).doesNotContain("WARN");
  }

  /** An IdP that answers after a delay with idp-token-1, -2, ... valid for a minute. */
  private static final class SlowIdp implements TokenLoader {
    final AtomicInteger calls = new AtomicInteger();
    volatile long delayMillis;
    volatile boolean fail;

    @Override
    public CachedToken load(CachedToken current) throws TokenFetchException {
      int n = calls.incrementAndGet();
      try {
        Thread.sleep(delayMillis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (fail) {
        throw new TokenFetchException("idp down", TokenFetchException.Kind.TRANSIENT, 503, null, -1, null);
      }
      long now = System.currentTimeMillis();
      return new CachedToken("idp-token-" + n, "Bearer", now, now + 45_000, now + 60_000);
    }

    @Override
    public void rejected(CachedToken token) {}
  }
}
