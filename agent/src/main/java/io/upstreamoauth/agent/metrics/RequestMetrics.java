package io.upstreamoauth.agent.metrics;

import java.util.concurrent.atomic.LongAdder;

/**
 * What happened to the requests one profile serves. Counted on application threads on every
 * request: striped counters, no lock, no allocation once a counter's stripes exist.
 */
public final class RequestMetrics {

  private final LongAdder withToken = new LongAdder();
  private final LongAdder failed = new LongAdder();
  private final LongAdder withoutToken = new LongAdder();
  private final LongAdder purges = new LongAdder();
  private final LongAdder replays = new LongAdder();

  /** A request was given a token. */
  public void givenToken() {
    withToken.increment();
  }

  /** A request failed because no token could be had ({@code idp-error-action=fail}). */
  public void failedForWantOfToken() {
    failed.increment();
  }

  /** A request went without a token because none could be had ({@code idp-error-action=proceed}). */
  public void sentWithoutToken() {
    withoutToken.increment();
  }

  /** An upstream's answer dropped the token the request carried. */
  public void purged() {
    purges.increment();
  }

  /** A rejected request is sent once more. */
  public void replayed() {
    replays.increment();
  }

  public long withToken() {
    return withToken.sum();
  }

  public long failed() {
    return failed.sum();
  }

  public long withoutToken() {
    return withoutToken.sum();
  }

  public long purges() {
    return purges.sum();
  }

  public long replays() {
    return replays.sum();
  }
}
