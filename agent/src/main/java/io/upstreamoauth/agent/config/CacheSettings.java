package io.upstreamoauth.agent.config;

/** How tokens are cached, when they expire and when they are refreshed. Immutable. */
public final class CacheSettings {

  private final CacheStrategy strategy;
  private final long eagerlyExpireSeconds;
  private final long defaultTtlSeconds;
  private final boolean refreshAhead;
  private final double refreshAheadWindow;
  private final RedisSettings redis;

  /** Settings without Redis: the {@code memory} strategy, or tests that need no Redis. */
  public CacheSettings(
      CacheStrategy strategy,
      long eagerlyExpireSeconds,
      long defaultTtlSeconds,
      boolean refreshAhead,
      double refreshAheadWindow) {
    this(strategy, eagerlyExpireSeconds, defaultTtlSeconds, refreshAhead, refreshAheadWindow, null);
  }

  /**
   * @param redis where the {@code redis} strategy keeps tokens; required for it, else ignored
   */
  public CacheSettings(
      CacheStrategy strategy,
      long eagerlyExpireSeconds,
      long defaultTtlSeconds,
      boolean refreshAhead,
      double refreshAheadWindow,
      RedisSettings redis) {
    if (strategy == CacheStrategy.REDIS && redis == null) {
      throw new IllegalArgumentException("the redis strategy needs RedisSettings, was null");
    }
    this.strategy = strategy;
    this.eagerlyExpireSeconds = eagerlyExpireSeconds;
    this.defaultTtlSeconds = defaultTtlSeconds;
    this.refreshAhead = refreshAhead;
    this.refreshAheadWindow = refreshAheadWindow;
    this.redis = strategy == CacheStrategy.REDIS ? redis : null;
  }

  public CacheStrategy strategy() {
    return strategy;
  }

  /** Returns how long before {@code expires_in} runs out a token stops being used. */
  public long eagerlyExpireSeconds() {
    return eagerlyExpireSeconds;
  }

  /** Returns the lifetime assumed when the IdP sends no usable {@code expires_in}. */
  public long defaultTtlSeconds() {
    return defaultTtlSeconds;
  }

  /** Returns true when a token in use is refreshed in the background before it expires. */
  public boolean refreshAhead() {
    return refreshAhead;
  }

  /** Returns the last fraction of a token's usable lifetime in which it is refreshed. */
  public double refreshAheadWindow() {
    return refreshAheadWindow;
  }

  /** Returns the Redis settings of the {@code redis} strategy, or null for {@code memory}. */
  public RedisSettings redis() {
    return redis;
  }

  /**
   * Returns where tokens are kept: the strategy and, for {@code redis}, {@link
   * RedisSettings#identity()}. Profiles share a token only where this is equal. Holds secrets:
   * for in-memory keys only, never to be logged.
   */
  public String storeIdentity() {
    return redis == null ? strategy.value() : strategy.value() + "\n" + redis.identity();
  }

  @Override
  public String toString() {
    return "CacheSettings{strategy="
        + strategy.value()
        + ", eagerlyExpire="
        + eagerlyExpireSeconds
        + "s, defaultTtl="
        + defaultTtlSeconds
        + "s, refreshAhead="
        + refreshAhead
        + ", window="
        + refreshAheadWindow
        + (redis != null ? ", " + redis : "")
        + "}";
  }
}
