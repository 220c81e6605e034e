package io.upstreamoauth.it.support;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What a test app printed: one RESULT line per request and a SUMMARY line. */
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

  /** Returns the RESULT lines, without the prefix and index: "200 body" or "ERROR type: message". */
  public List<String> results() {
    List<String> results = new ArrayList<>();
    for (String line : stdout.split("\n")) {
      if (line.startsWith("RESULT ")) {
        String rest = line.substring("RESULT ".length());
        results.add(rest.substring(rest.indexOf(' ') + 1));
      }
    }
    return results;
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
