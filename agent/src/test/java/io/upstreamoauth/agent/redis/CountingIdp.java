package io.upstreamoauth.agent.redis;

import io.upstreamoauth.agent.cache.CachedToken;
import io.upstreamoauth.agent.token.TokenLoader;
import java.util.concurrent.atomic.AtomicInteger;

/** An IdP that answers at once with idp-token-1, -2, … valid for a minute, and counts its calls. */
final class CountingIdp implements TokenLoader {

  final AtomicInteger calls = new AtomicInteger();

  @Override
  public CachedToken load(CachedToken current) {
    int n = calls.incrementAndGet();
    long now = System.currentTimeMillis();
    return new CachedToken("idp-token-" + n, "Bearer", now, now + 45_000, now + 60_000);
  }

  @Override
  public void rejected(CachedToken token) {}
}
