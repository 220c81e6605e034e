package io.upstreamoauth.benchmark;

import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The application under load (run in a forked JVM with the agent): {@code threads} threads send
 * {@code total} GETs with HttpURLConnection, optionally for at least {@code seconds}, and print per
 * second the number of requests, p50/p99/max latency and failures, then the failures' messages.
 */
public final class LoadApp {

  public static void main(String[] args) throws Exception {
    String url = args[0];
    int threads = Integer.parseInt(args[1]);
    int total = Integer.parseInt(args[2]);
    long minMillis = args.length > 3 ? Long.parseLong(args[3]) * 1000 : 0;
    long start = System.nanoTime();
    Map<Long, List<Long>> latencies = new ConcurrentHashMap<>();
    Map<Long, AtomicInteger> failures = new ConcurrentHashMap<>();
    Map<String, AtomicInteger> messages = new ConcurrentHashMap<>();
    AtomicInteger sent = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    for (int t = 0; t < threads; t++) {
      pool.execute(() -> {
        while (sent.incrementAndGet() <= total || (System.nanoTime() - start) / 1_000_000 < minMillis) {
          long begin = System.nanoTime();
          long second = (begin - start) / 1_000_000_000L;
          String failure = call(url);
          long micros = (System.nanoTime() - begin) / 1000;
          latencies.computeIfAbsent(second, s -> Collections.synchronizedList(new ArrayList<>())).add(micros);
          if (failure != null) {
            failures.computeIfAbsent(second, s -> new AtomicInteger()).incrementAndGet();
            messages.computeIfAbsent(failure, m -> new AtomicInteger()).incrementAndGet();
          }
        }
      });
    }
    pool.shutdown();
    pool.awaitTermination(1, TimeUnit.HOURS);
    int ok = 0;
    int failed = 0;
    for (Map.Entry<Long, List<Long>> entry : new TreeMap<>(latencies).entrySet()) {
      List<Long> sorted = new ArrayList<>(entry.getValue());
      Collections.sort(sorted);
      int errors = failures.getOrDefault(entry.getKey(), new AtomicInteger()).get();
      failed += errors;
      ok += sorted.size() - errors;
      System.out.printf("SECOND %d requests=%d p50=%.1fms p99=%.1fms max=%.1fms failed=%d%n",
          entry.getKey(), sorted.size(), percentile(sorted, 50) / 1000.0, percentile(sorted, 99) / 1000.0,
          sorted.get(sorted.size() - 1) / 1000.0, errors);
    }
    messages.forEach((message, count) -> System.out.println("FAILURE " + count + " " + message));
    System.out.println("TOTAL ok=" + ok + " failed=" + failed);
  }

  /** Returns null on 200, else what went wrong. */
  private static String call(String url) {
    try {
      HttpURLConnection connection = (HttpURLConnection) new URL(url).openConnection();
      connection.setConnectTimeout(10_000);
      connection.setReadTimeout(30_000);
      int status = connection.getResponseCode();
      try (InputStream in = status >= 400 ? connection.getErrorStream() : connection.getInputStream()) {
        if (in != null) {
          in.readAllBytes();
        }
      }
      return status == 200 ? null : "HTTP " + status;
    } catch (Exception e) {
      String message = String.valueOf(e.getMessage());
      return e.getClass().getName() + ": " + (message.length() > 300 ? message.substring(0, 300) : message);
    }
  }

  private static long percentile(List<Long> sorted, int percent) {
    int index = (int) Math.ceil(percent / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(index, sorted.size() - 1)));
  }
}
