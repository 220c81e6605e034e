package io.upstreamoauth.agent.token;

import io.upstreamoauth.agent.cache.CachedToken;
import io.upstreamoauth.agent.config.CacheSettings;
import io.upstreamoauth.agent.config.RetrySettings;
import io.upstreamoauth.agent.oauth.TokenFetchException;
import io.upstreamoauth.agent.oauth.TokenResponse;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * The arithmetic of a token's life: when it stops being used, when it is refreshed, and how long
 * to wait after the IdP fails.
 */
public final class TokenPolicy {

  /** The eager-expiry margin never takes more than this share of a token's lifetime. */
  static final double MAX_MARGIN_SHARE = 0.1;
  /** Refresh points are spread over the later half of the refresh window. */
  static final double REFRESH_JITTER = 0.5;
  /** Configuration-error back-off doubles up to this many times its initial value. */
  static final long CONFIG_ERROR_GROWTH = 10;
  /** A Retry-After is honoured up to this long. */
  static final long MAX_RETRY_AFTER_MILLIS = 3_600_000;

  private final CacheSettings cache;
  private final RetrySettings retry;
  private final DoubleSupplier random;

  public TokenPolicy(CacheSettings cache, RetrySettings retry) {
    this(
        cache,
        retry,
        new DoubleSupplier() {
          @Override
          public double getAsDouble() {
            return ThreadLocalRandom.current().nextDouble();
          }
        });
  }

  /**
   * @param random a source of uniform values in [0, 1) for jitter; tests pass a fixed one
   */
  public TokenPolicy(CacheSettings cache, RetrySettings retry, DoubleSupplier random) {
    this.cache = cache;
    this.retry = retry;
    this.random = random;
  }

  public boolean refreshAhead() {
    return cache.refreshAhead();
  }

  /**
   * Turns a response into a cached token.
   *
   * <p>Usable lifetime = {@code expires_in} (or {@code cache.default-ttl}) less {@code
   * cache.eagerly-expire}, where the margin is clamped to a tenth of the lifetime so a short-lived
   * token is not refetched on every call. The refresh point falls in the last {@code
   * cache.refresh-ahead-window} of the usable lifetime, jittered so a fleet does not refresh in
   * step, or at {@code refresh_in} when the IdP sends it.
   *
   * @param requestedAtMillis when the token request was sent: the IdP's clock started no earlier
   */
  public CachedToken toCachedToken(TokenResponse response, long requestedAtMillis) {
    long lifetime =
        response.expiresInSeconds() > 0
            ? response.expiresInSeconds() * 1000
            : cache.defaultTtlSeconds() * 1000;
    long margin = Math.min(cache.eagerlyExpireSeconds() * 1000, (long) (lifetime * MAX_MARGIN_SHARE));
    long usable = lifetime - margin;
    long refreshIn;
    if (response.refreshInSeconds() > 0) {
      refreshIn = Math.min(response.refreshInSeconds() * 1000, usable);
    } else {
      double window = cache.refreshAheadWindow() * (1 - REFRESH_JITTER * random.getAsDouble());
      refreshIn = (long) (usable * (1 - window));
    }
    return new CachedToken(
        response.accessToken(),
        response.tokenType(),
        requestedAtMillis,
        requestedAtMillis + refreshIn,
        requestedAtMillis + usable);
  }

  /**
   * Returns how long to wait before the next token request after {@code failures} consecutive
   * failures, the last being {@code error}: exponential with equal jitter, from {@code
   * idp-retry.initial-backoff} to {@code idp-retry.max-backoff} for transient errors, from {@code
   * idp-retry.config-error-backoff} to ten times that for configuration errors, and never less
   * than the IdP's Retry-After.
   */
  public long backoffMillis(TokenFetchException error, int failures) {
    boolean configuration = error.kind() == TokenFetchException.Kind.CONFIGURATION;
    long base = configuration ? retry.configErrorBackoffMillis() : retry.initialBackoffMillis();
    long max =
        configuration
            ? retry.configErrorBackoffMillis() * CONFIG_ERROR_GROWTH
            : retry.maxBackoffMillis();
    long exponential = base;
    for (int i = 1; i < failures && exponential < max; i++) {
      exponential *= 2;
    }
    exponential = Math.min(exponential, max);
    long jittered = exponential / 2 + (long) (exponential / 2.0 * random.getAsDouble());
    if (error.retryAfterMillis() >= 0) {
      jittered = Math.max(jittered, Math.min(error.retryAfterMillis(), MAX_RETRY_AFTER_MILLIS));
    }
    return jittered;
  }
}
