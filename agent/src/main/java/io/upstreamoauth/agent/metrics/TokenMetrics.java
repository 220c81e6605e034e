package io.upstreamoauth.agent.metrics;

import io.upstreamoauth.agent.oauth.TokenFetchException;
import java.util.concurrent.atomic.LongAdder;

/**
 * What happened to one token (one set of OAuth settings): token requests, their outcomes, and how
 * the token was served. Striped counters: counting takes no lock and, once a counter's stripes
 * exist, allocates nothing. Profiles that share a token share these counts.
 */
public final class TokenMetrics {

  private final LongAdder requests = new LongAdder();
  private final LongAdder fetched = new LongAdder();
  private final LongAdder failedTransient = new LongAdder();
  private final LongAdder failedConfiguration = new LongAdder();
  private final LongAdder failedTimeout = new LongAdder();
  private final LongAdder failedBadResponse = new LongAdder();
  private final LongAdder refreshAhead = new LongAdder();
  private final LongAdder staleServed = new LongAdder();
  private final LongAdder redisErrors = new LongAdder();
  private final LongAdder leaseWaits = new LongAdder();

  /** A token request went to the IdP. */
  public void requestSent() {
    requests.increment();
  }

  /** The IdP answered a token request with a usable token. */
  public void tokenFetched() {
    fetched.increment();
  }

  /** A token load failed; counted by what went wrong (see {@link Failure#of}). */
  public void failed(TokenFetchException error) {
    switch (Failure.of(error)) {
      case TIMEOUT:
        failedTimeout.increment();
        break;
      case BAD_RESPONSE:
        failedBadResponse.increment();
        break;
      case CONFIGURATION:
        failedConfiguration.increment();
        break;
      default:
        failedTransient.increment();
    }
  }

  /** A refresh of a token still in use started in the background. */
  public void refreshAheadStarted() {
    refreshAhead.increment();
  }

  /** A token whose refresh failed was served (it is still valid; it is never served expired). */
  public void staleServed() {
    staleServed.increment();
  }

  /** A Redis command failed (the token came from memory or the IdP instead). */
  public void redisError() {
    redisErrors.increment();
  }

  /** A load waited for another JVM that held the Redis lease. */
  public void leaseWaited() {
    leaseWaits.increment();
  }

  public long tokenRequests() {
    return requests.sum();
  }

  public long tokensFetched() {
    return fetched.sum();
  }

  public long failures(Failure kind) {
    switch (kind) {
      case TIMEOUT:
        return failedTimeout.sum();
      case BAD_RESPONSE:
        return failedBadResponse.sum();
      case CONFIGURATION:
        return failedConfiguration.sum();
      default:
        return failedTransient.sum();
    }
  }

  public long refreshAheadFetches() {
    return refreshAhead.sum();
  }

  public long staleTokensServed() {
    return staleServed.sum();
  }

  public long redisErrors() {
    return redisErrors.sum();
  }

  public long leaseWaits() {
    return leaseWaits.sum();
  }

  /** The kinds of failed token loads, as counted. */
  public enum Failure {
    /** Network errors, 5xx, 429, {@code temporarily_unavailable}: retrying soon may help. */
    TRANSIENT,
    /** The IdP refused the request as configured (4xx, {@code invalid_client}, TLS set-up). */
    CONFIGURATION,
    /** No answer within {@code timeout}. */
    TIMEOUT,
    /** A 2xx answer that holds no usable token (not JSON, no or bad {@code access_token}). */
    BAD_RESPONSE;

    /** Returns the kind of a failure. */
    public static Failure of(TokenFetchException error) {
      if (error.reason() == TokenFetchException.Reason.TIMEOUT) {
        return TIMEOUT;
      }
      if (error.reason() == TokenFetchException.Reason.BAD_RESPONSE) {
        return BAD_RESPONSE;
      }
      return error.kind() == TokenFetchException.Kind.CONFIGURATION ? CONFIGURATION : TRANSIENT;
    }
  }
}
