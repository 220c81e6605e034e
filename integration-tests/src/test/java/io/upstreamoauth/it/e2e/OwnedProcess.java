package io.upstreamoauth.it.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A server process this JVM owns, with all its children: {@link #close()} kills the tree, a
 * shutdown hook does if the JVM ends first, and a pid file lets the next run kill one that
 * survived a hard kill (SIGKILL, a failsafe timeout) of this JVM.
 */
final class OwnedProcess implements AutoCloseable {

  private final Path pidFile;
  private final Thread shutdownHook = new Thread(this::kill, "owned-process-killer");
  private Process process;

  /**
   * Kills what a previous run left behind, then starts the process.
   *
   * @param marker text the leftover's command line must contain before it is killed: other
   *     worktrees may run the same server, and pids get reused
   */
  OwnedProcess(ProcessBuilder builder, Path pidFile, String marker) throws IOException {
    this.pidFile = pidFile;
    if (Files.exists(pidFile)) {
      ProcessHandle.of(Long.parseLong(Files.readString(pidFile).trim()))
          .filter(p -> p.info().commandLine().map(line -> line.contains(marker)).orElse(false))
          .ifPresent(OwnedProcess::killTree);
      Files.delete(pidFile);
    }
    process = builder.start();
    Files.writeString(pidFile, Long.toString(process.pid()));
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  synchronized boolean isAlive() {
    return process != null && process.isAlive();
  }

  synchronized int exitValue() {
    return process.exitValue();
  }

  @Override
  public void close() {
    kill();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException shuttingDown) {
      // the hook is running or has run
    }
  }

  private synchronized void kill() {
    if (process != null) {
      killTree(process.toHandle());
      process = null;
      try {
        Files.deleteIfExists(pidFile);
      } catch (IOException ignored) {
        // the next run checks the command line before it kills anything
      }
    }
  }

  /** A script that runs java as a child (kc.sh does) leaves it running when only the script dies. */
  private static void killTree(ProcessHandle root) {
    List<ProcessHandle> all = new ArrayList<>(root.descendants().toList());
    all.add(root);
    all.forEach(ProcessHandle::destroy); // SIGTERM: Keycloak shuts down cleanly in well under a second
    for (ProcessHandle p : all) {
      try {
        p.onExit().get(20, TimeUnit.SECONDS);
      } catch (Exception notYet) {
        p.destroyForcibly();
      }
    }
  }
}
