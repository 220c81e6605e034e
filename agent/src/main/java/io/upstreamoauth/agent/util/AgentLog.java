package io.upstreamoauth.agent.util;

import java.io.PrintStream;
import java.text.SimpleDateFormat;
import java.util.Date;
import java.util.Locale;
import java.util.Set;
import java.util.TimeZone;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The agent's own log: one line per event on standard error, behind a prefix that says who speaks.
 *
 * <p>Deliberately not a logging framework: the agent must not pick up, configure or collide with
 * the application's. Callers never pass secrets; values that might hold one go through {@link
 * Secrets} first.
 */
public final class AgentLog {

  /** Severity, most severe first. */
  public enum Level {
    OFF,
    ERROR,
    WARN,
    INFO,
    DEBUG;

    /** Parses a level name, case-insensitively; returns null if unknown. */
    public static Level parse(String name) {
      for (Level level : values()) {
        if (level.name().equalsIgnoreCase(name.trim())) {
          return level;
        }
      }
      return null;
    }
  }

  static final String PREFIX = "[upstream-oauth-agent] ";

  private static volatile Level threshold = Level.INFO;
  private static volatile PrintStream out = System.err;
  private static final Set<String> ONCE = ConcurrentHashMap.newKeySet();

  private AgentLog() {}

  public static void setLevel(Level level) {
    threshold = level;
  }

  /** Redirects output; for tests. */
  public static void setOutput(PrintStream stream) {
    out = stream;
  }

  public static boolean isEnabled(Level level) {
    return level != Level.OFF && level.ordinal() <= threshold.ordinal();
  }

  public static void error(String message) {
    log(Level.ERROR, message, null);
  }

  public static void error(String message, Throwable error) {
    log(Level.ERROR, message, error);
  }

  public static void warn(String message) {
    log(Level.WARN, message, null);
  }

  public static void info(String message) {
    log(Level.INFO, message, null);
  }

  public static void debug(String message) {
    log(Level.DEBUG, message, null);
  }

  /** Logs a warning the first time {@code key} is seen, and never again in this JVM. */
  public static void warnOnce(String key, String message) {
    if (ONCE.add(key)) {
      warn(message);
    }
  }

  /** Logs at debug level the first time {@code key} is seen. */
  public static void debugOnce(String key, String message) {
    if (isEnabled(Level.DEBUG) && ONCE.add(key)) {
      debug(message);
    }
  }

  private static void log(Level level, String message, Throwable error) {
    if (!isEnabled(level)) {
      return;
    }
    StringBuilder line = new StringBuilder(96 + message.length());
    line.append(PREFIX).append(timestamp()).append(' ').append(level.name()).append(' ');
    line.append(message);
    if (error != null) {
      // the exception's class and message only: our own messages never carry secrets, and a
      // full trace at ERROR would flood the application's log for a failure it cannot fix
      line.append(": ").append(describe(error));
    }
    PrintStream stream = out;
    stream.println(line);
    if (error != null && isEnabled(Level.DEBUG)) {
      error.printStackTrace(stream);
    }
  }

  /** Returns "SimpleName: message" for an exception, following causes a few levels. */
  public static String describe(Throwable error) {
    StringBuilder text = new StringBuilder();
    Throwable current = error;
    for (int depth = 0; current != null && depth < 4; depth++) {
      if (depth > 0) {
        text.append(" <- ");
      }
      text.append(current.getClass().getSimpleName());
      if (current.getMessage() != null) {
        text.append(": ").append(current.getMessage());
      }
      if (current.getCause() == current) {
        break;
      }
      current = current.getCause();
    }
    return text.toString();
  }

  private static String timestamp() {
    SimpleDateFormat format = new SimpleDateFormat("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT);
    format.setTimeZone(TimeZone.getTimeZone("UTC"));
    return format.format(new Date());
  }
}
