package io.upstreamoauth.agent.util;

import java.io.PrintStream;
import java.text.SimpleDateFormat;
import java.util.Date;
import java.util.Locale;
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

  /**
   * Logs a warning for {@code key} at most once per {@link #REPEAT_MILLIS}; the next line for the
   * key says how many were held back meanwhile. Keys must be stable (a profile, a hosts entry, a
   * kind of failure: never a message that carries a time, a count or a trace id). At most {@link
   * #MAX_KEYS} keys are remembered; beyond that, warnings with new keys share one limit.
   */
  public static void warnLimited(String key, String message) {
    if (!isEnabled(Level.WARN)) {
      return;
    }
    Limit limit = LIMITS.get(key);
    if (limit == null) {
      if (LIMITS.size() >= MAX_KEYS) {
        key = OVERFLOW_KEY;
      }
      Limit fresh = new Limit();
      limit = LIMITS.putIfAbsent(key, fresh);
      if (limit == null) {
        limit = fresh;
      }
    }
    long held = limit.pass(System.nanoTime());
    if (held >= 0) {
      warn(held == 0 ? message : message + " (" + held + " similar warning" + (held == 1 ? "" : "s") + " held back)");
    }
  }

  /** How often one key may log a warning. */
  static final long REPEAT_MILLIS = 60_000;
  /** How many keys {@link #warnLimited} remembers. */
  static final int MAX_KEYS = 256;

  private static final String OVERFLOW_KEY = "<more keys than remembered>";
  private static final ConcurrentHashMap<String, Limit> LIMITS = new ConcurrentHashMap<String, Limit>();

  /** One key's rate limit: a line at most every REPEAT_MILLIS, counting those held back. */
  private static final class Limit {
    private long lastNanos;
    private boolean logged;
    private long held;

    /** Returns the number held back since the last line if this one may be logged, else -1. */
    synchronized long pass(long nowNanos) {
      if (logged && nowNanos - lastNanos < REPEAT_MILLIS * 1_000_000L) {
        held++;
        return -1;
      }
      long count = held;
      logged = true;
      lastNanos = nowNanos;
      held = 0;
      return count;
    }
  }

  /** Forgets every rate limit; for tests, which must not depend on what an earlier test logged. */
  public static void resetLimits() {
    LIMITS.clear();
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
