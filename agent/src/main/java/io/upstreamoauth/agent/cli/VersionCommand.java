package io.upstreamoauth.agent.cli;

import io.upstreamoauth.agent.util.AgentVersion;
import java.io.PrintStream;

/** {@code version}: what is running, for bug reports. */
final class VersionCommand {

  private VersionCommand() {}

  static void print(PrintStream out) {
    out.println("upstream-oauth-agent " + AgentVersion.agent());
    out.println("Byte Buddy " + AgentVersion.byteBuddy());
    out.println(
        "Java "
            + System.getProperty("java.version")
            + " ("
            + System.getProperty("java.vm.name")
            + ", "
            + System.getProperty("java.vendor")
            + ")");
  }
}
