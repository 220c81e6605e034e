package io.upstreamoauth.agent.cache;

/** Where tokens are kept between requests, keyed by the hash of their OAuth settings. */
public interface TokenCache {

  /** Returns the cached token, or null; the caller checks whether it is still usable. */
  CachedToken get(String key);

  /** Stores a token until it expires, replacing any other. */
  void put(String key, CachedToken token);

  /**
   * Removes the entry only if it still holds {@code token}, so that dropping a token an upstream
   * rejected cannot throw away one that another request has just fetched.
   *
   * @return true if the entry was removed
   */
  boolean invalidate(String key, CachedToken token);
}
