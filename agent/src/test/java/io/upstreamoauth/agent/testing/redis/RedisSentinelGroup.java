package io.upstreamoauth.agent.testing.redis;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import redis.clients.jedis.Jedis;

/**
 * A real master, one replica and three Sentinels on free loopback ports. Sentinels call a master
 * down after 1 s of silence, so a failover (forced or after a kill) completes within seconds.
 */
public final class RedisSentinelGroup implements AutoCloseable {

  public static final String MASTER_NAME = "mymaster";

  private final List<RedisServer> servers = new ArrayList<>();
  private final List<RedisServer> sentinels = new ArrayList<>();

  private RedisSentinelGroup() {}

  public static RedisSentinelGroup start() throws IOException {
    RedisSentinelGroup group = new RedisSentinelGroup();
    try {
      RedisServer master = RedisServer.start("sentinel-master");
      group.servers.add(master);
      group.servers.add(RedisServer.start("sentinel-replica", "--replicaof", "127.0.0.1", String.valueOf(master.port())));
      String config = "sentinel monitor " + MASTER_NAME + " 127.0.0.1 " + master.port() + " 2\n"
          + "sentinel down-after-milliseconds " + MASTER_NAME + " 1000\n"
          + "sentinel failover-timeout " + MASTER_NAME + " 5000\n"
          + "sentinel parallel-syncs " + MASTER_NAME + " 1\n";
      for (int i = 0; i < 3; i++) {
        group.sentinels.add(RedisServer.startSentinel("sentinel", RedisServer.freePort(false), config));
      }
      RedisCluster.await("the Sentinels see the replica and each other", () -> group.sentinels.stream().allMatch(s -> {
        Map<String, String> state = masterState(s);
        return "1".equals(state.get("num-slaves")) && "2".equals(state.get("num-other-sentinels"));
      }) && RedisCluster.replication(group.servers.get(1)).contains("master_link_status:up"));
      return group;
    } catch (IOException | RuntimeException e) {
      group.close();
      throw e;
    }
  }

  private static Map<String, String> masterState(RedisServer sentinel) {
    try (Jedis jedis = sentinel.client()) {
      return jedis.sentinelMasters().stream().filter(m -> MASTER_NAME.equals(m.get("name"))).findFirst().orElse(Map.of());
    } catch (RuntimeException e) {
      return Map.of();
    }
  }

  /** Returns "h:p,h:p,h:p" of the Sentinels, for cache.redis.sentinel-nodes. */
  public String sentinelsProperty() {
    return sentinels.stream().map(RedisServer::address).collect(Collectors.joining(","));
  }

  /** Returns the data server the Sentinels currently call master. */
  public RedisServer master() {
    for (RedisServer sentinel : sentinels) {
      try (Jedis jedis = sentinel.client()) {
        int port = Integer.parseInt(jedis.sentinelGetMasterAddrByName(MASTER_NAME).get(1));
        return servers.stream().filter(s -> s.port() == port).findFirst().orElseThrow();
      } catch (RuntimeException e) {
        // ask the next one
      }
    }
    throw new IllegalStateException("no Sentinel names a master");
  }

  /** Forces a failover (SENTINEL FAILOVER) and waits until the other server is master. */
  public RedisServer failover() {
    RedisServer before = master();
    try (Jedis jedis = sentinels.get(0).client()) {
      jedis.sentinelFailover(MASTER_NAME);
    }
    RedisCluster.await("the Sentinels promote the replica", () -> {
      RedisServer now = master();
      return now != before && RedisCluster.replication(now).contains("role:master");
    });
    return master();
  }

  public List<RedisServer> servers() {
    return servers;
  }

  @Override
  public void close() {
    sentinels.forEach(RedisServer::close);
    servers.forEach(RedisServer::close);
  }
}
