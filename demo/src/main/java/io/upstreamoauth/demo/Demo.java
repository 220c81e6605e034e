package io.upstreamoauth.demo;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The README's first command: a local IdP (client credentials, client_secret_basic) and a local
 * API that only answers requests carrying one of its tokens, then the unchanged
 * HttpURLConnection test app calling the API twenty times from four threads, without and with
 * the agent. Exits 0 only when both halves came out as the README says: without the agent every
 * call rejected, with it every call authorised after exactly one token request.
 */
public final class Demo {

  private static final String CLIENT_ID = "demo-client";
  private static final String CLIENT_SECRET = "demo-secret";
  private static final int CALLS = 20;

  private final Set<String> validTokens = ConcurrentHashMap.newKeySet();
  private final AtomicInteger tokenRequests = new AtomicInteger();
  private final AtomicInteger authorised = new AtomicInteger();
  private final AtomicInteger rejected = new AtomicInteger();
  private final SecureRandom random = new SecureRandom();

  public static void main(String[] args) throws Exception {
    new Demo().run();
  }

  private void run() throws Exception {
    File agent = file("demo.agent.jar", "agent/target/upstream-oauth-agent.jar");
    File app = file("demo.app.jar", "test-apps/http-url-connection/target/test-app-http-url-connection.jar");
    HttpServer idp = server(this::token);
    HttpServer api = server(this::orders);
    String tokenEndpoint = "http://127.0.0.1:" + idp.getAddress().getPort() + "/token";
    String apiUrl = "http://localhost:" + api.getAddress().getPort() + "/orders";
    System.out.println("Local IdP token endpoint: " + tokenEndpoint + " (client " + CLIENT_ID + ")");
    System.out.println("Local API:                " + apiUrl + " (needs a Bearer token from that IdP)");

    List<String> appArgs = List.of("-jar", app.getPath(), "--url", apiUrl, "--count", String.valueOf(CALLS), "--threads", "4");

    System.out.println("\n1) The unchanged app, without the agent:");
    int exitWithout = runApp(new ArrayList<>(appArgs));
    System.out.println("   API: " + authorised.get() + " authorised, " + rejected.get() + " rejected");
    boolean withoutAsExpected = exitWithout == 0 && authorised.get() == 0 && rejected.get() == CALLS && tokenRequests.get() == 0;

    authorised.set(0);
    rejected.set(0);
    List<String> withAgent = new ArrayList<>();
    withAgent.add("-javaagent:" + agent.getPath());
    withAgent.add("-Dupstream.oauth.hosts=localhost:" + api.getAddress().getPort());
    withAgent.add("-Dupstream.oauth.token-endpoint=" + tokenEndpoint);
    withAgent.add("-Dupstream.oauth.client-id=" + CLIENT_ID);
    withAgent.add("-Dupstream.oauth.client-secret=" + CLIENT_SECRET);
    withAgent.addAll(appArgs);
    System.out.println("\n2) The same app, with -javaagent:" + agent.getPath() + " and four -Dupstream.oauth.* properties:");
    int exitWith = runApp(withAgent);
    System.out.println("   API: " + authorised.get() + " authorised, " + rejected.get() + " rejected");
    System.out.println("   IdP: " + tokenRequests.get() + " token request(s) for " + authorised.get() + " calls");
    boolean withAsExpected = exitWith == 0 && authorised.get() == CALLS && rejected.get() == 0 && tokenRequests.get() == 1;

    idp.stop(0);
    api.stop(0);
    if (!withoutAsExpected || !withAsExpected) {
      System.out.println("\nUnexpected result (" + (withoutAsExpected ? "with" : "without") + " the agent): see the output above.");
    }
    System.exit(withoutAsExpected && withAsExpected ? 0 : 1); // the servers' threads would keep the JVM alive
  }

  /** Runs the app, shows its summary and the agent's lines; returns its exit code. */
  private int runApp(List<String> args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(new File(System.getProperty("java.home"), "bin/java").getPath());
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().remove("JAVA_TOOL_OPTIONS");
    Process process = builder.start();
    try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null) {
        if (line.startsWith("SUMMARY") || line.contains("[upstream-oauth-agent]")) {
          System.out.println("   app: " + line);
        }
      }
    }
    int exit = process.waitFor();
    if (exit != 0) {
      System.out.println("   app: exited with " + exit);
    }
    return exit;
  }

  private void token(HttpExchange exchange) throws IOException {
    tokenRequests.incrementAndGet();
    String expected = "Basic " + Base64.getEncoder().encodeToString((CLIENT_ID + ":" + CLIENT_SECRET).getBytes(StandardCharsets.UTF_8));
    if (!"POST".equals(exchange.getRequestMethod()) || !expected.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
      respond(exchange, 401, "{\"error\":\"invalid_client\"}");
      return;
    }
    byte[] bytes = new byte[24];
    random.nextBytes(bytes);
    String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    validTokens.add(token);
    respond(exchange, 200, "{\"access_token\":\"" + token + "\",\"token_type\":\"Bearer\",\"expires_in\":300}");
  }

  private void orders(HttpExchange exchange) throws IOException {
    String authorization = exchange.getRequestHeaders().getFirst("Authorization");
    if (authorization != null && authorization.startsWith("Bearer ") && validTokens.contains(authorization.substring(7))) {
      authorised.incrementAndGet();
      respond(exchange, 200, "{\"orders\":[]}");
    } else {
      rejected.incrementAndGet();
      exchange.getResponseHeaders().add("WWW-Authenticate", "Bearer");
      respond(exchange, 401, "{\"error\":\"unauthorized\"}");
    }
  }

  private static void respond(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static HttpServer server(Handler handler) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", exchange -> {
      try {
        exchange.getRequestBody().readAllBytes();
        handler.handle(exchange);
      } finally {
        exchange.close();
      }
    });
    server.setExecutor(Executors.newFixedThreadPool(4));
    server.start();
    return server;
  }

  private static File file(String property, String defaultPath) {
    File file = new File(System.getProperty(property, defaultPath));
    if (!file.isFile()) {
      throw new IllegalStateException(file + " is missing: run this from the repository root after mvn package");
    }
    return file;
  }

  private interface Handler {
    void handle(HttpExchange exchange) throws IOException;
  }
}
