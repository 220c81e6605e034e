package io.upstreamoauth.agent.redis;

import io.upstreamoauth.agent.config.ProfileConfig;
import io.upstreamoauth.agent.config.RedisSettings;
import io.upstreamoauth.agent.metrics.TokenMetrics;
import io.upstreamoauth.agent.token.TokenLoader;
import io.upstreamoauth.agent.util.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executor;

/**
 * Makes the loaders of the {@code redis} cache strategy. Profiles that name the same Redis share
 * one client (and its connection pool) and one view of its health. Nothing here connects: the
 * first token load does.
 */
public final class RedisStrategy {

  private final Clock clock;
  private final Executor background;
  private final Map<RedisSettings, RedisTokenStore> stores = new HashMap<RedisSettings, RedisTokenStore>();
  private final Map<RedisSettings, RedisHealth> healths = new HashMap<RedisSettings, RedisHealth>();

  /** @param background runs work that must stay off request threads (deleting rejected tokens) */
  public RedisStrategy(Clock clock, Executor background) {
    if (clock == null || background == null) {
      throw new NullPointerException("clock and background are required, were " + clock + ", " + background);
    }
    this.clock = clock;
    this.background = background;
  }

  /**
   * Returns the loader for a profile of the {@code redis} strategy.
   *
   * @param idp how the lease holder gets a token from the IdP
   */
  public synchronized TokenLoader loader(ProfileConfig profile, TokenLoader idp) {
    return loader(profile, idp, new TokenMetrics());
  }

  /**
   * Returns the loader for a profile of the {@code redis} strategy.
   *
   * @param idp how the lease holder gets a token from the IdP
   * @param metrics where the loader counts Redis failures and lease waits
   */
  public synchronized TokenLoader loader(ProfileConfig profile, TokenLoader idp, TokenMetrics metrics) {
    RedisSettings settings = profile.cache().redis();
    if (settings == null) {
      throw new IllegalArgumentException("profile '" + profile.name() + "' does not use the redis strategy");
    }
    RedisTokenStore store = stores.get(settings);
    if (store == null) {
      store = new RedisTokenStore(settings);
      stores.put(settings, store);
      healths.put(settings, new RedisHealth(describe(settings), clock));
    }
    return new RedisTokenLoader(store.cacheKey(profile.oauth()), store, healths.get(settings), idp, clock,
        background, leaseMillis(profile.oauth().timeoutMillis()), metrics);
  }

  /**
   * Returns how long a lease lasts: a token request may take a connect and a read timeout, plus a
   * second for the rest. A holder that dies blocks the others no longer than this.
   */
  public static long leaseMillis(int idpTimeoutMillis) {
    return 2L * idpTimeoutMillis + 1000;
  }

  private static String describe(RedisSettings settings) {
    switch (settings.mode()) {
      case CLUSTER:
        return "Cluster " + settings.clusterNodes();
      case SENTINEL:
        return "master '" + settings.sentinelMaster() + "' (Sentinels " + settings.sentinelNodes() + ")";
      default:
        return settings.host() + ":" + settings.port();
    }
  }
}
