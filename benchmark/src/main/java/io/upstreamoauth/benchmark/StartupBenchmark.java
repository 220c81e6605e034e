package io.upstreamoauth.benchmark;

import com.sun.net.httpserver.HttpServer;
import java.io.File;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Start-up cost of the agent: runs {@link HelloOneCall} in fresh JVMs, interleaving the
 * variants so machine noise hits them alike, and prints median and p90 wall time and median peak
 * RSS per variant. Usage: {@code java -jar benchmark/target/upstream-oauth-benchmark.jar [runs]};
 * {@code -Dbenchmark.agent.jar} names the agent, {@code -Dbenchmark.baseline.jar} another build measured
 * in the same runs.
 */
public final class StartupBenchmark {

  public static void main(String[] args) throws Exception {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 15;
    File agent = new File(System.getProperty("benchmark.agent.jar", "agent/target/upstream-oauth-agent.jar"));
    File self = new File(StartupBenchmark.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    AtomicInteger tokens = new AtomicInteger();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/token", exchange -> {
      tokens.incrementAndGet();
      exchange.getRequestBody().readAllBytes();
      respond(exchange, "{\"access_token\":\"benchmark-token-0123456789\",\"token_type\":\"Bearer\",\"expires_in\":300}");
    });
    server.createContext("/api", exchange -> respond(exchange, "{}"));
    server.start();
    int port = server.getAddress().getPort();
    String configured = "http://localhost:" + port + "/api";
    String other = "http://127.0.0.1:" + port + "/api";

    List<String> config = List.of(
        "-Dupstream.oauth.hosts=localhost:" + port,
        "-Dupstream.oauth.token-endpoint=http://127.0.0.1:" + port + "/token",
        "-Dupstream.oauth.client-id=bench",
        "-Dupstream.oauth.client-secret=bench-secret",
        "-Dupstream.oauth.log-level=warn");
    Map<String, List<String>> variants = new LinkedHashMap<>();
    variants.put("no agent", List.of());
    variants.put("agent, call to an unconfigured host", concat(List.of("-javaagent:" + agent), config));
    variants.put("agent, call to a configured host (token fetched)", concat(List.of("-javaagent:" + agent), config));
    Map<String, String> urls = new LinkedHashMap<>();
    urls.put("no agent", configured);
    urls.put("agent, call to an unconfigured host", other);
    urls.put("agent, call to a configured host (token fetched)", configured);
    // -Dbenchmark.baseline.jar: another build of the agent, measured in the same interleaved runs
    String baseline = System.getProperty("benchmark.baseline.jar");
    if (baseline != null && !baseline.isEmpty()) {
      variants.put("baseline agent, unconfigured host", concat(List.of("-javaagent:" + new File(baseline)), config));
      variants.put("baseline agent, configured host (token fetched)", concat(List.of("-javaagent:" + new File(baseline)), config));
      urls.put("baseline agent, unconfigured host", other);
      urls.put("baseline agent, configured host (token fetched)", configured);
    }

    Map<String, List<Long>> wall = new LinkedHashMap<>();
    Map<String, List<Long>> rss = new LinkedHashMap<>();
    for (String name : variants.keySet()) {
      wall.put(name, new ArrayList<>());
      rss.put(name, new ArrayList<>());
    }
    for (int run = -2; run < runs; run++) { // two warm-up rounds for the OS page cache
      for (Map.Entry<String, List<String>> variant : variants.entrySet()) {
        long[] result = measure(self, variant.getValue(), urls.get(variant.getKey()));
        if (run >= 0) {
          wall.get(variant.getKey()).add(result[0]);
          rss.get(variant.getKey()).add(result[1]);
        }
      }
    }
    server.stop(0);
    System.out.println("java " + System.getProperty("java.version") + ", " + runs + " runs per variant, "
        + Runtime.getRuntime().availableProcessors() + " CPUs");
    System.out.println(String.format("%-50s %10s %10s %14s", "variant", "wall p50", "wall p90", "peak RSS p50"));
    long baseWall = percentile(wall.get("no agent"), 50);
    long baseRss = percentile(rss.get("no agent"), 50);
    for (String name : variants.keySet()) {
      long p50 = percentile(wall.get(name), 50);
      long memory = percentile(rss.get(name), 50);
      System.out.println(String.format("%-50s %7d ms %7d ms %10.1f MiB   (+%d ms, +%.1f MiB)",
          name, p50, percentile(wall.get(name), 90), memory / 1024.0, p50 - baseWall, (memory - baseRss) / 1024.0));
    }
    System.out.println("token requests: " + tokens.get());
  }

  private static long[] measure(File jar, List<String> jvmArgs, String url) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(new File(System.getProperty("java.home"), "bin/java").getPath());
    command.addAll(jvmArgs);
    command.addAll(Arrays.asList("-cp", jar.getPath(), HelloOneCall.class.getName(), url));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().remove("JAVA_TOOL_OPTIONS");
    long start = System.nanoTime();
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    process.waitFor();
    long millis = (System.nanoTime() - start) / 1_000_000;
    if (!output.contains("STATUS 200")) {
      throw new IllegalStateException("run failed: " + command + "\n" + output);
    }
    long hwm = 0;
    for (String line : output.split("\n")) {
      if (line.startsWith("VMHWM ")) {
        hwm = Long.parseLong(line.substring(6).trim());
      }
    }
    return new long[] {millis, hwm};
  }

  private static long percentile(List<Long> values, int percent) {
    List<Long> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int index = (int) Math.ceil(percent / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(index, sorted.size() - 1)));
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  private static void respond(com.sun.net.httpserver.HttpExchange exchange, String body) throws java.io.IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(200, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
    exchange.close();
  }
}
