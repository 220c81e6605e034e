package io.upstreamoauth.it.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.upstreamoauth.agent.testing.redis.RedisSentinelGroup;
import io.upstreamoauth.agent.testing.redis.RedisServer;
import io.upstreamoauth.it.support.AppRun;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
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
  void stop() {
    fleet.close();
    group.close();
  }

  @Test
  void threeJvms_failoverDuringTraffic_noFailedRequest_tokensOnNewMaster() throws Exception {
    List<Future<AppRun>> futures = fleet.start(3, Duration.ofSeconds(12), Map.of(
        "sentinel-master", RedisSentinelGroup.MASTER_NAME,
        "sentinel-nodes", group.sentinelsProperty()));
    Fleet.sleep(4_500);
    int requestsBeforeFailover = fleet.idp.tokenRequests().size();
    List<Long> gapsBeforeFailover = fleet.tokenRequestGaps();
    RedisServer promoted = group.failover();
    boolean storedOnPromoted = false;
    while (!storedOnPromoted && !futures.get(0).isDone()) {
      Fleet.sleep(100);
      try (Jedis jedis = promoted.client()) {
        storedOnPromoted = !jedis.keys("upstream-oauth:*").isEmpty();
      }
    }
    List<AppRun> runs = Fleet.await(futures);

    for (AppRun run : runs) {
      assertThat(run.errors()).as(run.toString()).isZero();
      assertThat(run.other()).as(run.toString()).isZero();
      assertThat(run.stderr()).as(run.toString()).doesNotContain("SLF4J");
    }
    assertThat(requestsBeforeFailover).as("token requests before the failover").isBetween(1, 2);
    assertThat(gapsBeforeFailover).as("one token per lifetime for the fleet").allMatch(gap -> gap >= 2_000);
    assertThat(storedOnPromoted).as("tokens are written to the new master").isTrue();
    assertThat(fleet.idp.issued().size()).isLessThanOrEqualTo(12);
  }
}
