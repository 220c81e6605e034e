package io.upstreamoauth.benchmark;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/** The IdP (with switchable faults) and the upstream API (which checks tokens) of the load suite. */
final class TestServers implements AutoCloseable {

  /** What the IdP does with a token request. */
  enum Mode {
    OK, SERVER_ERROR, HANG, GARBAGE, INVALID_CLIENT, REFUSE
  }

  final AtomicInteger tokenRequests = new AtomicInteger();
  final AtomicInteger upstreamRequests = new AtomicInteger();
  final AtomicInteger withoutToken = new AtomicInteger();
  final AtomicInteger invalidToken = new AtomicInteger();
  private final Map<String, Long> expiries = new ConcurrentHashMap<>();
  private final ExecutorService idpPool = Executors.newCachedThreadPool();
  private final HttpServer upstream;
  private final int idpPort;
  private HttpServer idp;
  private volatile Mode mode = Mode.OK;
  private volatile long expiresIn;

  TestServers(long expiresInSeconds) throws IOException {
    this.expiresIn = expiresInSeconds;
    upstream = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 512);
    upstream.createContext("/api", this::api);
    upstream.setExecutor(Executors.newFixedThreadPool(64));
    upstream.start();
    idp = startIdp(0);
    idpPort = idp.getAddress().getPort();
  }

  String tokenEndpoint() {
    return "http://127.0.0.1:" + idpPort + "/token";
  }

  /** The configured upstream: reached as localhost, so 127.0.0.1 stays unconfigured. */
  String apiUrl() {
    return "http://localhost:" + upstream.getAddress().getPort() + "/api";
  }

  String apiHostPort() {
    return "localhost:" + upstream.getAddress().getPort();
  }

  synchronized void mode(Mode next) throws IOException {
    if (next == Mode.REFUSE && idp != null) {
      idp.stop(0);
      idp = null;
    } else if (next != Mode.REFUSE && idp == null) {
      idp = startIdp(idpPort);
    }
    mode = next;
  }

  private HttpServer startIdp(int port) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 64);
    server.createContext("/token", this::token);
    server.setExecutor(idpPool);
    server.start();
    return server;
  }

  private void token(HttpExchange exchange) throws IOException {
    tokenRequests.incrementAndGet();
    exchange.getRequestBody().readAllBytes();
    switch (mode) {
      case SERVER_ERROR:
        respond(exchange, 500, "text/html", "<html>internal error</html>");
        return;
      case HANG:
        try {
          Thread.sleep(30_000);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        respond(exchange, 504, "text/plain", "late");
        return;
      case GARBAGE:
        respond(exchange, 200, "application/json", "{\"acc\u0000ess_token\": [1,2,");
        return;
      case INVALID_CLIENT:
        respond(exchange, 401, "application/json", "{\"error\":\"invalid_client\",\"error_description\":\"client disabled\"}");
        return;
      default:
        String token = "load-" + UUID.randomUUID();
        expiries.put(token, System.currentTimeMillis() + expiresIn * 1000);
        respond(exchange, 200, "application/json",
            "{\"access_token\":\"" + token + "\",\"token_type\":\"Bearer\",\"expires_in\":" + expiresIn + "}");
    }
  }

  private void api(HttpExchange exchange) throws IOException {
    upstreamRequests.incrementAndGet();
    String authorization = exchange.getRequestHeaders().getFirst("Authorization");
    if (authorization == null) {
      withoutToken.incrementAndGet();
      respond(exchange, 401, "text/plain", "no token");
      return;
    }
    Long expiry = expiries.get(authorization.substring(authorization.indexOf(' ') + 1));
    if (expiry == null || expiry < System.currentTimeMillis()) {
      invalidToken.incrementAndGet();
      respond(exchange, 401, "text/plain", "invalid or expired token");
      return;
    }
    respond(exchange, 200, "application/json", "{}");
  }

  private static void respond(HttpExchange exchange, int status, String type, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", type);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public synchronized void close() {
    upstream.stop(0);
    if (idp != null) {
      idp.stop(0);
    }
    idpPool.shutdownNow();
  }
}
