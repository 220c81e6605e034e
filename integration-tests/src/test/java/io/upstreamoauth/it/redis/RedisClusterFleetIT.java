package io.upstreamoauth.it.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.upstreamoauth.agent.testing.redis.RedisCluster;
import io.upstreamoauth.agent.testing.redis.RedisServer;
import io.upstreamoauth.it.support.AppRun;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Future;
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
  void stop() {
    fleet.close();
    cluster.close();
  }

  @Test
  void threeJvms_slotMasterKilledDuringTraffic_noFailedRequest_tokenSharedBeforeAndAfter() throws Exception {
    List<Future<AppRun>> futures =
        fleet.start(3, Duration.ofSeconds(12), Map.of("cluster-nodes", cluster.nodesProperty()));
    String key = awaitTokenKey();
    Fleet.sleep(3_000);
    int requestsBeforeKill = fleet.idp.tokenRequests().size();
    List<Long> gapsBeforeKill = fleet.tokenRequestGaps();
    RedisServer master = cluster.masterOf(key);
    master.kill();
    boolean storedOnPromoted = false;
    while (!storedOnPromoted && !futures.get(0).isDone()) {
      Fleet.sleep(100);
      storedOnPromoted = storedOnNewMaster(key, master);
    }
    List<AppRun> runs = Fleet.await(futures);

    for (AppRun run : runs) {
      assertThat(run.errors()).as(run.toString()).isZero();
      assertThat(run.other()).as(run.toString()).isZero();
      assertThat(run.stderr()).as(run.toString()).doesNotContain("SLF4J");
    }
    assertThat(requestsBeforeKill).as("token requests before the failure").isBetween(1, 2);
    assertThat(gapsBeforeKill).as("one token per lifetime for the fleet").allMatch(gap -> gap >= 2_000);
    assertThat(storedOnPromoted).as("a token was stored on the promoted replica").isTrue();
    // 12 s of 4 s tokens, with the fleet fetching on its own for a moment during the failover
    assertThat(fleet.idp.issued().size()).isLessThanOrEqualTo(12);
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

  /** Waits until the fleet stored its token; returns the key. */
  private String awaitTokenKey() throws InterruptedException {
    for (int i = 0; i < 300; i++) {
      for (RedisServer node : cluster.nodes()) {
        try (Jedis jedis = node.client()) {
          Set<String> keys = jedis.keys("upstream-oauth:*").stream()
              .filter(k -> !k.endsWith(":lease")).collect(Collectors.toSet());
          if (!keys.isEmpty()) {
            return keys.iterator().next();
          }
        }
      }
      Thread.sleep(50);
    }
    throw new AssertionError("the fleet stored no token in the cluster");
  }
}
