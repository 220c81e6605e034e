package io.upstreamoauth.agent.testing.redis;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * A real Redis Cluster of 3 masters and 3 replicas on free loopback ports, formed with Jedis
 * commands (CLUSTER MEET, ADDSLOTS, REPLICATE). A node that does not hear from a master for 1 s
 * starts a failover, so a killed master is replaced within a few seconds.
 */
public final class RedisCluster implements AutoCloseable {

  private static final int SLOTS = 16384;
  private final List<RedisServer> masters = new ArrayList<>();
  private final List<RedisServer> replicas = new ArrayList<>();

  private RedisCluster() {}

  public static RedisCluster start() throws IOException {
    RedisCluster cluster = new RedisCluster();
    try {
      for (int i = 0; i < 6; i++) {
        RedisServer node = RedisServer.start("cluster", RedisServer.freePort(true),
            "--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
            "--cluster-node-timeout", "1000", "--cluster-require-full-coverage", "no");
        (i < 3 ? cluster.masters : cluster.replicas).add(node);
      }
      cluster.form();
      return cluster;
    } catch (IOException | RuntimeException e) {
      cluster.close();
      throw e;
    }
  }

  private void form() {
    List<RedisServer> all = nodes();
    try (Jedis first = all.get(0).client()) {
      for (RedisServer node : all.subList(1, all.size())) {
        first.clusterMeet("127.0.0.1", node.port());
      }
    }
    for (int i = 0; i < 3; i++) {
      try (Jedis master = masters.get(i).client()) {
        master.clusterAddSlotsRange(i * SLOTS / 3, (i + 1) * SLOTS / 3 - 1);
      }
    }
    await("every node knows the other five", () -> all.stream().allMatch(n -> knownNodes(n) >= 6));
    for (int i = 0; i < 3; i++) {
      String masterId;
      try (Jedis master = masters.get(i).client()) {
        masterId = master.clusterMyId();
      }
      try (Jedis replica = replicas.get(i).client()) {
        replica.clusterReplicate(masterId);
      }
    }
    await("the cluster is ok with a synced replica per master", () -> all.stream().allMatch(n -> info(n).contains("cluster_state:ok"))
        && replicas.stream().allMatch(r -> replication(r).contains("master_link_status:up")));
  }

  /** Returns the 3 masters, then the 3 replicas. */
  public List<RedisServer> nodes() {
    List<RedisServer> all = new ArrayList<>(masters);
    all.addAll(replicas);
    return all;
  }

  /** Returns "h:p,h:p,..." of every node, for cache.redis.cluster-nodes. */
  public String nodesProperty() {
    return nodes().stream().map(RedisServer::address).collect(Collectors.joining(","));
  }

  /** Returns the node that is the master of {@code key}'s slot right now. */
  public RedisServer masterOf(String key) {
    int slot = JedisClusterCRC16.getSlot(key);
    for (RedisServer node : nodes()) {
      if (!node.isRunning()) {
        continue;
      }
      try (Jedis jedis = node.client()) {
        if (owns(jedis, slot)) {
          return node;
        }
      }
    }
    throw new IllegalStateException("no running master owns slot " + slot);
  }

  private static boolean owns(Jedis jedis, int slot) {
    for (String line : jedis.clusterNodes().split("\n")) {
      if (line.contains("myself,master")) {
        String[] fields = line.trim().split(" ");
        for (int i = 8; i < fields.length; i++) {
          String[] range = fields[i].split("-");
          int from = Integer.parseInt(range[0]);
          int to = range.length > 1 ? Integer.parseInt(range[1]) : from;
          if (slot >= from && slot <= to) {
            return true;
          }
        }
      }
    }
    return false;
  }

  /** Waits until every running node reports cluster_state:ok. */
  public void awaitHealthy() {
    await("the cluster is ok", () -> nodes().stream().filter(RedisServer::isRunning).allMatch(n -> info(n).contains("cluster_state:ok")));
  }

  private static String info(RedisServer node) {
    try (Jedis jedis = node.client()) {
      return jedis.clusterInfo();
    } catch (RuntimeException e) {
      return "";
    }
  }

  static String replication(RedisServer node) {
    try (Jedis jedis = node.client()) {
      return jedis.info("replication");
    } catch (RuntimeException e) {
      return "";
    }
  }

  private static int knownNodes(RedisServer node) {
    try (Jedis jedis = node.client()) {
      return jedis.clusterNodes().trim().split("\n").length;
    } catch (RuntimeException e) {
      return 0;
    }
  }

  static void await(String what, java.util.function.BooleanSupplier condition) {
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("timed out waiting until " + what);
      }
      RedisServer.sleep(50);
    }
  }

  @Override
  public void close() {
    nodes().forEach(RedisServer::close);
  }
}
