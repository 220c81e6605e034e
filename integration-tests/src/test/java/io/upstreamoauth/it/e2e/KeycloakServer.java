package io.upstreamoauth.it.e2e;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A real Keycloak from the distribution the e2e profile unpacked into target/keycloak, run with
 * {@code bin/kc.sh start-dev} on free ports, owned by this JVM ({@link OwnedProcess}), its output
 * in target/keycloak-run/keycloak.log.
 */
public final class KeycloakServer implements AutoCloseable {

  public static final String ADMIN_USER = "e2e-admin";
  public static final String ADMIN_PASSWORD = "e2e-admin-password";

  // 2 shared cores: the first start-dev of a fresh unpack also re-augments Quarkus (~45 s more)
  private static final Duration START_TIMEOUT = Duration.ofMinutes(5);

  private final Path home =
      Path.of(System.getProperty("keycloak.home", "target/keycloak/keycloak")).toAbsolutePath().normalize();
  private final Path javaHome = Path.of(System.getProperty("keycloak.java.home", System.getProperty("java.home")));
  private final Path workDir = Path.of(System.getProperty("keycloak.work.dir", "target/keycloak-run"));
  private final Path log = workDir.resolve("keycloak.log");
  private final Path pidFile = workDir.resolve("keycloak.pid");
  private final int httpPort = freePort();
  private final int managementPort = freePort();
  private OwnedProcess process;

  /** Starts Keycloak and returns once it reports ready; kills it and throws if it does not. */
  public static KeycloakServer start() throws IOException, InterruptedException {
    KeycloakServer server = new KeycloakServer();
    try {
      server.launch();
      server.awaitReady();
      return server;
    } catch (IOException | InterruptedException | RuntimeException | Error e) {
      server.close();
      throw e;
    }
  }

  /**
   * Returns the base URL for every client. In dev mode Keycloak derives the issuer, and the
   * audiences it accepts in client assertions, from the request's host: all must use one name.
   */
  public String url() {
    return "http://localhost:" + httpPort;
  }

  public Path log() {
    return log;
  }

  private void launch() throws IOException {
    if (!Files.isExecutable(home.resolve("bin/kc.sh"))) {
      throw new IllegalStateException(home + "/bin/kc.sh not found: run with -Pe2e, which unpacks Keycloak");
    }
    Files.createDirectories(workDir);
    ProcessBuilder builder =
        new ProcessBuilder(
            home.resolve("bin/kc.sh").toString(),
            "start-dev",
            "--http-host=127.0.0.1",
            "--http-port=" + httpPort,
            // the management interface (health) defaults to 9000, which another run may hold
            "--http-management-port=" + managementPort,
            "--health-enabled=true",
            // in-memory H2: every run starts from an empty master realm, nothing to clean up
            "--db=dev-mem");
    Map<String, String> env = builder.environment();
    env.keySet().removeIf(name -> name.startsWith("KC_") || name.startsWith("QUARKUS_"));
    env.remove("JAVA_TOOL_OPTIONS");
    env.remove("JAVA_OPTS");
    env.put("JAVA_HOME", javaHome.toString());
    // Keycloak 26 creates a temporary admin in the master realm from these on the first start
    env.put("KC_BOOTSTRAP_ADMIN_USERNAME", ADMIN_USER);
    env.put("KC_BOOTSTRAP_ADMIN_PASSWORD", ADMIN_PASSWORD);
    builder.redirectErrorStream(true).redirectOutput(log.toFile());
    // kc.sh's java child has the home in its command line (-Dkc.home.dir)
    process = new OwnedProcess(builder, pidFile, home.toString());
  }

  private void awaitReady() throws IOException, InterruptedException {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    HttpRequest ready =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + "/health/ready"))
            .timeout(Duration.ofSeconds(5))
            .build();
    long start = System.nanoTime();
    long deadline = start + START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("Keycloak exited with " + process.exitValue() + "; see " + log + "\n" + tail());
      }
      try {
        if (client.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          System.out.printf("Keycloak ready at %s after %d s (JDK %s); log: %s%n",
              url(), Duration.ofNanos(System.nanoTime() - start).toSeconds(), javaHome, log);
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(500);
    }
    throw new IllegalStateException("Keycloak not ready after " + START_TIMEOUT + "; see " + log + "\n" + tail());
  }

  private String tail() throws IOException {
    List<String> lines = Files.readAllLines(log);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
  }

  @Override
  public void close() {
    if (process != null) {
      process.close();
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
