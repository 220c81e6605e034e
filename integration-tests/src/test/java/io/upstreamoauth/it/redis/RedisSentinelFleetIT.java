package io.upstreamoauth.it.redis;

import io.upstreamoauth.agent.testing.redis.RedisSentinelGroup;
import io.upstreamoauth.agent.testing.redis.RedisServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/** Three JVMs share a Sentinel-managed master; the Sentinels fail it over during traffic. */
class RedisSentinelFleetIT {

  private RedisSentinelGroup group;
  private Fleet fleet;

  @BeforeEach
  void start() throws Exception {
    group = RedisSentinelGroup.start();
    fleet = new Fleet();
  }

  @AfterEach
  void stop() throws Exception {
    fleet.close();
    group.close();
  }

  @Test
  void threeJvms_failoverDuringTraffic_noFailedRequest_tokensOnNewMaster() throws Exception {
    fleet.start(Map.of(
        "sentinel-master", RedisSentinelGroup.MASTER_NAME,
        "sentinel-nodes", group.sentinelsProperty()));
    fleet.awaitEveryMemberCalling();
    int whenAllCalling = fleet.issued();
    fleet.await("a token refresh with every JVM calling", () -> fleet.issued() > whenAllCalling);
    List<Long> beforeFailover = List.copyOf(fleet.idp.issueTimes());
    RedisServer promoted = group.failover();
    fleet.await("a token stored on the new master", () -> {
      try (Jedis jedis = promoted.client()) {
        return !jedis.keys("upstream-oauth:*").isEmpty();
      }
    });
    int shared = fleet.awaitOneTokenForAll(0);
    fleet.await("two token refreshes after the fleet shared one again", () -> fleet.issued() >= shared + 3);
    fleet.finish();

    Fleet.assertOnePerLifetime("before the failover", beforeFailover);
    List<Long> all = fleet.idp.issueTimes();
    Fleet.assertOnePerLifetime("once the fleet shared a token again", all.subList(shared, all.size()));
    // during the failover each JVM may fetch on its own, once per lifetime
    Fleet.assertAtMostOnePerJvmPerLifetime(all);
  }
}
