package io.upstreamoauth.agent.redis;

/**
 * The fingerprints of the last few tokens an upstream rejected here: until Redis has deleted its
 * copy (asynchronously) or it expires, reading it back must not bring it into use again.
 * Thread-safe.
 */
final class RejectedTokens {

  private static final int SIZE = 8;

  private final String[] fingerprints = new String[SIZE];
  private int next; // guarded by this

  synchronized void add(String fingerprint) {
    fingerprints[next] = fingerprint;
    next = (next + 1) % SIZE;
  }

  synchronized boolean contains(String fingerprint) {
    for (String candidate : fingerprints) {
      if (fingerprint.equals(candidate)) {
        return true;
      }
    }
    return false;
  }
}
