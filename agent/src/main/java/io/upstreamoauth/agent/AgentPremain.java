package io.upstreamoauth.agent;

import io.upstreamoauth.agent.boot.BootClasses;
import java.io.File;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.instrument.Instrumentation;
import java.util.jar.JarFile;

/**
 * The agent's entry point. It only checks the environment, puts the bootstrap classes where JDK
 * classes can see them, and hands off. It catches everything: a broken agent must never stop the
 * application from starting.
 */
public final class AgentPremain {

  private static final String BOOTSTRAP_JAR = BootClasses.JAR;
  private static final String BRIDGE_CLASS = "io.upstreamoauth.bootstrap.UpstreamOAuth";

  private AgentPremain() {}

  public static void premain(String args, Instrumentation instrumentation) {
    start(args, instrumentation);
  }

  public static void agentmain(String args, Instrumentation instrumentation) {
    start(args, instrumentation);
  }

  private static void start(String args, Instrumentation instrumentation) {
    try {
      if (disabled()) {
        System.err.println(
            "[upstream-oauth-agent] INFO disabled by upstream.oauth.enabled=false");
        return;
      }
      if (alreadyStarted()) {
        System.err.println(
            "[upstream-oauth-agent] WARN the agent is attached twice; the second copy does nothing");
        return;
      }
      putBootstrapClassesInTheBootLoader(instrumentation);
      AgentInstaller.install(args, instrumentation);
    } catch (Throwable t) {
      System.err.println(
          "[upstream-oauth-agent] ERROR the agent could not start and is disabled; the application"
              + " runs without it: "
              + t);
    }
  }

  /**
   * Defines the bootstrap classes in the boot loader without touching the boot class path (JDK
   * 9+), so the JVM keeps class data sharing and prints no warning; appends the nested jar on
   * Java 8 or when the JDK refuses ({@link BootClasses}).
   */
  private static void putBootstrapClassesInTheBootLoader(Instrumentation instrumentation) throws Exception {
    String version = System.getProperty("java.specification.version", "1.8");
    if (!version.startsWith("1.")) {
      try {
        BootClasses.define(instrumentation, BootClasses.read());
        return;
      } catch (Exception | LinkageError e) {
        bootClassesFallback = e;
      }
    }
    instrumentation.appendToBootstrapClassLoaderSearch(new JarFile(extractBootstrapJar()));
  }

  /** Why the bootstrap classes were appended on JDK 9+ instead of defined, or null. */
  static volatile Throwable bootClassesFallback;

  private static boolean disabled() {
    String value = System.getProperty("upstream.oauth.enabled");
    if (value == null) {
      value = System.getenv("UPSTREAM_OAUTH_ENABLED");
    }
    return value != null && value.trim().equalsIgnoreCase("false");
  }

  private static boolean alreadyStarted() {
    try {
      Class.forName(BRIDGE_CLASS, false, null);
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }

  /**
   * Creates a new file that did not exist before (never one someone else created) in the temporary
   * directory. Not File.createTempFile: its SecureRandom costs tens of milliseconds of start-up,
   * and the name need not be unguessable, only new.
   */
  private static File newPrivateFile() throws java.io.IOException {
    java.nio.file.Path dir = java.nio.file.Paths.get(System.getProperty("java.io.tmpdir"));
    long seed = System.nanoTime() ^ System.identityHashCode(dir);
    for (int attempt = 0; ; attempt++) {
      java.nio.file.Path path = dir.resolve("upstream-oauth-bootstrap-" + Long.toHexString(seed + attempt) + ".jar");
      try {
        return java.nio.file.Files.createFile(path).toFile();
      } catch (java.nio.file.FileAlreadyExistsException e) {
        if (attempt > 100) {
          throw e;
        }
      }
    }
  }

  /**
   * Copies the nested bootstrap jar to a file of this JVM's own: a shared, predictable path could
   * be planted by another user, and whatever is on it runs in the bootstrap class loader. The
   * command line ({@code cli.Main}) puts the same file on its class path.
   */
  public static File extractBootstrapJar() throws Exception {
    File file = newPrivateFile();
    file.deleteOnExit();
    try (InputStream in = AgentPremain.class.getResourceAsStream(BOOTSTRAP_JAR);
        OutputStream out = new FileOutputStream(file)) {
      if (in == null) {
        throw new IllegalStateException("the agent jar has no " + BOOTSTRAP_JAR);
      }
      byte[] buffer = new byte[8192];
      int n;
      while ((n = in.read(buffer)) != -1) {
        out.write(buffer, 0, n);
      }
    }
    return file;
  }
}
