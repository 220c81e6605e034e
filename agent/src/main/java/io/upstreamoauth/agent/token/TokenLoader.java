package io.upstreamoauth.agent.token;

import io.upstreamoauth.agent.cache.CachedToken;
import io.upstreamoauth.agent.oauth.TokenFetchException;

/**
 * Where a {@link TokenManager} gets a token when the one in memory is missing or due: straight
 * from the IdP ({@link SourceLoader}, the {@code memory} strategy), or through a cache shared by a
 * fleet that asks the IdP once for all of it (the {@code redis} strategy).
 *
 * <p>The manager calls {@link #load} once at a time per token (its own single-flight), on a
 * request thread or a background refresh thread.
 */
public interface TokenLoader {

  /**
   * Returns a usable token newer than {@code current} where one can be had.
   *
   * @param current the token this JVM holds (possibly due for refresh), or null
   * @throws TokenFetchException when the IdP fails; never for a failure of a shared cache
   */
  CachedToken load(CachedToken current) throws TokenFetchException;

  /**
   * Told after an upstream rejected {@code token} and it left this JVM's memory, so a shared copy
   * can go too. Runs on a request thread: must return at once.
   */
  void rejected(CachedToken token);
}
