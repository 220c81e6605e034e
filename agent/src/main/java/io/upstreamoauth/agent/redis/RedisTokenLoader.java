package io.upstreamoauth.agent.redis;

import io.upstreamoauth.agent.cache.CachedToken;
import io.upstreamoauth.agent.metrics.TokenMetrics;
import io.upstreamoauth.agent.oauth.TokenFetchException;
import io.upstreamoauth.agent.token.TokenLoader;
import io.upstreamoauth.agent.util.Clock;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Loads tokens through Redis so that a fleet asks the IdP once per token: a token another JVM
 * stored is used as it is; otherwise one JVM takes a short lease, fetches and stores, while the
 * others poll Redis for what it stored. A lease expires by itself, so a JVM that dies holding it
 * blocks nobody for longer than the lease.
 *
 * <p>Fail-open: when Redis fails (down, slow, failing over, answering nonsense) the token comes
 * from the IdP directly and Redis is left alone for a pause ({@link RedisHealth}); an app request
 * never fails because of Redis. Only IdP failures are thrown.
 */
public final class RedisTokenLoader implements TokenLoader {

  private final String cacheKey;
  private final RedisTokenStore store;
  private final RedisHealth health;
  private final TokenLoader idp;
  private final Clock clock;
  private final Executor background;
  private final long leaseMillis;
  private final TokenMetrics metrics;
  private final RejectedTokens rejected = new RejectedTokens();
  private final AtomicLong sharedHits = new AtomicLong();
  private final AtomicLong leasesTaken = new AtomicLong();
  private final AtomicLong directLoads = new AtomicLong();

  /**
   * @param idp where the lease holder (or everyone, while Redis fails) gets tokens
   * @param background runs the deletion of rejected tokens, off the request thread
   * @param leaseMillis how long a lease lasts: longer than a token request can take
   */
  RedisTokenLoader(String cacheKey, RedisTokenStore store, RedisHealth health, TokenLoader idp,
      Clock clock, Executor background, long leaseMillis) {
    this(cacheKey, store, health, idp, clock, background, leaseMillis, new TokenMetrics());
  }

  /** @param metrics counts Redis failures and lease waits (the token's, shared with its manager) */
  RedisTokenLoader(String cacheKey, RedisTokenStore store, RedisHealth health, TokenLoader idp,
      Clock clock, Executor background, long leaseMillis, TokenMetrics metrics) {
    if (cacheKey == null || store == null || health == null || idp == null || clock == null || background == null) {
      throw new NullPointerException("every argument is required; cacheKey=" + cacheKey + ", store=" + store
          + ", health=" + health + ", idp=" + idp + ", clock=" + clock + ", background=" + background);
    }
    if (leaseMillis < 1) {
      throw new IllegalArgumentException("leaseMillis must be positive, was " + leaseMillis);
    }
    this.cacheKey = cacheKey;
    this.store = store;
    this.health = health;
    this.idp = idp;
    this.clock = clock;
    this.background = background;
    this.leaseMillis = leaseMillis;
    this.metrics = metrics;
  }

  @Override
  public CachedToken load(CachedToken current) throws TokenFetchException {
    if (!health.available()) {
      return direct(current);
    }
    RedisLeaseDance dance = new RedisLeaseDance(this, current);
    try {
      CachedToken token = dance.run();
      health.succeeded();
      return token;
    } catch (RedisLeaseDance.RedisFailed e) {
      redisFailed(e.getMessage(), e.getCause());
      return dance.fetched() != null ? dance.fetched() : direct(current);
    }
  }

  private CachedToken direct(CachedToken current) throws TokenFetchException {
    directLoads.incrementAndGet();
    return idp.load(current);
  }

  @Override
  public void rejected(final CachedToken token) {
    rejected.add(token.fingerprint());
    if (!health.available()) {
      return; // it expires with its TTL, and this JVM will not take it back meanwhile
    }
    try {
      background.execute(new Runnable() {
        @Override
        public void run() {
          try {
            store.deleteIfSame(cacheKey, token);
          } catch (RuntimeException e) {
            redisFailed("deleting a rejected token", e);
          }
        }
      });
    } catch (RejectedExecutionException e) {
      // shutting down: the token expires in Redis by itself
    }
  }

  private void redisFailed(String what, Throwable error) {
    metrics.redisError();
    health.failed(what, error);
  }

  // ---- for the lease dance

  String cacheKey() { return cacheKey; }
  RedisTokenStore store() { return store; }
  TokenLoader idp() { return idp; }
  Clock clock() { return clock; }
  long leaseMillis() { return leaseMillis; }
  boolean isRejected(CachedToken token) { return rejected.contains(token.fingerprint()); }
  void countSharedHit() { sharedHits.incrementAndGet(); }
  void countLease() { leasesTaken.incrementAndGet(); }
  void countLeaseWait() { metrics.leaseWaited(); }

  /** Returns how many loads were answered by a token another JVM stored. */
  public long sharedHitCount() { return sharedHits.get(); }

  /** Returns how many leases this JVM took to fetch a token for the fleet. */
  public long leaseCount() { return leasesTaken.get(); }

  /** Returns how many loads went to the IdP without Redis, because Redis failed. */
  public long directLoadCount() { return directLoads.get(); }

  @Override
  public String toString() {
    return "RedisTokenLoader{" + store.tokenKey(cacheKey) + ", " + health + "}";
  }
}
