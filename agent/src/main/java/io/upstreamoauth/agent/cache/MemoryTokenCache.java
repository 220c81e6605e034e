package io.upstreamoauth.agent.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.upstreamoauth.agent.util.Clock;

/**
 * Tokens in this JVM's memory: the {@code memory} strategy, and the layer in front of Redis.
 * A token is gone from it once it expires on the injected clock.
 *
 * <p>The cache is unbounded: it holds one entry per distinct set of OAuth settings, a number fixed
 * by the configuration. That also keeps Caffeine 2.x on its plain {@code ConcurrentHashMap} path;
 * its bounded caches use {@code sun.misc.Unsafe}, which JDK 24+ reports on standard error — an
 * agent must not add warnings to the application's output.
 */
public final class MemoryTokenCache implements TokenCache {

  private final Clock clock;
  private volatile Cache<String, CachedToken> cache; // built on first use: start-up loads no Caffeine

  public MemoryTokenCache(Clock clock) {
    this.clock = clock;
  }

  private Cache<String, CachedToken> cache() {
    Cache<String, CachedToken> current = cache;
    if (current == null) {
      synchronized (this) {
        current = cache;
        if (current == null) {
          // upkeep on the caller's thread: never borrow the application's common pool
          current = Caffeine.newBuilder().executor(Runnable::run).build();
          cache = current;
        }
      }
    }
    return current;
  }

  @Override
  public CachedToken get(String key) {
    CachedToken token = cache().getIfPresent(key);
    if (token != null && !token.isUsableAt(clock.millis())) {
      invalidate(key, token); // removes it
      return null;
    }
    return token;
  }

  @Override
  public void put(String key, CachedToken token) {
    cache().put(key, token);
  }

  @Override
  public boolean invalidate(final String key, final CachedToken token) {
    final boolean[] removed = new boolean[1];
    final long now = clock.millis();
    cache()
        .asMap()
        .computeIfPresent(
            key,
            (k, current) -> {
              if (!current.isUsableAt(now)) {
                return null; // expired: it was already gone as far as anyone can tell
              }
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
    Cache<String, CachedToken> current = cache;
    return "MemoryTokenCache{entries=" + (current == null ? 0 : current.estimatedSize()) + ", clock=" + clock + "}";
  }
}
