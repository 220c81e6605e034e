package io.upstreamoauth.agent.metrics;

import io.upstreamoauth.agent.cache.CachedToken;
import io.upstreamoauth.agent.token.TokenManager;

/** A profile's {@link TokenSourceMXBean}: reads its request counters and its token's manager. */
public final class TokenSourceView implements TokenSourceMXBean {

  private final String profile;
  private final RequestMetrics requests;
  private final TokenManager tokens;
  private final TokenMetrics counts;

  public TokenSourceView(String profile, RequestMetrics requests, TokenManager tokens) {
    this.profile = profile;
    this.requests = requests;
    this.tokens = tokens;
    this.counts = tokens.metrics();
  }

  @Override
  public String getProfile() {
    return profile;
  }

  @Override
  public long getTokenRequests() {
    return counts.tokenRequests();
  }

  @Override
  public long getTokensFetched() {
    return counts.tokensFetched();
  }

  @Override
  public long getFetchFailuresTransient() {
    return counts.failures(TokenMetrics.Failure.TRANSIENT);
  }

  @Override
  public long getFetchFailuresConfiguration() {
    return counts.failures(TokenMetrics.Failure.CONFIGURATION);
  }

  @Override
  public long getFetchFailuresTimeout() {
    return counts.failures(TokenMetrics.Failure.TIMEOUT);
  }

  @Override
  public long getFetchFailuresBadResponse() {
    return counts.failures(TokenMetrics.Failure.BAD_RESPONSE);
  }

  @Override
  public long getRefreshAheadFetches() {
    return counts.refreshAheadFetches();
  }

  @Override
  public long getStaleTokensServed() {
    return counts.staleTokensServed();
  }

  @Override
  public long getRedisErrors() {
    return counts.redisErrors();
  }

  @Override
  public long getLeaseWaits() {
    return counts.leaseWaits();
  }

  @Override
  public long getRequestsWithToken() {
    return requests.withToken();
  }

  @Override
  public long getRequestsFailed() {
    return requests.failed();
  }

  @Override
  public long getRequestsWithoutToken() {
    return requests.withoutToken();
  }

  @Override
  public long getPurges() {
    return requests.purges();
  }

  @Override
  public long getReplays() {
    return requests.replays();
  }

  @Override
  public long getSecondsUntilExpiry() {
    CachedToken token = tokens.currentToken();
    long now = tokens.clock().millis();
    return token == null || !token.isUsableAt(now) ? -1 : (token.expiresAtMillis() - now) / 1000;
  }

  @Override
  public long getSecondsSinceLastFetch() {
    long at = tokens.lastFetchAtMillis();
    return at < 0 ? -1 : Math.max(0, (tokens.clock().millis() - at) / 1000);
  }

  @Override
  public int getConsecutiveFailures() {
    return tokens.consecutiveFailures();
  }

  @Override
  public String getState() {
    TokenManager.State state = tokens.state();
    switch (state) {
      case VALID:
        return "valid";
      case REFRESHING:
        return "refreshing";
      case BACKING_OFF:
        // java.time is Java 8; the instant, not a duration, so the text stays true while it is read
        return "backing off until " + java.time.Instant.ofEpochMilli(tokens.backoffEndsAtMillis());
      default:
        return "no token";
    }
  }

  @Override
  public int getStateCode() {
    return tokens.state().ordinal();
  }
}
