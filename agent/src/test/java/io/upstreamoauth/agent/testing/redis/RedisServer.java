package io.upstreamoauth.agent.testing.redis;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import redis.clients.jedis.Jedis;

/**
 * One real {@code redis-server} process on a free loopback port, with its own data directory
 * under {@code target/redis}. It can be killed (SIGKILL, like a crash) and started again on the
 * same port. Every process still running when the JVM exits is killed.
 */
public final class RedisServer implements AutoCloseable {

  private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> RUNNING.forEach(Process::destroyForcibly), "redis-fixture-reaper"));
  }

  private final int port;
  private final Path dir;
  private final List<String> args;
  private Process process;

  private RedisServer(int port, Path dir, List<String> args) {
    this.port = port;
    this.dir = dir;
    this.args = args;
  }

  /** Starts a standalone server; {@code extraArgs} are redis-server options such as "--cluster-enabled", "yes". */
  public static RedisServer start(String name, String... extraArgs) throws IOException {
    return start(name, freePort(false), extraArgs);
  }

  static RedisServer start(String name, int port, String... extraArgs) throws IOException {
    Path dir = Files.createDirectories(RedisBinary.workDir().resolve(name + "-" + port + "-" + System.nanoTime()));
    List<String> args = new ArrayList<>(List.of("--port", String.valueOf(port), "--bind", "127.0.0.1",
        "--dir", dir.toString(), "--save", "", "--appendonly", "no", "--protected-mode", "no",
        "--daemonize", "no", "--logfile", dir.resolve("redis.log").toString()));
    args.addAll(List.of(extraArgs));
    RedisServer server = new RedisServer(port, dir, args);
    server.startProcess(null);
    return server;
  }

  /** Starts a Sentinel with {@code config} as its (writable) configuration file. */
  static RedisServer startSentinel(String name, int port, String config) throws IOException {
    Path dir = Files.createDirectories(RedisBinary.workDir().resolve(name + "-" + port + "-" + System.nanoTime()));
    Path file = dir.resolve("sentinel.conf");
    Files.writeString(file, "port " + port + "\nbind 127.0.0.1\nprotected-mode no\ndir " + dir
        + "\nlogfile " + dir.resolve("sentinel.log") + "\n" + config, StandardCharsets.UTF_8);
    RedisServer server = new RedisServer(port, dir, List.of("--sentinel"));
    server.startProcess(file);
    return server;
  }

  private void startProcess(Path configFile) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(RedisBinary.get().toString());
    if (configFile != null) {
      command.add(configFile.toString());
    }
    command.addAll(args);
    process = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(dir.resolve("stdout.log").toFile()).start();
    RUNNING.add(process);
    awaitPing();
  }

  private void awaitPing() throws IOException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (true) {
      if (!process.isAlive()) {
        throw new IllegalStateException("redis-server on port " + port + " exited: see " + dir);
      }
      try (Jedis jedis = client()) {
        if ("PONG".equals(jedis.ping())) {
          return;
        }
      } catch (RuntimeException e) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("redis-server on port " + port + " did not answer: see " + dir, e);
        }
      }
      sleep(20);
    }
  }

  public int port() {
    return port;
  }

  /** Returns "127.0.0.1:port". */
  public String address() {
    return "127.0.0.1:" + port;
  }

  /** Returns a new connection; close it. */
  public Jedis client() {
    return new Jedis("127.0.0.1", port, 2000);
  }

  /** Kills the process at once (SIGKILL), as a crash would. */
  public void kill() {
    if (process != null) {
      process.destroyForcibly();
      waitFor();
    }
  }

  /** Starts the process again, on the same port, with an empty data set. */
  public void restart() throws IOException {
    kill();
    startProcess(args.contains("--sentinel") ? dir.resolve("sentinel.conf") : null);
  }

  public boolean isRunning() {
    return process != null && process.isAlive();
  }

  @Override
  public void close() {
    if (process != null) {
      process.destroy();
      waitFor();
    }
  }

  private void waitFor() {
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    RUNNING.remove(process);
  }

  /** Returns a free loopback port; with {@code busToo}, port + 10000 is free as well (Cluster bus). */
  static int freePort(boolean busToo) throws IOException {
    for (int attempt = 0; attempt < 100; attempt++) {
      int port;
      try (ServerSocket socket = new ServerSocket(0)) {
        port = socket.getLocalPort();
      }
      if (!busToo) {
        return port;
      }
      if (port + 10000 < 65536) {
        try (ServerSocket bus = new ServerSocket(port + 10000)) {
          return port;
        } catch (IOException busy) {
          // try another
        }
      }
    }
    throw new IOException("no free port pair found");
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public String toString() {
    return "RedisServer{" + address() + ", " + dir + "}";
  }
}
