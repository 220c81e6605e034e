package io.upstreamoauth.it.redis;

import io.upstreamoauth.agent.testing.redis.RedisCluster;
import io.upstreamoauth.agent.testing.redis.RedisServer;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/** Three JVMs share a Redis Cluster (3 masters, 3 replicas); the master of the token's slot dies. */
class RedisClusterFleetIT {

  private RedisCluster cluster;
  private Fleet fleet;

  @BeforeEach
  void start() throws Exception {
    cluster = RedisCluster.start();
    fleet = new Fleet();
  }

  @AfterEach
  void stop() throws Exception {
    fleet.close();
    cluster.close();
  }

  @Test
  void threeJvms_slotMasterKilledDuringTraffic_noFailedRequest_tokenSharedBeforeAndAfter() throws Exception {
    fleet.start(Map.of("cluster-nodes", cluster.nodesProperty()));
    fleet.awaitEveryMemberCalling();
    String[] key = new String[1];
    fleet.await("a token stored in the cluster", () -> (key[0] = tokenKey()) != null);
    int whenStored = fleet.issued();
    fleet.await("a token refresh with every JVM calling", () -> fleet.issued() > whenStored);
    List<Long> beforeKill = List.copyOf(fleet.idp.issueTimes());
    RedisServer master = cluster.masterOf(key[0]);
    master.kill();
    fleet.await("a token stored on the promoted replica", () -> storedOnNewMaster(key[0], master));
    int shared = fleet.awaitOneTokenForAll(0);
    fleet.await("two token refreshes after the fleet shared one again", () -> fleet.issued() >= shared + 3);
    fleet.finish();

    Fleet.assertOnePerLifetime("before the failure", beforeKill);
    List<Long> all = fleet.idp.issueTimes();
    Fleet.assertOnePerLifetime("once the fleet shared a token again", all.subList(shared, all.size()));
    // while the slot has no master each JVM may fetch on its own, once per lifetime
    Fleet.assertAtMostOnePerJvmPerLifetime(all);
  }

  private boolean storedOnNewMaster(String key, RedisServer dead) {
    try {
      RedisServer now = cluster.masterOf(key);
      try (Jedis jedis = now.client()) {
        return now != dead && jedis.exists(key);
      }
    } catch (RuntimeException e) {
      return false; // no master for the slot yet
    }
  }

  /** Returns the key of the token the fleet stored, or null while there is none. */
  private String tokenKey() {
    for (RedisServer node : cluster.nodes()) {
      try (Jedis jedis = node.client()) {
        Set<String> keys = jedis.keys("upstream-oauth:*").stream()
            .filter(k -> !k.endsWith(":lease")).collect(Collectors.toSet());
        if (!keys.isEmpty()) {
          return keys.iterator().next();
        }
      }
    }
    return null;
  }
}
