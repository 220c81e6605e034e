package io.upstreamoauth.agent.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.upstreamoauth.agent.cache.CachedToken;
import io.upstreamoauth.agent.config.RedisNode;
import io.upstreamoauth.agent.config.RedisSettings;
import io.upstreamoauth.agent.config.SentinelRole;
import io.upstreamoauth.agent.testing.redis.RedisCluster;
import io.upstreamoauth.agent.testing.redis.RedisSentinelGroup;
import io.upstreamoauth.agent.testing.redis.RedisServer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/** RedisTokenStore on a real Redis Cluster and a real Sentinel group. */
class RedisTopologyStoreTest {

  private static final String KEY = "feed0002";

  private static List<RedisNode> nodes(String property) {
    List<RedisNode> nodes = new ArrayList<>();
    for (String node : property.split(",")) {
      nodes.add(RedisNode.parse(node));
    }
    return nodes;
  }

  private static RedisSettings sentinel(RedisSentinelGroup group, SentinelRole role) {
    return RedisSettings.builder()
        .sentinel(RedisSentinelGroup.MASTER_NAME, role, nodes(group.sentinelsProperty()), null, null)
        .build();
  }

  private static int gets(RedisServer server) {
    try (Jedis jedis = server.client()) {
      Matcher m = Pattern.compile("cmdstat_get:calls=(\\d+)").matcher(jedis.info("commandstats"));
      return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }
  }

  /** Waits until the replica has the key (asking with EXISTS, which is not a GET). */
  private static void awaitReplicated(RedisServer replica, String key) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    try (Jedis jedis = replica.client()) {
      while (!jedis.exists(key)) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError(key + " did not reach the replica within 30 s");
        }
        Thread.sleep(10); // polling for the replica, not waiting out a time
      }
    }
  }

  @Test
  void cluster_putGetLeaseAndCompareAndDelete_allInTheTokensSlot() throws Exception {
    try (RedisCluster cluster = RedisCluster.start();
        RedisTokenStore store = new RedisTokenStore(
            RedisSettings.builder().cluster(nodes(cluster.nodesProperty()), 5).build())) {
      long now = System.currentTimeMillis();
      CachedToken token = RedisTokenStoreTest.token("cluster-token-value", now, 60_000);

      store.put(KEY, token, now);
      String owner = store.tryLease(KEY, 5_000);

      assertThat(store.get(KEY).accessToken()).isEqualTo("cluster-token-value");
      assertThat(owner).isNotNull();
      assertThat(store.releaseLease(KEY, owner)).isTrue();
      assertThat(store.deleteIfSame(KEY, token)).isTrue();
      assertThat(cluster.masterOf(store.tokenKey(KEY))).isSameAs(cluster.masterOf(store.leaseKey(KEY)));
    }
  }

  @Test
  void sentinel_roleMasterAndSlave_readsWhereConfigured_writesOnMaster() throws Exception {
    try (RedisSentinelGroup group = RedisSentinelGroup.start();
        RedisTokenStore master = new RedisTokenStore(sentinel(group, SentinelRole.MASTER));
        RedisTokenStore slave = new RedisTokenStore(sentinel(group, SentinelRole.SLAVE))) {
      long now = System.currentTimeMillis();
      master.put(KEY, RedisTokenStoreTest.token("sentinel-token-value", now, 60_000), now);
      RedisServer replica = group.servers().stream().filter(s -> s != group.master()).findFirst().orElseThrow();
      awaitReplicated(replica, master.tokenKey(KEY));

      int replicaGetsBefore = gets(replica);
      assertThat(slave.get(KEY).accessToken()).isEqualTo("sentinel-token-value");
      assertThat(gets(replica)).as("the read went to the replica").isEqualTo(replicaGetsBefore + 1);
      assertThat(slave.tryLease(KEY, 5_000)).as("leases go to the master").isNotNull();

      replica.kill();
      assertThat(slave.get(KEY).accessToken()).as("falls back to the master").isEqualTo("sentinel-token-value");
    }
  }
}
