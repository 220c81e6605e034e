package io.upstreamoauth.it.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.upstreamoauth.agent.testing.redis.RedisServer;
import io.upstreamoauth.it.support.AppRun;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/** Three JVMs share one standalone Redis: one token request per token lifetime, and Redis may die. */
class RedisStandaloneFleetIT {

  private static final Pattern CMD_GET = Pattern.compile("cmdstat_get:calls=(\\d+)");
  private RedisServer redis;
  private Fleet fleet;

  @BeforeEach
  void start() throws Exception {
    redis = RedisServer.start("fleet-standalone");
    fleet = new Fleet();
  }

  @AfterEach
  void stop() {
    fleet.close();
    redis.close();
  }

  private Map<String, String> redisKeys() {
    return Map.of("port", String.valueOf(redis.port()), "encryption-key", Fleet.ENCRYPTION_KEY);
  }

  @Test
  void threeJvmsManyThreads_oneTokenRequestPerLifetime_encryptedInRedis() throws Exception {
    List<AppRun> runs = Fleet.await(fleet.start(3, Duration.ofSeconds(12), redisKeys()));

    int requests = 0;
    for (AppRun run : runs) {
      assertThat(run.errors()).as(run.toString()).isZero();
      assertThat(run.other()).as(run.toString()).isZero();
      assertThat(run.stderr()).as(run.toString()).doesNotContain("WARN Redis").doesNotContain("is ignored").doesNotContain("SLF4J");
      requests += run.ok();
    }
    List<String> issued = fleet.idp.issued();
    // tokens live 4 s and are refreshed from about 2.9 s on: one request per lifetime for the
    // whole fleet means no two requests closer than that
    assertThat(fleet.tokenRequestGaps()).as("gaps between token requests, ms").allMatch(gap -> gap >= 2_000);
    assertThat(issued.size()).isBetween(3, 7);
    assertThat(fleet.api.getAllServeEvents()).allMatch(event ->
        issued.contains(event.getRequest().getHeader("Authorization").substring("Bearer ".length())));
    try (Jedis jedis = redis.client()) {
      Set<String> keys = jedis.keys("upstream-oauth:*");
      assertThat(keys).hasSize(1).allMatch(key -> key.matches("upstream-oauth:\\{[0-9a-f]{64}\\}"));
      String stored = new String(jedis.get(keys.iterator().next().getBytes()), StandardCharsets.ISO_8859_1);
      assertThat(issued).noneMatch(stored::contains);
      // the hot path never touches Redis: reads happen per refresh, not per request
      Matcher gets = CMD_GET.matcher(jedis.info("commandstats"));
      assertThat(gets.find()).isTrue();
      assertThat(Integer.parseInt(gets.group(1))).isLessThan(requests / 10);
    }
  }

  @Test
  void redisKilledMidRunThenRestarted_noFailedRequest_tokensSharedAgain() throws Exception {
    List<Future<AppRun>> futures = fleet.start(3, Duration.ofSeconds(14), redisKeys());
    Fleet.sleep(4_000);
    redis.kill();
    Fleet.sleep(4_000);
    redis.restart();
    boolean storedAgain = false;
    for (int i = 0; i < 100 && !storedAgain && !futures.get(0).isDone(); i++) {
      Fleet.sleep(100);
      try (Jedis jedis = redis.client()) {
        storedAgain = !jedis.keys("upstream-oauth:*").isEmpty();
      }
    }
    List<AppRun> runs = Fleet.await(futures);

    for (AppRun run : runs) {
      assertThat(run.errors()).as(run.toString()).isZero();
      assertThat(run.other()).as(run.toString()).isZero();
      // one warning per outage, not one per request
      assertThat(run.stderr().split("WARN Redis", -1).length - 1).as(run.stderr()).isLessThanOrEqualTo(1);
    }
    assertThat(storedAgain).as("a token was written to the restarted Redis").isTrue();
    assertThat(runs).anyMatch(run -> run.stderr().contains("answers again"));
  }
}
