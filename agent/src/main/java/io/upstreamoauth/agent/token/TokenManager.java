package io.upstreamoauth.agent.token;

import io.upstreamoauth.agent.cache.CachedToken;
import io.upstreamoauth.agent.cache.TokenCache;
import io.upstreamoauth.agent.metrics.TokenMetrics;
import io.upstreamoauth.agent.oauth.TokenFetchException;
import io.upstreamoauth.agent.util.AgentLog;
import io.upstreamoauth.agent.util.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Keeps one token (one set of OAuth settings) fresh for every request that needs it.
 *
 * <ul>
 *   <li>Single-flight: however many threads miss at once, one token request is made; the others
 *       wait for its result.
 *   <li>Refresh-ahead: a token in its refresh window is still served while one background
 *       request replaces it, so after warm-up no request waits for the IdP.
 *   <li>Serve-stale: a failed refresh keeps the current token in use until it expires, never
 *       after.
 *   <li>Back-off: after a failure the IdP is not asked again before the back-off ends; a request
 *       with no usable token meanwhile fails at once with the last error.
 *   <li>Rotation: credentials read from files are looked at before token requests (see {@link
 *       #watchCredentials}); a change ends a back-off, and a refused client is asked for again
 *       once with them. A cached token is served as before: the request path never looks.
 * </ul>
 */
public final class TokenManager {

  private final String key;
  private final String name;
  private final TokenLoader loader;
  private final TokenCache cache;
  private final TokenPolicy policy;
  private final Clock clock;
  private final Executor refresher;
  private final long waitMillis;
  private final TokenMetrics metrics;
  private volatile CredentialWatch credentials = CredentialWatch.NONE;

  private final Object lock = new Object();
  private CompletableFuture<CachedToken> inflight; // guarded by lock
  private int consecutiveFailures; // guarded by lock
  private long nextAttemptAtMillis; // guarded by lock
  private TokenFetchException lastFailure; // guarded by lock
  private long lastPurgeAtMillis = -1; // guarded by lock
  private int lastPurgeStatus; // guarded by lock
  /** True from a failed token load to the next good one: a due token served meanwhile is stale. */
  private volatile boolean failing;
  private volatile long lastFetchAtMillis = -1;

  private final AtomicLong fetches = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();
  private final AtomicLong purges = new AtomicLong();

  /**
   * A manager that asks the IdP itself: the {@code memory} strategy.
   *
   * @param key the token's key in the memory cache (the normalised OAuth settings; never logged)
   * @param name what to call this token in logs, e.g. the profile and token endpoint
   * @param waitMillis how long a request waits for a token request in flight
   * @param refresher runs background refreshes
   */
  public TokenManager(
      String key,
      String name,
      TokenSource source,
      TokenCache cache,
      TokenPolicy policy,
      Clock clock,
      Executor refresher,
      long waitMillis) {
    this(key, name, source, cache, policy, clock, refresher, waitMillis, new TokenMetrics());
  }

  /** Like the constructor above, counting in {@code metrics}. */
  public TokenManager(
      String key,
      String name,
      TokenSource source,
      TokenCache cache,
      TokenPolicy policy,
      Clock clock,
      Executor refresher,
      long waitMillis,
      TokenMetrics metrics) {
    this(key, name, new SourceLoader(source, policy, clock, metrics), cache, policy, clock, refresher, waitMillis,
        metrics);
  }

  /**
   * A manager whose new tokens come from {@code loader}, e.g. through a cache shared by a fleet.
   *
   * @param cache this JVM's memory: a token in it is served without asking the loader
   */
  public TokenManager(
      String key,
      String name,
      TokenLoader loader,
      TokenCache cache,
      TokenPolicy policy,
      Clock clock,
      Executor refresher,
      long waitMillis) {
    this(key, name, loader, cache, policy, clock, refresher, waitMillis, new TokenMetrics());
  }

  /**
   * Like the constructor above, counting in {@code metrics}, which the loader should count its
   * token requests in too.
   */
  public TokenManager(
      String key,
      String name,
      TokenLoader loader,
      TokenCache cache,
      TokenPolicy policy,
      Clock clock,
      Executor refresher,
      long waitMillis,
      TokenMetrics metrics) {
    this.key = key;
    this.name = name;
    this.loader = loader;
    this.cache = cache;
    this.policy = policy;
    this.clock = clock;
    this.refresher = refresher;
    this.waitMillis = waitMillis;
    this.metrics = metrics;
  }

  /**
   * Follows the client's credentials: before each token request they are looked at (at most as
   * often as the watch allows), at once when the IdP refuses the client, and a change ends a
   * back-off. Set before the first request.
   */
  public void watchCredentials(CredentialWatch watch) {
    this.credentials = watch;
  }

  /**
   * Returns a usable token, requesting one if none is cached.
   *
   * @throws TokenFetchException if no usable token can be had now
   */
  public CachedToken token() throws TokenFetchException {
    CachedToken token = cachedToken();
    return token != null ? token : fetchAndWait(clock.millis());
  }

  /**
   * Returns the cached token if it is usable, starting a background refresh when it is due;
   * null when there is none. Never waits.
   */
  public CachedToken cachedToken() {
    long now = clock.millis();
    CachedToken token = cache.get(key);
    if (token != null && token.isUsableAt(now)) {
      if (token.isDueAt(now)) {
        if (failing) {
          metrics.staleServed(); // its refresh failed; still valid, so still served
        }
        if (policy.refreshAhead()) {
          refreshInBackground(now);
        }
      }
      return token;
    }
    return null;
  }

  /**
   * Returns a future for a usable token without waiting for the IdP: done at once with the cached
   * token, or failed at once while backing off after a failure, or else the token request in
   * flight, started on a background thread if none is. For callers that must never block (I/O
   * threads, event loops, async APIs). The future completes within the token request's bound.
   */
  public CompletableFuture<CachedToken> tokenAsync() {
    return tokenAsync(true);
  }

  /**
   * Like {@link #tokenAsync()}; with {@code mayStart} false, never starts a token request: when
   * none is in flight and nothing is cached, the future fails at once with the last failure. For a
   * call that already waited for one token request (it must not start a loop of them).
   */
  public CompletableFuture<CachedToken> tokenAsync(boolean mayStart) {
    long now = clock.millis();
    final CompletableFuture<CachedToken> flight;
    synchronized (lock) {
      CachedToken token = cache.get(key);
      if (token != null && token.isUsableAt(now)) {
        return CompletableFuture.completedFuture(token);
      }
      if (inflight != null) {
        return inflight;
      }
      if ((lastFailure != null && now < nextAttemptAtMillis && !credentialsChanged()) || !mayStart) {
        CompletableFuture<CachedToken> failed = new CompletableFuture<CachedToken>();
        failed.completeExceptionally(
            lastFailure != null
                ? backedOff(now)
                : new TokenFetchException(
                    "the token for " + name + " was dropped while the request waited for it",
                    TokenFetchException.Kind.TRANSIENT, -1, null, -1, null));
        return failed;
      }
      flight = new CompletableFuture<CachedToken>();
      inflight = flight;
    }
    try {
      refresher.execute(
          new Runnable() {
            @Override
            public void run() {
              TokenManager.this.run(flight);
            }
          });
    } catch (RejectedExecutionException e) {
      synchronized (lock) {
        inflight = null;
      }
      flight.completeExceptionally(
          new TokenFetchException(
              "could not start the token request for " + name + ": no background thread",
              TokenFetchException.Kind.TRANSIENT, -1, null, -1, e));
    }
    return flight;
  }

  private CachedToken fetchAndWait(long now) throws TokenFetchException {
    CompletableFuture<CachedToken> flight;
    boolean owner = false;
    synchronized (lock) {
      CachedToken token = cache.get(key);
      if (token != null && token.isUsableAt(now)) {
        return token;
      }
      if (inflight == null) {
        if (lastFailure != null && now < nextAttemptAtMillis && !credentialsChanged()) {
          throw backedOff(now);
        }
        inflight = new CompletableFuture<CachedToken>();
        owner = true;
      }
      flight = inflight;
    }
    if (owner) {
      run(flight); // on the caller's thread: no hand-off on the path that must wait anyway
    }
    return await(flight);
  }

  private void refreshInBackground(long now) {
    final CompletableFuture<CachedToken> flight;
    synchronized (lock) {
      if (inflight != null || now < nextAttemptAtMillis) {
        return;
      }
      flight = new CompletableFuture<CachedToken>();
      inflight = flight;
    }
    try {
      refresher.execute(
          new Runnable() {
            @Override
            public void run() {
              TokenManager.this.run(flight);
            }
          });
      // counted once accepted: a refresh the executor rejected was never started
      metrics.refreshAheadStarted();
    } catch (RejectedExecutionException e) {
      synchronized (lock) {
        inflight = null;
      }
      flight.cancel(false);
    }
  }

  /**
   * Called under the lock while backing off, on the token-request path only: a credential file
   * that changed ends the back-off at once (the IdP refused the old secret; the new one may do).
   */
  private boolean credentialsChanged() {
    if (!credentials.changed(false)) {
      return false;
    }
    nextAttemptAtMillis = 0;
    AgentLog.info("the credentials of " + name + " changed: the back-off after the last failure ends");
    return true;
  }

  /** Loads one token and publishes the outcome to everyone waiting on {@code flight}. */
  private void run(CompletableFuture<CachedToken> flight) {
    try {
      fetches.incrementAndGet();
      credentials.changed(false); // a rotated file is used from this request on
      CachedToken token = load();
      cache.put(key, token);
      succeeded(token);
      flight.complete(token);
    } catch (TokenFetchException e) {
      failed(e);
      flight.completeExceptionally(e);
    } catch (Throwable e) {
      TokenFetchException wrapped =
          new TokenFetchException(
              "token request for " + name + " failed unexpectedly: " + AgentLog.describe(e),
              TokenFetchException.Kind.TRANSIENT, -1, null, -1, e);
      failed(wrapped);
      flight.completeExceptionally(wrapped);
    } finally {
      synchronized (lock) {
        if (inflight == flight) {
          inflight = null;
        }
      }
    }
  }

  /**
   * Loads a token; when the IdP refuses the client, looks at the credential files at once, and if
   * one changed (the IdP may have been told of the new secret first) asks once more with it.
   */
  private CachedToken load() throws TokenFetchException {
    try {
      return loader.load(cache.get(key));
    } catch (TokenFetchException e) {
      if (!refusesClient(e) || !credentials.changed(true)) {
        throw e;
      }
      AgentLog.info("token request for " + name + " refused the client; asking again with the changed credentials");
      return loader.load(cache.get(key));
    }
  }

  /** RFC 6749 §5.2: the IdP does not accept the client's credentials (or this client). */
  static boolean refusesClient(TokenFetchException e) {
    return e.kind() == TokenFetchException.Kind.CONFIGURATION
        && ("invalid_client".equals(e.errorCode())
            || "unauthorized_client".equals(e.errorCode())
            || (e.errorCode() == null && e.status() == 401));
  }

  private void succeeded(CachedToken token) {
    boolean recovered;
    synchronized (lock) {
      recovered = lastFailure != null;
      consecutiveFailures = 0;
      lastFailure = null;
      nextAttemptAtMillis = 0;
      failing = false;
      lastFetchAtMillis = clock.millis();
    }
    if (recovered) {
      AgentLog.info("token for " + name + " obtained again; the IdP has recovered");
    }
    AgentLog.debug("new token for " + name + ": " + token);
  }

  private void failed(TokenFetchException error) {
    failures.incrementAndGet();
    metrics.failed(error);
    long backoff;
    int count;
    // The back-off runs from when the failure was seen, not from when the request started: a
    // request that timed out after 10 s would otherwise be followed at once by another (a 1 s
    // back-off "ended" 9 s ago), and a Retry-After, which counts from the response, would be
    // cut short by however long the IdP took to answer.
    long now = clock.millis();
    synchronized (lock) {
      count = ++consecutiveFailures;
      backoff = policy.backoffMillis(error, count);
      nextAttemptAtMillis = now + backoff;
      lastFailure = error;
      failing = true;
    }
    CachedToken current = cache.get(key);
    String still =
        current != null && current.isUsableAt(now)
            ? "the current token stays in use for another "
                + (current.expiresAtMillis() - now) / 1000
                + " s"
            : "no usable token";
    AgentLog.warn(
        "token request for "
            + name
            + " failed ("
            + count
            + (count == 1 ? " failure" : " failures in a row")
            + ", "
            + error.kind().name().toLowerCase(java.util.Locale.ROOT)
            + "; "
            + still
            + "; next attempt in "
            + Math.max(0, backoff / 1000)
            + " s): "
            + error.getMessage());
  }

  private TokenFetchException backedOff(long now) {
    TokenFetchException last = lastFailure;
    long waitSeconds = Math.max(1, (nextAttemptAtMillis - now + 999) / 1000);
    return new TokenFetchException(
        last.getMessage() + " (the IdP is not asked again for " + waitSeconds + " s)",
        last.kind(), last.reason(), last.status(), last.errorCode(), last.retryAfterMillis(), last);
  }

  private CachedToken await(CompletableFuture<CachedToken> flight) throws TokenFetchException {
    try {
      return flight.get(waitMillis, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof TokenFetchException) {
        throw (TokenFetchException) e.getCause();
      }
      throw new TokenFetchException(
          "token request for " + name + " failed: " + AgentLog.describe(e.getCause()),
          TokenFetchException.Kind.TRANSIENT, -1, null, -1, e.getCause());
    } catch (TimeoutException e) {
      throw new TokenFetchException(
          "timed out after " + waitMillis + " ms waiting for the token request for " + name,
          TokenFetchException.Kind.TRANSIENT, -1, null, -1, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TokenFetchException(
          "interrupted while waiting for the token request for " + name,
          TokenFetchException.Kind.TRANSIENT, -1, null, -1, e);
    } catch (java.util.concurrent.CancellationException e) {
      throw new TokenFetchException(
          "the token request for " + name + " was cancelled",
          TokenFetchException.Kind.TRANSIENT, -1, null, -1, e);
    }
  }

  /**
   * Drops the cached token if it is the one whose header value an upstream rejected; a token
   * fetched since is kept.
   *
   * @return true if a token was dropped
   */
  public boolean purge(String rejectedHeaderValue) {
    return purge(rejectedHeaderValue, -1, 0);
  }

  /**
   * Drops the cached token if it is the one an upstream rejected with {@code status}, unless it
   * is a token fetched after the last purge, which was for the same status less than {@code
   * minIntervalMillis} ago: a rejection a new token did not cure is not answered with a token
   * request per call (a 401 storm). A token is dropped once however many requests it failed.
   *
   * @return true if a token was dropped
   */
  public boolean purge(String rejectedHeaderValue, int status, long minIntervalMillis) {
    CachedToken current = cache.get(key);
    if (current == null || !current.headerValue().equals(rejectedHeaderValue)) {
      return false;
    }
    long now = clock.millis();
    synchronized (lock) {
      if (lastPurgeAtMillis >= 0
          && status == lastPurgeStatus
          && now - lastPurgeAtMillis < minIntervalMillis
          && current.obtainedAtMillis() >= lastPurgeAtMillis) {
        AgentLog.warnLimited(
            "purge-held:" + name,
            "the upstream rejected the token for " + name + " with HTTP " + status + " again, less than "
                + minIntervalMillis / 1000 + " s after the last purge; the token is kept (purge-min-interval):"
                + " a rejection a new token did not cure is likely not the token's fault");
        return false;
      }
    }
    boolean removed = cache.invalidate(key, current);
    if (removed) {
      synchronized (lock) {
        lastPurgeAtMillis = now;
        lastPurgeStatus = status;
      }
      purges.incrementAndGet();
      loader.rejected(current);
      AgentLog.info(
          "dropped the token for " + name + " (sha256 " + current.fingerprint().substring(0, 12)
              + "…) after the upstream rejected it; the next request gets a new one");
    }
    return removed;
  }

  /** Returns true when the cached token is the one sent as {@code headerValue}. */
  public boolean holds(String headerValue) {
    CachedToken current = cache.get(key);
    return current != null && current.headerValue().equals(headerValue);
  }

  /** Returns the number of token loads: token requests, or reads of a shared cache. */
  public long fetchCount() {
    return fetches.get();
  }

  /** Returns the number of token requests that failed. */
  public long failureCount() {
    return failures.get();
  }

  /** Returns the number of refreshes started in the background. */
  public long backgroundRefreshCount() {
    return metrics.refreshAheadFetches();
  }

  /** Returns the number of tokens dropped after an upstream rejected them. */
  public long purgeCount() {
    return purges.get();
  }

  /** Returns this token's counters. */
  public TokenMetrics metrics() {
    return metrics;
  }

  /** What a token is doing, for metrics; see {@link #state()}. */
  public enum State {
    /** No usable token, none being fetched, not backing off. */
    NO_TOKEN,
    /** A usable token, nothing in flight. */
    VALID,
    /** A token request is in flight (the first, or a refresh). */
    REFRESHING,
    /** A token request failed; the IdP is not asked again before {@link #backoffEndsAtMillis()}. */
    BACKING_OFF
  }

  /** Returns what this token is doing now. Takes the lock: not for the request path. */
  public State state() {
    long now = clock.millis();
    synchronized (lock) {
      if (inflight != null) {
        return State.REFRESHING;
      }
      if (lastFailure != null && now < nextAttemptAtMillis) {
        return State.BACKING_OFF;
      }
    }
    CachedToken token = cache.get(key);
    return token != null && token.isUsableAt(now) ? State.VALID : State.NO_TOKEN;
  }

  /** Returns when the IdP may be asked again after a failure, or 0 when it may be now. */
  public long backoffEndsAtMillis() {
    synchronized (lock) {
      return lastFailure == null ? 0 : nextAttemptAtMillis;
    }
  }

  /** Returns how many token loads failed in a row, up to now. */
  public int consecutiveFailures() {
    synchronized (lock) {
      return consecutiveFailures;
    }
  }

  /** Returns when the last token load succeeded, by this manager's clock, or -1 if none did. */
  public long lastFetchAtMillis() {
    return lastFetchAtMillis;
  }

  /** Returns the token in memory, usable or not, without refreshing it; null if none. */
  public CachedToken currentToken() {
    return cache.get(key);
  }

  /** Returns this manager's clock. */
  public Clock clock() {
    return clock;
  }

  public String name() {
    return name;
  }

  @Override
  public String toString() {
    return "TokenManager{" + name + "}";
  }
}
