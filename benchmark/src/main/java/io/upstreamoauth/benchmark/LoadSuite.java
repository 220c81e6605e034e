package io.upstreamoauth.benchmark;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The load and fault suite of the agent's resilience (README: "Load and faults").
 *
 * <ul>
 *   <li>{@code load}: 200 threads, 100,000 requests, tokens that live 2 s: failures, requests
 *       without or with an expired token, IdP calls per token lifetime, latency per second.
 *   <li>{@code faults}: tokens that live 10 s; after 3 s the IdP fails (500, hanging, garbage,
 *       invalid_client, refused connections) for 12 s: no request may fail while the cached token
 *       is valid, then the clear error, then recovery once the IdP is back.
 * </ul>
 */
public final class LoadSuite {

  public static void main(String[] args) throws Exception {
    String what = args.length > 0 ? args[0] : "all";
    System.out.println("java " + System.getProperty("java.version") + ", " + Runtime.getRuntime().availableProcessors() + " CPUs");
    if (what.equals("load") || what.equals("all")) {
      load();
    }
    if (what.equals("faults") || what.equals("all")) {
      for (TestServers.Mode fault : new TestServers.Mode[] {
          TestServers.Mode.SERVER_ERROR, TestServers.Mode.HANG, TestServers.Mode.GARBAGE,
          TestServers.Mode.INVALID_CLIENT, TestServers.Mode.REFUSE}) {
        fault(fault);
      }
    }
  }

  private static void load() throws Exception {
    try (TestServers servers = new TestServers(2)) {
      long start = System.nanoTime();
      List<String> output = runApp(servers, List.of("200", "100000"), null, 0);
      double seconds = (System.nanoTime() - start) / 1e9;
      System.out.println("\n## load: 200 threads, 100,000 requests, tokens live 2 s");
      output.stream().filter(line -> line.startsWith("SECOND") || line.startsWith("TOTAL") || line.startsWith("FAILURE")).forEach(System.out::println);
      System.out.printf("upstream requests=%d without token=%d invalid or expired token=%d%n",
          servers.upstreamRequests.get(), servers.withoutToken.get(), servers.invalidToken.get());
      System.out.printf("IdP token requests=%d over %.1f s (%.1f token lifetimes of 2 s)%n",
          servers.tokenRequests.get(), seconds, seconds / 2);
    }
  }

  private static void fault(TestServers.Mode fault) throws Exception {
    try (TestServers servers = new TestServers(10)) {
      Thread timeline = new Thread(() -> {
        try {
          TimeUnit.SECONDS.sleep(3);
          servers.mode(fault);
          TimeUnit.SECONDS.sleep(12);
          servers.mode(TestServers.Mode.OK);
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      List<String> output = runApp(servers, List.of("20", "1"), timeline, 22);
      System.out.println("\n## fault: " + fault + " from 3 s to 15 s (token valid ~9 s from first use)");
      output.stream().filter(line -> line.startsWith("SECOND") || line.startsWith("TOTAL") || line.startsWith("FAILURE") || line.startsWith("AGENT")).forEach(System.out::println);
      System.out.printf("upstream requests=%d without token=%d invalid or expired token=%d IdP token requests=%d%n",
          servers.upstreamRequests.get(), servers.withoutToken.get(), servers.invalidToken.get(), servers.tokenRequests.get());
    }
  }

  /** Runs {@link LoadApp} with the agent; starts {@code timeline} when the app starts. */
  private static List<String> runApp(TestServers servers, List<String> load, Thread timeline, int minSeconds) throws Exception {
    File agent = new File(System.getProperty("benchmark.agent.jar", "agent/target/upstream-oauth-agent.jar"));
    File self = new File(LoadSuite.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    List<String> command = new ArrayList<>();
    command.add(new File(System.getProperty("java.home"), "bin/java").getPath());
    command.add("-javaagent:" + agent.getPath());
    command.add("-Dupstream.oauth.hosts=" + servers.apiHostPort());
    command.add("-Dupstream.oauth.token-endpoint=" + servers.tokenEndpoint());
    command.add("-Dupstream.oauth.client-id=load");
    command.add("-Dupstream.oauth.client-secret=load-secret");
    command.add("-Dupstream.oauth.timeout=1000");
    command.add("-Dupstream.oauth.idp-retry.initial-backoff=500");
    command.add("-Dupstream.oauth.idp-retry.max-backoff=2000");
    command.add("-Dupstream.oauth.idp-retry.config-error-backoff=2000");
    command.add("-Dhttp.maxConnections=200");
    command.add("-cp");
    command.add(self.getPath());
    command.add(LoadApp.class.getName());
    command.add(servers.apiUrl());
    command.addAll(load);
    command.add(String.valueOf(minSeconds));
    Process process = new ProcessBuilder(command).start();
    if (timeline != null) {
      timeline.start();
    }
    List<String> lines = new ArrayList<>();
    Thread errors = new Thread(() -> {
      try (BufferedReader err = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = err.readLine()) != null) {
          synchronized (lines) {
            lines.add("AGENT " + line);
          }
        }
      } catch (Exception ignored) {
        // the process ended
      }
    });
    errors.start();
    try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null) {
        synchronized (lines) {
          lines.add(line);
        }
      }
    }
    process.waitFor();
    errors.join();
    if (timeline != null) {
      timeline.join();
    }
    return lines;
  }
}
