package io.upstreamoauth.it.support;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a test app printed: one RESULT line per request, one VIA line per response (the client
 * class that sent it and the protocol it used) and a SUMMARY line. {@link AgentApp#run} has
 * already checked the exit code.
 */
public final class AppRun {

  private static final Pattern SUMMARY = Pattern.compile("SUMMARY ok=(\\d+) other=(\\d+) errors=(\\d+)");

  private final List<String> command;
  private final int exitCode;
  private final String stdout;
  private final String stderr;

  AppRun(List<String> command, int exitCode, String stdout, String stderr) {
    this.command = command;
    this.exitCode = exitCode;
    this.stdout = stdout;
    this.stderr = stderr;
  }

  public int exitCode() {
    return exitCode;
  }

  public String stdout() {
    return stdout;
  }

  public String stderr() {
    return stderr;
  }

  /** Returns the number of requests answered 2xx. */
  public int ok() {
    return summary(1);
  }

  /** Returns the number of requests answered with another status. */
  public int other() {
    return summary(2);
  }

  /** Returns the number of requests that threw. */
  public int errors() {
    return summary(3);
  }

  /** Returns true when the app sent its requests through its async API. */
  public boolean async() {
    return command.contains("--async") || command.contains("-Dapp.async=true");
  }

  /** Returns the VIA lines, without the prefix and index: "&lt;client class&gt; &lt;protocol&gt;". */
  public List<String> via() {
    return lines("VIA ");
  }

  /** Returns the RESULT lines, without the prefix and index: "200 body" or "ERROR type: message". */
  public List<String> results() {
    return lines("RESULT ");
  }

  /** Returns the THROWN lines, without the prefix and index: the class the call or its future failed with. */
  public List<String> thrown() {
    return lines("THROWN ");
  }

  private List<String> lines(String prefix) {
    List<String> lines = new ArrayList<>();
    for (String line : stdout.split("\n")) {
      if (line.startsWith(prefix)) {
        String rest = line.substring(prefix.length());
        lines.add(rest.substring(rest.indexOf(' ') + 1));
      }
    }
    return lines;
  }

  private int summary(int group) {
    Matcher matcher = SUMMARY.matcher(stdout);
    if (!matcher.find()) {
      throw new AssertionError("the app printed no SUMMARY line\n" + this);
    }
    return Integer.parseInt(matcher.group(group));
  }

  @Override
  public String toString() {
    return "exit code "
        + exitCode
        + "\ncommand: "
        + String.join(" ", command)
        + "\n--- stdout ---\n"
        + stdout
        + "--- stderr ---\n"
        + stderr;
  }
}
