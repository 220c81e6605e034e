package io.upstreamoauth.agent.redis;

import io.upstreamoauth.agent.config.RedisSettings;
import redis.clients.jedis.UnifiedJedis;

/**
 * The Jedis client of one Redis deployment, made on first use: Cluster and Sentinel clients
 * connect as they are built, which must not happen at start-up, and a build that fails (Redis
 * down) is simply tried again on the next use. Thread-safe.
 */
final class LazyRedisClient implements AutoCloseable {

  private final RedisSettings settings;
  private volatile UnifiedJedis client;

  LazyRedisClient(RedisSettings settings) {
    this.settings = settings;
  }

  /** Returns the client, building it if needed; throws the client's exception if that fails. */
  UnifiedJedis get() {
    UnifiedJedis current = client;
    if (current == null) {
      synchronized (this) {
        current = client;
        if (current == null) {
          current = RedisClients.create(settings);
          client = current;
        }
      }
    }
    return current;
  }

  @Override
  public synchronized void close() {
    if (client != null) {
      client.close();
      client = null;
    }
  }
}
