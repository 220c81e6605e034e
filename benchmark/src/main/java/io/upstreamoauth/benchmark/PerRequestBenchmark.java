package io.upstreamoauth.benchmark;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the agent costs per request with a cached token, end to end, compared with the
 * application setting the same header itself: the calling thread's CPU time and allocated bytes
 * per request ({@code ThreadMXBean}; allocation is deterministic, CPU is not), in fresh JVMs run in
 * interleaved pairs (baseline, agent; the order alternating) so that machine noise hits both
 * alike. Prints, per client and variant, the median over the pairs of the CPU ratio and of the
 * allocation difference.
 *
 * <p>Usage: {@code java -cp benchmark/target/upstream-oauth-benchmark.jar
 * io.upstreamoauth.benchmark.PerRequestBenchmark [pairs] [requests]} (defaults 9 and 20000, after
 * as many warm-up requests); {@code -Dbenchmark.agent.jar} names the agent.
 */
public final class PerRequestBenchmark {

  static final String TOKEN = "benchmark-token-0123456789abcdef0123456789abcdef";

  public static void main(String[] args) throws Exception {
    int pairs = args.length > 0 ? Integer.parseInt(args[0]) : 9;
    int requests = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
    File agent = new File(System.getProperty("benchmark.agent.jar", "agent/target/upstream-oauth-agent.jar"));
    File self = new File(PerRequestBenchmark.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    AtomicInteger tokens = new AtomicInteger();
    AtomicInteger rejected = new AtomicInteger();
    KeepAliveServer server = new KeepAliveServer((path, headers) -> {
      if (path.startsWith("/token")) {
        tokens.incrementAndGet();
        boolean dpop = headers.containsKey("dpop");
        return new Object[] {200, "{\"access_token\":\"" + TOKEN + "\",\"token_type\":\"" + (dpop ? "DPoP" : "Bearer")
            + "\",\"expires_in\":86400}"};
      }
      String authorization = headers.get("authorization");
      boolean ok = ("Bearer " + TOKEN).equals(authorization)
          || (("DPoP " + TOKEN).equals(authorization) && headers.containsKey("dpop"));
      if (!ok) {
        rejected.incrementAndGet();
      }
      return new Object[] {ok ? 200 : 401, "ok"};
    });
    int port = server.port();
    String url = "http://localhost:" + port + "/api/orders";
    List<String> config = List.of(
        "-Dupstream.oauth.hosts=localhost:" + port,
        "-Dupstream.oauth.token-endpoint=http://127.0.0.1:" + port + "/token",
        "-Dupstream.oauth.client-id=bench",
        "-Dupstream.oauth.client-secret=bench-secret",
        "-Dupstream.oauth.log-level=error");

    System.out.println("java " + System.getProperty("java.version") + ", " + pairs + " pairs of " + requests
        + " requests (after as many warm-up requests), " + Runtime.getRuntime().availableProcessors() + " CPUs");
    System.out.println(String.format("%-6s %-22s %12s %12s %14s %14s", "client", "variant", "CPU ratio", "(min-max)",
        "alloc +B/req", "CPU ns/req"));
    for (String client : List.of("huc", "jdk")) {
      Map<String, List<String>> variants = new LinkedHashMap<>();
      variants.put("agent, Bearer", concat(List.of("-javaagent:" + agent), config));
      variants.put("agent, DPoP (ES256)", concat(List.of("-javaagent:" + agent, "-Dupstream.oauth.dpop=true"), config));
      for (Map.Entry<String, List<String>> variant : variants.entrySet()) {
        List<Double> ratios = new ArrayList<>();
        List<Long> allocs = new ArrayList<>();
        List<Long> cpus = new ArrayList<>();
        for (int pair = 0; pair < pairs; pair++) {
          long[] base;
          long[] with;
          if (pair % 2 == 0) {
            base = run(self, List.of(), client, url, requests, "Bearer " + TOKEN);
            with = run(self, variant.getValue(), client, url, requests, null);
          } else {
            with = run(self, variant.getValue(), client, url, requests, null);
            base = run(self, List.of(), client, url, requests, "Bearer " + TOKEN);
          }
          ratios.add((double) with[0] / base[0]);
          allocs.add(with[1] - base[1]);
          cpus.add(with[0]);
        }
        List<Double> sorted = new ArrayList<>(ratios);
        Collections.sort(sorted);
        System.out.println(String.format("%-6s %-22s %12.3f %5.2f-%5.2f %14d %14d", client, variant.getKey(),
            median(ratios), sorted.get(0), sorted.get(sorted.size() - 1), medianLong(allocs), medianLong(cpus)));
      }
    }
    server.close();
    System.out.println("token requests: " + tokens.get() + ", requests rejected by the API: " + rejected.get());
    System.exit(0);
  }

  /** Returns {thread CPU ns, thread allocated bytes, process CPU ns} per request. */
  private static long[] run(File jar, List<String> jvmArgs, String client, String url, int requests, String header)
      throws Exception {
    List<String> command = new ArrayList<>();
    command.add(new File(System.getProperty("java.home"), "bin/java").getPath());
    command.addAll(jvmArgs);
    command.addAll(List.of("-cp", jar.getPath(), PerRequestApp.class.getName(), client, url, "" + requests, "" + requests));
    if (header != null) {
      command.add(header);
    }
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().remove("JAVA_TOOL_OPTIONS");
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    process.waitFor();
    for (String line : output.split("\n")) {
      if (line.startsWith("PERREQ ")) {
        String[] parts = line.trim().split(" ");
        return new long[] {Long.parseLong(parts[1]), Long.parseLong(parts[2]), Long.parseLong(parts[3])};
      }
    }
    throw new IllegalStateException("run failed: " + command + "\n" + output);
  }

  private static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  private static long medianLong(List<Long> values) {
    List<Long> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return sorted.get(sorted.size() / 2);
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  private PerRequestBenchmark() {}
}
