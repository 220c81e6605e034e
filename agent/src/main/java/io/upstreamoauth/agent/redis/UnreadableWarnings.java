package io.upstreamoauth.agent.redis;

import io.upstreamoauth.agent.util.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Decides when a value in Redis that this JVM cannot use is worth a warning. Such a value (a
 * foreign or poisoned one, one sealed with another key) is read again on every load until a lease
 * holder overwrites it, and someone who keeps writing it must not be able to flood the log: one
 * warning per key and kind of problem, then at most one every {@link #REPEAT_NANOS}, saying how
 * many reads went unreported. Thread-safe.
 */
final class UnreadableWarnings {

  static final long REPEAT_NANOS = TimeUnit.MINUTES.toNanos(10);

  private final Clock clock;
  private final Map<String, Said> said = new HashMap<String, Said>();

  UnreadableWarnings(Clock clock) {
    this.clock = clock;
  }

  /**
   * Records one unusable read and returns what to append to its warning ({@code ""} or a count of
   * the reads not reported), or null when the warning was given recently.
   */
  synchronized String check(String redisKey, String reason) {
    long now = clock.nanos();
    Said last = said.get(redisKey);
    if (last != null && last.reason.equals(reason) && now - last.atNanos < REPEAT_NANOS) {
      last.unreported++;
      return null;
    }
    String note = last != null && last.reason.equals(reason) && last.unreported > 0
        ? " (" + last.unreported + " more reads like it since the last warning)"
        : "";
    said.put(redisKey, new Said(reason, now));
    return note;
  }

  private static final class Said {
    final String reason;
    final long atNanos;
    long unreported;

    Said(String reason, long atNanos) {
      this.reason = reason;
      this.atNanos = atNanos;
    }
  }
}
