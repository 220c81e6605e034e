package io.upstreamoauth.agent.redis;

import io.upstreamoauth.agent.util.AgentLog;
import io.upstreamoauth.agent.util.Clock;

/**
 * Whether Redis is worth asking: after a failure it is left alone for a pause (1 s, doubling to
 * 15 s while it keeps failing), so an outage costs one failed attempt per pause rather than a
 * timeout per token load. Says so once when an outage starts and once when it ends. Thread-safe.
 */
final class RedisHealth {

  static final long FIRST_PAUSE_MILLIS = 1_000;
  static final long MAX_PAUSE_MILLIS = 15_000;

  private final String name;
  private final Clock clock;
  private int failuresInARow; // guarded by this
  private long retryAtMillis; // guarded by this

  RedisHealth(String name, Clock clock) {
    this.name = name;
    this.clock = clock;
  }

  /** Returns true unless Redis failed recently and its pause has not ended. */
  synchronized boolean available() {
    return failuresInARow == 0 || clock.millis() >= retryAtMillis;
  }

  /** Records a failed command; the first of an outage is a warning, later ones are debug. */
  void failed(String what, Throwable error) {
    int count;
    long pause;
    synchronized (this) {
      count = ++failuresInARow;
      pause = FIRST_PAUSE_MILLIS;
      for (int i = 1; i < count && pause < MAX_PAUSE_MILLIS; i++) {
        pause *= 2;
      }
      pause = Math.min(pause, MAX_PAUSE_MILLIS);
      retryAtMillis = clock.millis() + pause;
    }
    String message = "Redis " + name + " failed (" + what + "): " + AgentLog.describe(error);
    if (count == 1) {
      AgentLog.warn(message + "; tokens now come from this JVM's memory and the IdP directly"
          + " until Redis answers again (requests are not affected)");
    } else {
      AgentLog.debug(message + " (" + count + " failures in a row; next try in " + pause + " ms)");
    }
  }

  /** Records a command that worked; ends an outage. */
  void succeeded() {
    boolean recovered;
    synchronized (this) {
      recovered = failuresInARow > 0;
      failuresInARow = 0;
      retryAtMillis = 0;
    }
    if (recovered) {
      AgentLog.info("Redis " + name + " answers again; tokens are shared through it again");
    }
  }

  synchronized boolean isFailing() {
    return failuresInARow > 0;
  }

  @Override
  public String toString() {
    return "RedisHealth{" + name + (isFailing() ? ", failing" : ", ok") + "}";
  }
}
