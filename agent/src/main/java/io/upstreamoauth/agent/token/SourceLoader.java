package io.upstreamoauth.agent.token;

import io.upstreamoauth.agent.cache.CachedToken;
import io.upstreamoauth.agent.metrics.TokenMetrics;
import io.upstreamoauth.agent.oauth.TokenFetchException;
import io.upstreamoauth.agent.util.Clock;

/** Loads every token from its {@link TokenSource}: one call is one token request to the IdP. */
public final class SourceLoader implements TokenLoader {

  private final TokenSource source;
  private final TokenPolicy policy;
  private final Clock clock;
  private final TokenMetrics metrics;

  public SourceLoader(TokenSource source, TokenPolicy policy, Clock clock) {
    this(source, policy, clock, new TokenMetrics());
  }

  /** @param metrics counts each token request and each token it brought */
  public SourceLoader(TokenSource source, TokenPolicy policy, Clock clock, TokenMetrics metrics) {
    if (source == null || policy == null || clock == null) {
      throw new NullPointerException(
          "source, policy and clock are required, were " + source + ", " + policy + ", " + clock);
    }
    this.source = source;
    this.policy = policy;
    this.clock = clock;
    this.metrics = metrics;
  }

  @Override
  public CachedToken load(CachedToken current) throws TokenFetchException {
    long started = clock.millis(); // the IdP's clock for expires_in started no earlier
    metrics.requestSent();
    CachedToken token = policy.toCachedToken(source.fetch(), started);
    metrics.tokenFetched();
    return token;
  }

  @Override
  public void rejected(CachedToken token) {
    // nothing is shared: the manager has dropped it from memory already
  }

  @Override
  public String toString() {
    return "SourceLoader{" + source + "}";
  }
}
