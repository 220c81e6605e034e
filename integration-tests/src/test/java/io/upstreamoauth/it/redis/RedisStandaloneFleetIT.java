package io.upstreamoauth.it.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.upstreamoauth.agent.testing.redis.RedisServer;
import io.upstreamoauth.it.support.AppRun;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
  void stop() throws Exception {
    fleet.close();
    redis.close();
  }

  private Map<String, String> redisKeys() {
    return Map.of("port", String.valueOf(redis.port()), "encryption-key", Fleet.ENCRYPTION_KEY);
  }

  private boolean tokenInRedis() {
    try (Jedis jedis = redis.client()) {
      return jedis.keys("upstream-oauth:*").stream().anyMatch(key -> !key.endsWith(":lease"));
    } catch (RuntimeException e) {
      return false; // not up (yet)
    }
  }

  @Test
  void threeJvmsManyThreads_oneTokenRequestPerLifetime_encryptedInRedis() throws Exception {
    fleet.start(redisKeys());
    fleet.awaitEveryMemberCalling();
    int whenAllCalling = fleet.issued();
    fleet.await("three token refreshes with every JVM calling", () -> fleet.issued() >= whenAllCalling + 3);
    List<AppRun> runs = fleet.finish();

    int requests = 0;
    for (AppRun run : runs) {
      assertThat(run.stderr()).as(run.toString()).doesNotContain("WARN Redis").doesNotContain("is ignored");
      requests += run.ok();
    }
    List<String> issued = fleet.idp.issued();
    // a token lives 4 s and is refreshed from about 2.9 s on: the whole fleet asked once per lifetime
    Fleet.assertOnePerLifetime("to the fleet", fleet.idp.issueTimes());
    assertThat(fleet.api.getAllServeEvents()).allMatch(event ->
        issued.contains(event.getRequest().getHeader("Authorization").substring("Bearer ".length())));
    // each JVM went through refreshes with the others' tokens, not only its first fetch
    assertThat(fleet.tokensByMember()).hasSize(Fleet.JVMS)
        .allSatisfy((member, tokens) -> assertThat(tokens).as("tokens of JVM " + member).hasSizeGreaterThan(1));
    try (Jedis jedis = redis.client()) {
      Set<String> keys = new HashSet<>(jedis.keys("upstream-oauth:*"));
      keys.removeIf(key -> key.endsWith(":lease"));
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
    fleet.start(redisKeys());
    fleet.awaitEveryMemberCalling();
    fleet.await("a token stored in Redis", this::tokenInRedis);
    int beforeKill = fleet.issued();
    redis.kill();
    fleet.await("a token fetched while Redis is down", () -> fleet.issued() > beforeKill);
    int beforeRestart = fleet.issued();
    redis.restart();
    fleet.await("a token stored in the restarted Redis", this::tokenInRedis);
    fleet.awaitOneTokenForAll(beforeRestart);
    List<AppRun> runs = fleet.finish();

    int warnings = 0;
    for (AppRun run : runs) {
      // one warning per outage a JVM saw, not one per request: each ends with "answers again"
      int warned = count(run.stderr(), "WARN Redis");
      assertThat(warned).as(run.stderr()).isLessThanOrEqualTo(count(run.stderr(), "answers again") + 1);
      warnings += warned;
    }
    assertThat(warnings).as("the JVM that fetched during the outage said so").isPositive();
    assertThat(runs).anyMatch(run -> run.stderr().contains("answers again"));
  }

  private static int count(String text, String what) {
    return text.split(Pattern.quote(what), -1).length - 1;
  }
}
