package io.upstreamoauth.agent.redis;

import io.upstreamoauth.agent.config.RedisNode;
import io.upstreamoauth.agent.config.RedisSettings;
import io.upstreamoauth.agent.config.SentinelRole;
import io.upstreamoauth.agent.util.AgentLog;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.UnifiedJedis;

/**
 * Token reads for {@code sentinel-role} {@code slave} and {@code any}: a replica the Sentinels
 * name as healthy ({@code slave}: always a replica while one is up; {@code any}: the master or a
 * replica at random). Replicas are looked up again every {@link #REFRESH_MILLIS} and after a
 * failed read, which then goes to the master. Leases and writes never come here: a replica
 * refuses them. Thread-safe.
 */
final class SentinelReplicaReads implements AutoCloseable {

  static final long REFRESH_MILLIS = 30_000;

  private final RedisSettings settings;
  private UnifiedJedis replica; // guarded by this; null: read from the master
  private long refreshAtNanos; // guarded by this

  SentinelReplicaReads(RedisSettings settings) {
    if (settings.mode() != RedisSettings.Mode.SENTINEL || settings.sentinelRole() == SentinelRole.MASTER) {
      throw new IllegalArgumentException("only for sentinel-role slave or any, was " + settings);
    }
    this.settings = settings;
  }

  /** Returns the client to read with now, or null to read from the master. */
  synchronized UnifiedJedis reader() {
    if (System.nanoTime() - refreshAtNanos >= 0) {
      closeReplica();
      replica = pick();
      refreshAtNanos = System.nanoTime() + REFRESH_MILLIS * 1_000_000;
    }
    return replica;
  }

  /** Forgets a replica a read failed on; the next read looks again. */
  synchronized void failed(UnifiedJedis reader, RuntimeException error) {
    if (reader == replica) {
      AgentLog.debug("reading the token from a Redis replica failed, using the master: " + AgentLog.describe(error));
      closeReplica();
      refreshAtNanos = System.nanoTime();
    }
  }

  private UnifiedJedis pick() {
    List<String[]> healthy = new ArrayList<String[]>();
    for (RedisNode sentinel : settings.sentinelNodes()) {
      try (Jedis jedis = new Jedis(new redis.clients.jedis.HostAndPort(sentinel.host(), sentinel.port()),
          RedisClients.clientConfig(settings, settings.sentinelUsername(), settings.sentinelPassword(), 0))) {
        for (Map<String, String> replica : jedis.sentinelReplicas(settings.sentinelMaster())) {
          String flags = String.valueOf(replica.get("flags"));
          if (!flags.contains("s_down") && !flags.contains("o_down") && !flags.contains("disconnected")) {
            healthy.add(new String[] {replica.get("ip"), replica.get("port")});
          }
        }
        break; // one Sentinel that answers is enough
      } catch (RuntimeException e) {
        AgentLog.debug("Sentinel " + sentinel + " did not list replicas: " + AgentLog.describe(e));
      }
    }
    int choices = healthy.size() + (settings.sentinelRole() == SentinelRole.ANY ? 1 : 0);
    int pick = choices == 0 ? -1 : ThreadLocalRandom.current().nextInt(choices);
    if (pick < 0 || pick >= healthy.size()) {
      return null; // the master
    }
    String[] chosen = healthy.get(pick);
    return RedisClient.builder()
        .hostAndPort(chosen[0], Integer.parseInt(chosen[1]))
        .clientConfig(RedisClients.clientConfig(settings, settings.username(), settings.password(), settings.database()))
        .build();
  }

  private void closeReplica() {
    if (replica != null) {
      replica.close();
      replica = null;
    }
  }

  @Override
  public synchronized void close() {
    closeReplica();
  }
}
