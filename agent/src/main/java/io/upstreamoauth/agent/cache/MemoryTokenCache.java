package io.upstreamoauth.agent.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import io.upstreamoauth.agent.util.Clock;
import java.util.concurrent.TimeUnit;

/**
 * Tokens in this JVM's memory: the {@code memory} strategy, and the layer in front of Redis.
 * Entries leave when their token expires, on the injected clock.
 */
public final class MemoryTokenCache implements TokenCache {

  private final Cache<String, CachedToken> cache;
  private final Clock clock;

  public MemoryTokenCache(final Clock clock) {
    this.clock = clock;
    this.cache =
        Caffeine.newBuilder()
            .maximumSize(10_000)
            // upkeep on the caller's thread: never borrow the application's common pool
            .executor(Runnable::run)
            .ticker(
                new Ticker() {
                  @Override
                  public long read() {
                    return TimeUnit.MILLISECONDS.toNanos(clock.millis());
                  }
                })
            .expireAfter(new UntilTokenExpiry(clock))
            .build();
  }

  @Override
  public CachedToken get(String key) {
    return cache.getIfPresent(key);
  }

  @Override
  public void put(String key, CachedToken token) {
    cache.put(key, token);
  }

  @Override
  public boolean invalidate(final String key, final CachedToken token) {
    final boolean[] removed = new boolean[1];
    cache
        .asMap()
        .computeIfPresent(
            key,
            (k, current) -> {
              if (current.sameTokenAs(token)) {
                removed[0] = true;
                return null;
              }
              return current;
            });
    return removed[0];
  }

  @Override
  public String toString() {
    return "MemoryTokenCache{entries=" + cache.estimatedSize() + ", clock=" + clock + "}";
  }

  /** Keeps an entry exactly as long as its token is usable. */
  private static final class UntilTokenExpiry implements Expiry<String, CachedToken> {
    private final Clock clock;

    UntilTokenExpiry(Clock clock) {
      this.clock = clock;
    }

    private long remaining(CachedToken token) {
      return TimeUnit.MILLISECONDS.toNanos(Math.max(0, token.expiresAtMillis() - clock.millis()));
    }

    @Override
    public long expireAfterCreate(String key, CachedToken token, long currentTime) {
      return remaining(token);
    }

    @Override
    public long expireAfterUpdate(
        String key, CachedToken token, long currentTime, long currentDuration) {
      return remaining(token);
    }

    @Override
    public long expireAfterRead(
        String key, CachedToken token, long currentTime, long currentDuration) {
      return currentDuration;
    }
  }
}
