package io.upstreamoauth.agent.util;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link Clock} that only moves when a test says so. Wall-clock and monotonic readings advance
 * together. Thread-safe.
 */
public final class FakeClock implements Clock {

  /** 2023-11-14T22:13:20Z: a realistic epoch reading, so code that adds to it cannot overflow. */
  public static final long DEFAULT_START_MILLIS = 1_700_000_000_000L;

  private final AtomicLong millis;
  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

  public FakeClock() {
    this(DEFAULT_START_MILLIS);
  }

  public FakeClock(long startMillis) {
    this.millis = new AtomicLong(startMillis);
  }

  public FakeClock(Instant start) {
    this(start.toEpochMilli());
  }

  @Override
  public long millis() {
    return millis.get();
  }

  @Override
  public long nanos() {
    return nanos.get();
  }

  /** Moves the clock forward; returns the new millis() reading. */
  public long advance(long deltaMillis) {
    if (deltaMillis < 0) {
      throw new IllegalArgumentException("a clock does not go back: " + deltaMillis);
    }
    nanos.addAndGet(deltaMillis * 1_000_000L);
    return millis.addAndGet(deltaMillis);
  }

  /** Moves the clock forward; returns the new millis() reading. */
  public long advance(Duration delta) {
    return advance(delta.toMillis());
  }

  /** Moves the clock forward to {@code epochMillis}, which must not be in its past. */
  public long advanceTo(long epochMillis) {
    return advance(epochMillis - millis());
  }

  public Instant instant() {
    return Instant.ofEpochMilli(millis());
  }

  @Override
  public String toString() {
    return "FakeClock{" + instant() + "}";
  }
}
