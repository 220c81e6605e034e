package io.upstreamoauth.agent.metrics;

/**
 * One profile's counters and gauges over JMX, as {@code io.upstreamoauth:type=TokenSource,name=<profile>}.
 * Open types only (long, int, String), so any JMX client reads it without the agent's classes.
 * Counters only grow; a profile that shares its token with another (identical OAuth settings)
 * shows the same token counters as that one. docs/metrics.md describes every attribute.
 */
public interface TokenSourceMXBean {

  /** Returns the profile's name. */
  String getProfile();

  // ---- token counters

  /** Returns how many token requests went to the IdP. */
  long getTokenRequests();

  /** Returns how many token requests brought a usable token. */
  long getTokensFetched();

  /** Returns how many token loads failed on a network error, 5xx, 429 or {@code temporarily_unavailable}. */
  long getFetchFailuresTransient();

  /** Returns how many token loads the IdP refused as configured (4xx, {@code invalid_client}, TLS set-up). */
  long getFetchFailuresConfiguration();

  /** Returns how many token loads got no answer within {@code timeout}. */
  long getFetchFailuresTimeout();

  /** Returns how many token loads got a 2xx answer without a usable token. */
  long getFetchFailuresBadResponse();

  /** Returns how many refreshes of a token still in use started in the background. */
  long getRefreshAheadFetches();

  /** Returns how many requests got a still valid token whose refresh had failed. */
  long getStaleTokensServed();

  /** Returns how many Redis commands failed (the {@code redis} strategy). */
  long getRedisErrors();

  /** Returns how many token loads waited for another JVM holding the Redis lease. */
  long getLeaseWaits();

  // ---- request counters

  /** Returns how many requests were given a token. */
  long getRequestsWithToken();

  /** Returns how many requests failed because no token could be had. */
  long getRequestsFailed();

  /** Returns how many requests went without a token ({@code idp-error-action=proceed}). */
  long getRequestsWithoutToken();

  /** Returns how many tokens were dropped after an upstream rejected them. */
  long getPurges();

  /** Returns how many rejected requests were sent once more. */
  long getReplays();

  // ---- gauges

  /** Returns the whole seconds until the token in memory expires; -1 when there is no usable token. */
  long getSecondsUntilExpiry();

  /** Returns the seconds since a token was last had, or -1 if never. */
  long getSecondsSinceLastFetch();

  /** Returns how many token loads failed in a row, up to now. */
  int getConsecutiveFailures();

  /**
   * Returns {@code no token} (none yet, or expired or dropped), {@code valid}, {@code refreshing} or {@code backing off until
   * <ISO-8601 instant>}.
   */
  String getState();

  /** Returns the state as a number for exporters that read numbers only: 0 no token, 1 valid, 2 refreshing, 3 backing off. */
  int getStateCode();
}
