package io.upstreamoauth.it.support;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs one of the unchanged test apps in a forked JVM, with the real shaded agent jar attached
 * by {@code -javaagent}, and collects what it printed.
 *
 * <p>A run must end with the exit code the test expects (0 unless it says otherwise): an app that
 * crashed after printing its results fails the test here, whatever the test goes on to check.
 * Checks added with {@link #check} run on every completed run too.
 */
public final class AgentApp {

  private static final long TIMEOUT_SECONDS = 180;

  private final String app;
  private final Map<String, String> properties = new LinkedHashMap<>();
  private final Map<String, String> environment = new LinkedHashMap<>();
  private final List<String> jvmArgs = new ArrayList<>();
  private final List<Consumer<AppRun>> checks = new ArrayList<>();
  private boolean agent = true;
  private String agentArgs;
  private int expectedExitCode;
  private Path javaHome;

  private AgentApp(String app) {
    this.app = app;
  }

  /** Returns a launcher for {@code test-apps/<app>}, e.g. {@code http-url-connection} or {@code okhttp/okhttp-3}. */
  public static AgentApp of(String app) {
    return new AgentApp(app);
  }

  public AgentApp property(String name, Object value) {
    properties.put(name, String.valueOf(value));
    return this;
  }

  /** Sets {@code upstream.oauth.<key>}. */
  public AgentApp oauth(String key, Object value) {
    return property("upstream.oauth." + key, value);
  }

  public AgentApp env(String name, String value) {
    environment.put(name, value);
    return this;
  }

  public AgentApp jvmArg(String arg) {
    jvmArgs.add(arg);
    return this;
  }

  public AgentApp withoutAgent() {
    agent = false;
    return this;
  }

  public AgentApp agentArgs(String args) {
    agentArgs = args;
    return this;
  }

  /** Expects the app to exit with this code instead of 0 (e.g. an app that must refuse to start). */
  public AgentApp expectExitCode(int code) {
    expectedExitCode = code;
    return this;
  }

  /** Runs the app on this JDK instead of {@link Paths#javaHome()}. */
  public AgentApp javaHome(Path home) {
    javaHome = home;
    return this;
  }

  /** Adds a check that every completed run of this app must pass (after its exit code). */
  public AgentApp check(Consumer<AppRun> check) {
    checks.add(check);
    return this;
  }

  /** Runs the app with the driver arguments and waits for it to exit. */
  public AppRun run(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add((javaHome != null ? javaHome : Paths.javaHome()).resolve("bin").resolve("java").toString());
    command.add("-Xshare:auto");
    // these JVMs live a few seconds and the tests check behaviour, not speed: the C1 compiler
    // alone starts an app with the agent and a library client in about 60% of the CPU time
    command.add("-XX:TieredStopAtLevel=1");
    if (agent) {
      command.add("-javaagent:" + Paths.agentJar() + (agentArgs == null ? "" : "=" + agentArgs));
    }
    command.addAll(jvmArgs);
    properties.forEach((name, value) -> command.add("-D" + name + "=" + value));
    command.add("-jar");
    command.add(Paths.appJar(app).toString());
    for (String arg : args) {
      command.add(arg);
    }
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().keySet().removeIf(name -> name.startsWith("UPSTREAM_OAUTH_"));
    builder.environment().remove("JAVA_TOOL_OPTIONS");
    builder.environment().putAll(environment);
    Path out = Files.createTempFile("app-out", ".txt");
    Path err = Files.createTempFile("app-err", ".txt");
    builder.redirectOutput(out.toFile());
    builder.redirectError(err.toFile());
    Process process = builder.start();
    boolean exited = process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    if (!exited) {
      process.destroyForcibly().waitFor();
    }
    String stdout = Files.readString(out, StandardCharsets.UTF_8);
    String stderr = Files.readString(err, StandardCharsets.UTF_8);
    Files.deleteIfExists(out);
    Files.deleteIfExists(err);
    AppRun run = new AppRun(command, exited ? process.exitValue() : -1, stdout, stderr);
    if (!exited) {
      throw new AssertionError("app did not exit within " + TIMEOUT_SECONDS + " s\n" + run);
    }
    if (run.exitCode() != expectedExitCode) {
      throw new AssertionError("app exited with " + run.exitCode() + ", expected " + expectedExitCode + "\n" + run);
    }
    for (Consumer<AppRun> check : checks) {
      check.accept(run);
    }
    return run;
  }

  /** Where the jars are. */
  public static final class Paths {
    private Paths() {}

    public static Path agentJar() {
      return existing(System.getProperty("agent.jar", "../agent/target/upstream-oauth-agent.jar"));
    }

    /**
     * Returns the runnable jar of {@code test-apps/<app>}; a versioned app such as
     * {@code okhttp/okhttp-3} is the module {@code test-apps/okhttp/okhttp-3}, which builds
     * {@code test-app-okhttp-3.jar}.
     */
    public static Path appJar(String app) {
      String dir = System.getProperty("apps.dir", "../test-apps");
      String jar = "test-app-" + app.substring(app.lastIndexOf('/') + 1) + ".jar";
      return existing(dir + File.separator + app + "/target/" + jar);
    }

    public static Path javaHome() {
      String home = System.getProperty("it.java.home");
      return Path.of(home == null || home.isEmpty() ? System.getProperty("java.home") : home);
    }

    private static Path existing(String path) {
      Path resolved = Path.of(path).toAbsolutePath().normalize();
      if (!Files.exists(resolved)) {
        throw new IllegalStateException(resolved + " does not exist; run mvn package first");
      }
      return resolved;
    }
  }
}
