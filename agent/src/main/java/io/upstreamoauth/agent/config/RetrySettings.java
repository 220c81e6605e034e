package io.upstreamoauth.agent.config;

/**
 * How token requests are retried after the IdP fails: exponential back-off with jitter, longer
 * for configuration errors, never shorter than a {@code Retry-After}. Immutable.
 */
public final class RetrySettings {

  private final long initialBackoffMillis;
  private final long maxBackoffMillis;
  private final long configErrorBackoffMillis;

  public RetrySettings(long initialBackoffMillis, long maxBackoffMillis, long configErrorBackoffMillis) {
    this.initialBackoffMillis = initialBackoffMillis;
    this.maxBackoffMillis = maxBackoffMillis;
    this.configErrorBackoffMillis = configErrorBackoffMillis;
  }

  /** Returns the pause after the first transient failure. */
  public long initialBackoffMillis() {
    return initialBackoffMillis;
  }

  /** Returns the longest pause between attempts after transient failures. */
  public long maxBackoffMillis() {
    return maxBackoffMillis;
  }

  /** Returns the pause after the IdP rejects the configuration (it doubles, up to ten times). */
  public long configErrorBackoffMillis() {
    return configErrorBackoffMillis;
  }

  @Override
  public String toString() {
    return "RetrySettings{initial="
        + initialBackoffMillis
        + "ms, max="
        + maxBackoffMillis
        + "ms, configError="
        + configErrorBackoffMillis
        + "ms}";
  }
}
