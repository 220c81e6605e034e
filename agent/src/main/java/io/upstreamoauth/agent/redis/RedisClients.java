package io.upstreamoauth.agent.redis;

import io.upstreamoauth.agent.config.ConfigKey;
import io.upstreamoauth.agent.config.RedisNode;
import io.upstreamoauth.agent.config.RedisSettings;
import io.upstreamoauth.agent.rotation.FollowedFile;
import io.upstreamoauth.agent.rotation.RotatingSettings;
import io.upstreamoauth.agent.tls.TlsContexts;
import io.upstreamoauth.agent.tls.TlsMaterial;
import io.upstreamoauth.agent.util.Clock;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import javax.net.ssl.SSLSocketFactory;
import redis.clients.jedis.ClientSetInfoConfig;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.RedisSentinelClient;
import redis.clients.jedis.UnifiedJedis;

/** Builds the Jedis client for a {@link RedisSettings}: standalone, Cluster or Sentinel. */
final class RedisClients {

  private RedisClients() {}

  /**
   * Returns a client; Cluster and Sentinel clients connect at once to learn the topology, so this
   * may throw like any Redis command.
   */
  static UnifiedJedis create(RedisSettings settings) {
    JedisClientConfig config = clientConfig(settings, settings.username(), settings.password(),
        followed(ConfigKey.CACHE_REDIS_PASSWORD, settings.passwordFile(), settings.password()), settings.database());
    switch (settings.mode()) {
      case CLUSTER:
        return RedisClusterClient.builder()
            .nodes(hostsAndPorts(settings.clusterNodes()))
            .maxAttempts(settings.clusterMaxRedirections() + 1)
            // a command must not wander the cluster for longer than one read would take
            .maxTotalRetriesDuration(Duration.ofMillis(2L * settings.readTimeoutMillis()))
            .clientConfig(config)
            .poolConfig(pool(settings))
            .build();
      case SENTINEL:
        return RedisSentinelClient.builder()
            .masterName(settings.sentinelMaster())
            .sentinels(hostsAndPorts(settings.sentinelNodes()))
            .sentinelClientConfig(
                clientConfig(settings, settings.sentinelUsername(), settings.sentinelPassword(),
                    followed(ConfigKey.CACHE_REDIS_SENTINEL_PASSWORD, settings.sentinelPasswordFile(),
                        settings.sentinelPassword()), 0))
            .clientConfig(config)
            .poolConfig(pool(settings))
            .build();
      default:
        return RedisClient.builder()
            .hostAndPort(settings.host(), settings.port())
            .clientConfig(config)
            .poolConfig(pool(settings))
            .build();
    }
  }

  /** Returns the password file to follow, or null when the password is not read from one. */
  private static FollowedFile followed(ConfigKey key, String file, String password) {
    return file == null || password == null
        ? null
        : new FollowedFile(key.fullName(null), file, password, Clock.SYSTEM, RotatingSettings.CHECK_INTERVAL_MILLIS);
  }

  static JedisClientConfig clientConfig(RedisSettings settings, String user, String password, int database) {
    return clientConfig(settings, user, password, null, database);
  }

  /** @param passwordFile the file the password follows (a rotated Kubernetes secret), or null */
  static JedisClientConfig clientConfig(
      RedisSettings settings, String user, String password, FollowedFile passwordFile, int database) {
    DefaultJedisClientConfig.Builder config = DefaultJedisClientConfig.builder()
        .connectionTimeoutMillis(settings.connectTimeoutMillis())
        .socketTimeoutMillis(settings.readTimeoutMillis())
        .database(database)
        .clientName("upstream-oauth-agent")
        // CLIENT SETINFO is Redis 7.2+; older servers would only log an error for it
        .clientSetInfoConfig(ClientSetInfoConfig.DISABLED);
    if (passwordFile != null) {
      config.credentialsProvider(new FollowedRedisCredentials(user, passwordFile));
    } else {
      config.user(user).password(password);
    }
    if (settings.ssl()) {
      SSLSocketFactory factory = socketFactory(settings);
      if (settings.serverName() != null) {
        factory = new ServerNameSocketFactory(factory, settings.serverName());
      }
      // with server-name set, ServerNameSocketFactory makes it the peer's name too: the only name
      // the certificate is checked against
      config.ssl(true).sslSocketFactory(factory)
          .sslParameters(TlsContexts.parameters(settings.sslVerify(), settings.serverName()));
    }
    return config.build();
  }

  /** The agent's own TLS context (never the JVM's default, which the application may have replaced). */
  private static SSLSocketFactory socketFactory(RedisSettings settings) {
    try {
      return TlsContexts.create(TlsMaterial.trust(settings.sslVerify(), settings.caFile())).getSocketFactory();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot set up TLS to Redis: " + e.getMessage(), e);
    }
  }

  private static ConnectionPoolConfig pool(RedisSettings settings) {
    ConnectionPoolConfig pool = new ConnectionPoolConfig();
    pool.setMaxTotal(16);
    pool.setMaxIdle(4);
    pool.setMinIdle(0);
    // never block a request thread indefinitely for a connection
    pool.setMaxWait(Duration.ofMillis(settings.connectTimeoutMillis()));
    pool.setJmxEnabled(false);
    return pool;
  }

  private static Set<HostAndPort> hostsAndPorts(List<RedisNode> nodes) {
    Set<HostAndPort> set = new LinkedHashSet<HostAndPort>();
    for (RedisNode node : nodes) {
      set.add(new HostAndPort(node.host(), node.port()));
    }
    return set;
  }

}
