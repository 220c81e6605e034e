package io.upstreamoauth.agent.util;

/**
 * The agent's source of time, injected so that expiry and back-off tests advance a fake clock
 * instead of sleeping.
 */
public interface Clock {

  /** Returns wall-clock milliseconds since the epoch; token expiry is shared across JVMs in it. */
  long millis();

  /** Returns a monotonic nanosecond reading for measuring elapsed time within this JVM. */
  long nanos();

  /** The system clock. */
  Clock SYSTEM =
      new Clock() {
        @Override
        public long millis() {
          return System.currentTimeMillis();
        }

        @Override
        public long nanos() {
          return System.nanoTime();
        }

        @Override
        public String toString() {
          return "Clock.SYSTEM";
        }
      };
}
