package io.upstreamoauth.agent.redis;

import io.upstreamoauth.agent.cache.CachedToken;
import io.upstreamoauth.agent.oauth.TokenFetchException;
import io.upstreamoauth.agent.util.AgentLog;

/**
 * One load through Redis: use the stored token if it will do; else take the lease and fetch, or
 * wait for the JVM that holds it. Every Redis failure becomes {@link RedisFailed}, so that the
 * loader can tell it from an IdP failure, which passes through.
 */
final class RedisLeaseDance {

  /** Polls start fast (a token request often takes tens of ms) and settle at this pause. */
  static final long MAX_POLL_MILLIS = 200;

  /** A Redis command failed; the cause is the client's exception. */
  static final class RedisFailed extends Exception {
    private static final long serialVersionUID = 1L;

    RedisFailed(String what, RuntimeException cause) {
      super(what, cause);
    }
  }

  private final RedisTokenLoader loader;
  private final RedisTokenStore store;
  private final String key;
  private final CachedToken current;
  private CachedToken fetched;

  RedisLeaseDance(RedisTokenLoader loader, CachedToken current) {
    this.loader = loader;
    this.store = loader.store();
    this.key = loader.cacheKey();
    this.current = current;
  }

  /** Returns the token fetched from the IdP by this load, if it got that far, else null. */
  CachedToken fetched() {
    return fetched;
  }

  CachedToken run() throws TokenFetchException, RedisFailed {
    CachedToken shared = read();
    if (acceptable(shared)) {
      loader.countSharedHit();
      return shared;
    }
    // a holder that is alive finishes within the lease; past it, someone keeps failing
    long deadline = loader.clock().millis() + loader.leaseMillis() + MAX_POLL_MILLIS;
    long pause = 10;
    boolean waited = false;
    while (true) {
      String owner;
      try {
        owner = store.tryLease(key, loader.leaseMillis());
      } catch (RuntimeException e) {
        throw new RedisFailed("taking the lease", e);
      }
      if (owner != null) {
        return holdLease(owner);
      }
      if (!waited) {
        waited = true;
        loader.countLeaseWait(); // once per load: another JVM holds the lease, so this one waits
      }
      sleep(pause);
      pause = Math.min(pause * 2, MAX_POLL_MILLIS);
      shared = read();
      if (acceptable(shared)) {
        loader.countSharedHit();
        return shared;
      }
      if (loader.clock().millis() >= deadline) {
        AgentLog.debug("no token appeared in Redis at " + store.tokenKey(key) + " within the lease ("
            + loader.leaseMillis() + " ms); fetching one without it");
        return fetched = loader.idp().load(current);
      }
    }
  }

  private CachedToken holdLease(String owner) throws TokenFetchException, RedisFailed {
    loader.countLease();
    RedisFailed failure = null;
    try {
      // stored by the previous holder between our read and our lease? (the master knows first)
      CachedToken shared = read(true);
      if (acceptable(shared)) {
        loader.countSharedHit();
        return shared;
      }
      fetched = loader.idp().load(current); // an IdP failure passes; the finally frees the lease
      try {
        store.put(key, fetched, loader.clock().millis());
      } catch (RuntimeException e) {
        failure = new RedisFailed("storing the token", e);
      }
    } finally {
      try {
        store.releaseLease(key, owner);
      } catch (RuntimeException e) {
        if (failure == null) {
          failure = new RedisFailed("releasing the lease (it expires by itself)", e);
        }
      }
    }
    if (failure != null) {
      throw failure; // the loader returns the fetched token all the same
    }
    return fetched;
  }

  private CachedToken read() throws RedisFailed {
    return read(false);
  }

  private CachedToken read(boolean fromMaster) throws RedisFailed {
    try {
      return store.get(key, fromMaster);
    } catch (RuntimeException e) {
      throw new RedisFailed("reading the token", e);
    }
  }

  /**
   * A stored token will do if it is usable, was not rejected here, and either is not due yet or
   * is newer than ours (or we have none: a due token still serves while it is refreshed).
   */
  private boolean acceptable(CachedToken shared) {
    long now = loader.clock().millis();
    if (shared == null || !shared.isUsableAt(now) || loader.isRejected(shared)) {
      return false;
    }
    return !shared.isDueAt(now) || current == null || !current.isUsableAt(now) || !shared.sameTokenAs(current);
  }

  private void sleep(long millis) throws TokenFetchException {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TokenFetchException("interrupted while waiting for another JVM's token request",
          TokenFetchException.Kind.TRANSIENT, -1, null, -1, e);
    }
  }
}
