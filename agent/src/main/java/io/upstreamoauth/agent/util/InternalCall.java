package io.upstreamoauth.agent.util;

/**
 * Marks the agent's own HTTP calls (token requests) on the current thread, so the
 * instrumentation leaves them alone: a token request must never wait for a token.
 */
public final class InternalCall {

  private static final ThreadLocal<Boolean> ACTIVE = new ThreadLocal<Boolean>();

  private InternalCall() {}

  /** Returns true while the current thread is making one of the agent's own calls. */
  public static boolean isActive() {
    return ACTIVE.get() != null;
  }

  /** Marks the start of an internal call; returns whether one was already active. */
  public static boolean enter() {
    boolean wasActive = isActive();
    ACTIVE.set(Boolean.TRUE);
    return wasActive;
  }

  /** Ends an internal call started by {@link #enter()}. */
  public static void exit(boolean wasActive) {
    if (!wasActive) {
      ACTIVE.remove();
    }
  }
}
