package io.upstreamoauth.agent.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.upstreamoauth.agent.cache.CachedToken;
import io.upstreamoauth.agent.cache.MemoryTokenCache;
import io.upstreamoauth.agent.config.CacheSettings;
import io.upstreamoauth.agent.config.CacheStrategy;
import io.upstreamoauth.agent.config.RetrySettings;
import io.upstreamoauth.agent.oauth.TokenFetchException;
import io.upstreamoauth.agent.oauth.TokenResponse;
import io.upstreamoauth.agent.util.AgentLog;
import io.upstreamoauth.agent.util.FakeClock;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * TokenManager on a fake clock, a scripted token source and an executor the test runs by hand.
 *
 * <p>Policy used throughout: tokens live 100 s (expires_in), no eager-expiry margin, refresh
 * window 0.25 with jitter 0, so a token obtained at T is due at T+75 s and expires at T+100 s.
 * Back-off with jitter 0: 500 ms after the first transient failure, 1 s after the second;
 * 30 s after the first configuration error.
 */
class TokenManagerTest {

  private static final String KEY = "cache-key";
  private static final String NAME = "profile 'test'";
  private static final long LIFETIME = 100_000;
  private static final long REFRESH_AT = 75_000;
  private static final long FIRST_TRANSIENT_BACKOFF = 500;
  private static final long FIRST_CONFIG_BACKOFF = 30_000;

  private final FakeClock clock = new FakeClock();
  private final MemoryTokenCache cache = new MemoryTokenCache(clock);
  private final ManualExecutor executor = new ManualExecutor();
  private final ScriptedSource source = new ScriptedSource();
  private final ByteArrayOutputStream log = new ByteArrayOutputStream();
  private ExecutorService threads;

  @BeforeEach
  void quietLog() {
    AgentLog.setOutput(new PrintStream(log, true));
    AgentLog.resetLimits();
  }

  @AfterEach
  void restore() {
    AgentLog.setOutput(System.err);
    if (threads != null) {
      threads.shutdownNow();
    }
  }

  private static TokenPolicy policy(boolean refreshAhead) {
    return new TokenPolicy(
        new CacheSettings(CacheStrategy.MEMORY, 0, 3600, refreshAhead, 0.25),
        new RetrySettings(1_000, 60_000, 60_000),
        () -> 0);
  }

  private TokenManager manager() {
    return manager(true, executor, 30_000);
  }

  private TokenManager manager(boolean refreshAhead, Executor refresher, long waitMillis) {
    return new TokenManager(KEY, NAME, source, cache, policy(refreshAhead), clock, refresher, waitMillis);
  }

  private static TokenResponse ok(String token) {
    return new TokenResponse(token, "Bearer", LIFETIME / 1000, TokenResponse.UNKNOWN);
  }

  private static TokenFetchException transientError(String message) {
    return new TokenFetchException(message, TokenFetchException.Kind.TRANSIENT, 503, "temporarily_unavailable", -1, null);
  }

  private static TokenFetchException transientError(String message, long retryAfterMillis) {
    return new TokenFetchException(
        message, TokenFetchException.Kind.TRANSIENT, 503, "temporarily_unavailable", retryAfterMillis, null);
  }

  private static TokenFetchException configurationError(String message) {
    return new TokenFetchException(message, TokenFetchException.Kind.CONFIGURATION, 401, "invalid_client", -1, null);
  }

  private static TokenFetchException failure(TokenManager manager) {
    TokenFetchException e = catchThrowableOfType(TokenFetchException.class, manager::token);
    assertThat(e).as("token() must fail").isNotNull();
    return e;
  }

  // ---- basics

  @Test
  void token_emptyCache_fetchesOnceAndCaches() throws Exception {
    source.willReturn(ok("t1"));
    TokenManager manager = manager();
    long start = clock.millis();

    CachedToken first = manager.token();
    CachedToken second = manager.token();

    assertThat(first.headerValue()).isEqualTo("Bearer t1");
    assertThat(first.obtainedAtMillis()).isEqualTo(start);
    assertThat(first.refreshAtMillis()).isEqualTo(start + REFRESH_AT);
    assertThat(first.expiresAtMillis()).isEqualTo(start + LIFETIME);
    assertThat(second).isSameAs(first);
    assertThat(cache.get(KEY)).isSameAs(first);
    assertThat(source.calls()).isEqualTo(1);
    assertThat(manager.fetchCount()).isEqualTo(1);
    assertThat(manager.failureCount()).isZero();
    assertThat(executor.pending()).isZero();
  }

  @Test
  void token_tokenAlreadyInSharedCache_noFetch() throws Exception {
    long now = clock.millis();
    CachedToken shared = new CachedToken("shared", "Bearer", now, now + REFRESH_AT, now + LIFETIME);
    cache.put(KEY, shared);
    assertThat(manager().token()).isSameAs(shared);
    assertThat(source.calls()).isZero();
  }

  @Test
  void token_usableAndNotDue_noRefresh() throws Exception {
    source.willReturn(ok("t1"));
    TokenManager manager = manager();
    CachedToken first = manager.token();

    clock.advanceTo(first.refreshAtMillis() - 1);

    assertThat(manager.token()).isSameAs(first);
    assertThat(executor.pending()).isZero();
    assertThat(manager.backgroundRefreshCount()).isZero();
  }

  @Test
  void token_atExpiry_fetchesANewTokenSynchronously() throws Exception {
    source.willReturn(ok("t1"), ok("t2"));
    TokenManager manager = manager(false, executor, 30_000);
    CachedToken first = manager.token();

    clock.advanceTo(first.expiresAtMillis() - 1);
    assertThat(manager.token()).isSameAs(first);

    clock.advance(1);
    CachedToken second = manager.token();
    assertThat(second.accessToken()).isEqualTo("t2");
    assertThat(source.calls()).isEqualTo(2);
    assertThat(executor.pending()).isZero();
  }

  // ---- single-flight

  @Test
  void token_concurrentMisses_fetchOnce() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    source.blockOn(release);
    source.willReturn(ok("t1"));
    TokenManager manager = manager();
    int n = 50;

    List<Future<CachedToken>> results = startAll(n, manager::token);
    source.awaitEntered();
    awaitAllWaiting(n);
    release.countDown();

    List<CachedToken> tokens = new ArrayList<>();
    for (Future<CachedToken> result : results) {
      tokens.add(result.get(30, TimeUnit.SECONDS));
    }
    assertThat(source.calls()).isEqualTo(1);
    assertThat(manager.fetchCount()).isEqualTo(1);
    assertThat(tokens).hasSize(n).allSatisfy(token -> assertThat(token).isSameAs(tokens.get(0)));
    assertThat(tokens.get(0).accessToken()).isEqualTo("t1");
  }

  @Test
  void token_concurrentMissesAndFetchFails_fetchOnceAndAllGetItsError() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    source.blockOn(release);
    TokenFetchException error = transientError("idp down");
    source.willThrow(error);
    TokenManager manager = manager();
    int n = 50;

    List<Future<CachedToken>> results = startAll(n, manager::token);
    source.awaitEntered();
    awaitAllWaiting(n);
    release.countDown();

    for (Future<CachedToken> result : results) {
      Throwable thrown =
          catchThrowableOfType(ExecutionException.class, () -> result.get(30, TimeUnit.SECONDS)).getCause();
      assertThat(thrown).isSameAs(error);
    }
    assertThat(source.calls()).isEqualTo(1);
    assertThat(manager.failureCount()).isEqualTo(1);
  }

  @Test
  void token_waiterLongerThanWaitMillis_timesOutTransient() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    source.blockOn(release);
    source.willReturn(ok("t1"));
    TokenManager manager = manager(true, executor, 50);

    List<Future<CachedToken>> owner = startAll(1, manager::token);
    source.awaitEntered();
    try {
      TokenFetchException e = failure(manager);
      assertThat(e.kind()).isEqualTo(TokenFetchException.Kind.TRANSIENT);
      assertThat(e.getMessage()).isEqualTo("timed out after 50 ms waiting for the token request for " + NAME);
    } finally {
      release.countDown();
    }
    assertThat(owner.get(0).get(30, TimeUnit.SECONDS).accessToken()).isEqualTo("t1");
    assertThat(source.calls()).isEqualTo(1);
  }

  // ---- refresh-ahead

  @Test
  void token_inRefreshWindow_servesCurrentAndRefreshesOnceInBackground() throws Exception {
    source.willReturn(ok("t1"), ok("t2"));
    TokenManager manager = manager();
    CachedToken first = manager.token();

    clock.advanceTo(first.refreshAtMillis());
    for (int i = 0; i < 10; i++) {
      assertThat(manager.token()).isSameAs(first);
    }
    assertThat(executor.pending()).isEqualTo(1);
    assertThat(source.calls()).isEqualTo(1);
    assertThat(manager.backgroundRefreshCount()).isEqualTo(1);

    executor.runAll();

    assertThat(source.calls()).isEqualTo(2);
    CachedToken second = manager.token();
    assertThat(second.accessToken()).isEqualTo("t2");
    assertThat(second.obtainedAtMillis()).isEqualTo(first.refreshAtMillis());
    assertThat(second.expiresAtMillis()).isEqualTo(first.refreshAtMillis() + LIFETIME);
    assertThat(executor.pending()).isZero();
  }

  @Test
  void token_inRefreshWindowManyThreads_oneBackgroundRefresh() throws Exception {
    source.willReturn(ok("t1"), ok("t2"));
    TokenManager manager = manager();
    CachedToken first = manager.token();
    clock.advanceTo(first.refreshAtMillis() + 1);

    List<Future<CachedToken>> results = startAll(50, manager::token);
    for (Future<CachedToken> result : results) {
      assertThat(result.get(30, TimeUnit.SECONDS)).isSameAs(first);
    }
    assertThat(executor.pending()).isEqualTo(1);
    assertThat(manager.backgroundRefreshCount()).isEqualTo(1);
    assertThat(source.calls()).isEqualTo(1);
  }

  @Test
  void token_refreshAheadDisabled_noBackgroundRefreshInWindow() throws Exception {
    source.willReturn(ok("t1"));
    TokenManager manager = manager(false, executor, 30_000);
    CachedToken first = manager.token();

    clock.advanceTo(first.refreshAtMillis() + 1);

    assertThat(manager.token()).isSameAs(first);
    assertThat(executor.pending()).isZero();
    assertThat(manager.backgroundRefreshCount()).isZero();
  }

  @Test
  void token_directExecutor_refreshesInline() throws Exception {
    source.willReturn(ok("t1"), ok("t2"));
    TokenManager manager = manager(true, Runnable::run, 30_000);
    CachedToken first = manager.token();
    clock.advanceTo(first.refreshAtMillis());

    assertThat(manager.token()).isSameAs(first); // the refresh ran, but this call had the old one
    assertThat(manager.token().accessToken()).isEqualTo("t2");
    assertThat(source.calls()).isEqualTo(2);
  }

  @Test
  void token_expiresWhileBackgroundRefreshInFlight_waitsForThatRefresh() throws Exception {
    source.willReturn(ok("t1"), ok("t2"));
    TokenManager manager = manager();
    CachedToken first = manager.token();
    clock.advanceTo(first.refreshAtMillis());
    manager.token(); // queues the refresh
    clock.advanceTo(first.expiresAtMillis());

    List<Future<CachedToken>> waiter = startAll(1, manager::token);
    awaitAllWaiting(1);
    assertThat(source.calls()).isEqualTo(1);
    executor.runAll();

    assertThat(waiter.get(0).get(30, TimeUnit.SECONDS).accessToken()).isEqualTo("t2");
    assertThat(source.calls()).isEqualTo(2);
  }

  @Test
  void token_executorRejects_servesCurrentAndTriesAgainNextRequest() throws Exception {
    source.willReturn(ok("t1"), ok("t2"));
    AtomicInteger rejections = new AtomicInteger(1);
    Executor flaky =
        task -> {
          if (rejections.getAndDecrement() > 0) {
            throw new RejectedExecutionException("full");
          }
          executor.execute(task);
        };
    TokenManager manager = manager(true, flaky, 30_000);
    CachedToken first = manager.token();
    clock.advanceTo(first.refreshAtMillis());

    assertThat(manager.token()).isSameAs(first);
    assertThat(executor.pending()).isZero();
    assertThat(manager.backgroundRefreshCount()).isZero();

    assertThat(manager.token()).isSameAs(first);
    assertThat(executor.pending()).isEqualTo(1);
    assertThat(manager.backgroundRefreshCount()).isEqualTo(1);
    executor.runAll();
    assertThat(manager.token().accessToken()).isEqualTo("t2");
    assertThat(source.calls()).isEqualTo(2);
  }

  @Test
  void token_expiresWhileBackgroundRefreshFails_waiterGetsThatError() throws Exception {
    TokenFetchException error = transientError("refresh failed");
    source.willReturn(ok("t1"));
    source.willThrow(error);
    TokenManager manager = manager();
    CachedToken first = manager.token();
    clock.advanceTo(first.refreshAtMillis());
    manager.token(); // queues the refresh
    clock.advanceTo(first.expiresAtMillis());

    List<Future<CachedToken>> waiter = startAll(1, manager::token);
    awaitAllWaiting(1);
    executor.runAll();

    Throwable thrown =
        catchThrowableOfType(ExecutionException.class, () -> waiter.get(0).get(30, TimeUnit.SECONDS)).getCause();
    assertThat(thrown).isSameAs(error);
    assertThat(source.calls()).isEqualTo(2);
  }

  // ---- serve-stale

  @Test
  void token_backgroundRefreshFails_servesCurrentUntilExpiryNeverAfter() throws Exception {
    source.willReturn(ok("t1"));
    source.willThrow(transientError("refresh failed"), transientError("still down"));
    TokenManager manager = manager();
    CachedToken first = manager.token();
    clock.advanceTo(first.refreshAtMillis());
    manager.token();
    executor.runAll(); // the refresh fails

    assertThat(manager.failureCount()).isEqualTo(1);
    assertThat(manager.token()).isSameAs(first);
    assertThat(executor.pending()).as("no refresh during the back-off").isZero();

    clock.advanceTo(first.expiresAtMillis() - 1);
    assertThat(manager.token()).isSameAs(first);
    assertThat(executor.pending()).as("a new refresh once the back-off is over").isEqualTo(1);
    executor.runAll(); // fails again
    assertThat(manager.token()).isSameAs(first);

    clock.advance(1); // expiresAt: never served from here on
    TokenFetchException e = failure(manager);
    assertThat(e.getMessage()).startsWith("still down");
    assertThat(cache.get(KEY)).isNull();
    assertThat(source.calls()).isEqualTo(3);
  }

  @Test
  void token_refreshFailsAndBackoffOutlastsToken_failsAtExpiryWithoutAskingTheIdp() throws Exception {
    source.willReturn(ok("t1"));
    source.willThrow(transientError("overloaded", 60_000));
    TokenManager manager = manager();
    CachedToken first = manager.token();
    clock.advanceTo(first.refreshAtMillis());
    manager.token();
    executor.runAll(); // fails; Retry-After 60 s, longer than the 25 s the token has left

    clock.advanceTo(first.expiresAtMillis() - 1);
    assertThat(manager.token()).isSameAs(first);
    assertThat(executor.pending()).isZero();

    clock.advance(1);
    TokenFetchException e = failure(manager);
    assertThat(e.getMessage()).isEqualTo("overloaded (the IdP is not asked again for 35 s)");
    assertThat(e.kind()).isEqualTo(TokenFetchException.Kind.TRANSIENT);
    assertThat(source.calls()).isEqualTo(2);
  }

  @Test
  void token_refreshSucceedsAfterFailure_newTokenServedAndStateReset() throws Exception {
    source.willReturn(ok("t1"));
    source.willThrow(transientError("blip"));
    source.willReturn(ok("t2"));
    TokenManager manager = manager();
    CachedToken first = manager.token();
    clock.advanceTo(first.refreshAtMillis());
    manager.token();
    executor.runAll(); // fails
    clock.advance(FIRST_TRANSIENT_BACKOFF);
    manager.token();
    executor.runAll(); // succeeds

    CachedToken second = manager.token();
    assertThat(second.accessToken()).isEqualTo("t2");
    assertThat(log.toString()).contains("obtained again; the IdP has recovered");

    // the failure count was reset: a later failure backs off for the first-failure time again
    source.willThrow(transientError("again"));
    clock.advanceTo(second.expiresAtMillis());
    failure(manager);
    clock.advance(FIRST_TRANSIENT_BACKOFF - 1);
    assertThat(failure(manager).getMessage()).contains("not asked again");
    int calls = source.calls();
    source.willReturn(ok("t3"));
    clock.advance(1);
    assertThat(manager.token().accessToken()).isEqualTo("t3");
    assertThat(source.calls()).isEqualTo(calls + 1);
  }

  // ---- back-off

  @Test
  void token_failureWithoutToken_failsFastWithTheLastErrorUntilBackoffEnds() throws Exception {
    TokenFetchException error = transientError("idp down");
    source.willThrow(error);
    TokenManager manager = manager();

    assertThat(failure(manager)).isSameAs(error);

    TokenFetchException fast = failure(manager);
    assertThat(fast.getMessage()).isEqualTo("idp down (the IdP is not asked again for 1 s)");
    assertThat(fast.kind()).isEqualTo(TokenFetchException.Kind.TRANSIENT);
    assertThat(fast.status()).isEqualTo(503);
    assertThat(fast.errorCode()).isEqualTo("temporarily_unavailable");
    assertThat(fast.getCause()).isSameAs(error);

    clock.advance(FIRST_TRANSIENT_BACKOFF - 1);
    failure(manager);
    assertThat(source.calls()).isEqualTo(1);

    source.willReturn(ok("t1"));
    clock.advance(1);
    assertThat(manager.token().accessToken()).isEqualTo("t1");
    assertThat(source.calls()).isEqualTo(2);
    assertThat(manager.failureCount()).isEqualTo(1);
  }

  @Test
  void token_consecutiveFailures_backoffGrows() throws Exception {
    source.willThrow(transientError("one"), transientError("two"));
    TokenManager manager = manager();

    failure(manager);
    clock.advance(FIRST_TRANSIENT_BACKOFF);
    assertThat(failure(manager).getMessage()).isEqualTo("two");

    clock.advance(999);
    assertThat(failure(manager).getMessage()).isEqualTo("two (the IdP is not asked again for 1 s)");
    assertThat(source.calls()).isEqualTo(2);

    source.willReturn(ok("t1"));
    clock.advance(1);
    assertThat(manager.token().accessToken()).isEqualTo("t1");
    assertThat(manager.failureCount()).isEqualTo(2);
  }

  @Test
  void token_configurationError_backsOffForTheConfigurationBackoff() throws Exception {
    source.willThrow(configurationError("invalid_client: bad secret"));
    TokenManager manager = manager();

    failure(manager);
    clock.advance(FIRST_CONFIG_BACKOFF - 1);
    TokenFetchException fast = failure(manager);
    assertThat(fast.kind()).isEqualTo(TokenFetchException.Kind.CONFIGURATION);
    assertThat(fast.getMessage()).isEqualTo("invalid_client: bad secret (the IdP is not asked again for 1 s)");
    assertThat(source.calls()).isEqualTo(1);

    source.willReturn(ok("t1"));
    clock.advance(1);
    assertThat(manager.token().accessToken()).isEqualTo("t1");
  }

  @Test
  void token_backedOffMessage_roundsTheWaitUp() throws Exception {
    source.willThrow(configurationError("nope"));
    TokenManager manager = manager();
    failure(manager);
    assertThat(failure(manager).getMessage()).isEqualTo("nope (the IdP is not asked again for 30 s)");
    clock.advance(1);
    assertThat(failure(manager).getMessage()).isEqualTo("nope (the IdP is not asked again for 30 s)");
    clock.advance(1_000);
    assertThat(failure(manager).getMessage()).isEqualTo("nope (the IdP is not asked again for 29 s)");
  }

  @Test
  void token_retryAfter_countsFromTheFailureNotFromTheRequestStart() throws Exception {
    // the IdP takes 5 s to answer 503 with Retry-After: 7
    source.advanceClockDuringFetch(clock, 5_000);
    source.willThrow(transientError("busy", 7_000));
    TokenManager manager = manager();

    failure(manager);
    long failedAt = clock.millis();

    clock.advanceTo(failedAt + 6_999);
    assertThat(failure(manager).getMessage()).isEqualTo("busy (the IdP is not asked again for 1 s)");
    assertThat(source.calls()).isEqualTo(1);

    source.advanceClockDuringFetch(clock, 0);
    source.willReturn(ok("t1"));
    clock.advance(1);
    assertThat(manager.token().accessToken()).isEqualTo("t1");
    assertThat(source.calls()).isEqualTo(2);
  }

  @Test
  void token_slowFailure_backoffStillAppliesAfterIt() throws Exception {
    // a request that times out after 10 s must not be followed at once by another one
    source.advanceClockDuringFetch(clock, 10_000);
    source.willThrow(transientError("timed out"));
    TokenManager manager = manager();

    failure(manager);
    assertThat(failure(manager).getMessage()).isEqualTo("timed out (the IdP is not asked again for 1 s)");
    assertThat(source.calls()).isEqualTo(1);
  }

  @Test
  void token_sourceThrowsRuntimeException_isWrappedAsTransientAndBacksOff() throws Exception {
    IllegalStateException bug = new IllegalStateException("boom");
    source.willThrow(bug);
    TokenManager manager = manager();

    TokenFetchException e = failure(manager);
    assertThat(e.kind()).isEqualTo(TokenFetchException.Kind.TRANSIENT);
    assertThat(e.getMessage()).startsWith("token request for " + NAME + " failed unexpectedly: ");
    assertThat(e.getMessage()).contains("boom");
    assertThat(e.getCause()).isSameAs(bug);

    assertThat(failure(manager).getMessage()).endsWith("(the IdP is not asked again for 1 s)");
    assertThat(source.calls()).isEqualTo(1);
  }

  @Test
  void token_unknownLifetimeDpop_defaultTtlAndTypeKept() throws Exception {
    source.willReturn(new TokenResponse("t1", "DPoP", TokenResponse.UNKNOWN, TokenResponse.UNKNOWN));
    CachedToken token = manager().token();
    assertThat(token.headerValue()).isEqualTo("DPoP t1");
    assertThat(token.expiresAtMillis() - token.obtainedAtMillis()).isEqualTo(3_600_000); // default-ttl
  }

  // ---- purge

  @Test
  void purge_currentHeaderValue_dropsTokenAndNextRequestFetches() throws Exception {
    source.willReturn(ok("t1"), ok("t2"));
    TokenManager manager = manager();
    manager.token();

    assertThat(manager.purge("Bearer t1")).isTrue();
    assertThat(cache.get(KEY)).isNull();
    assertThat(manager.purgeCount()).isEqualTo(1);
    assertThat(manager.token().accessToken()).isEqualTo("t2");
    assertThat(source.calls()).isEqualTo(2);
  }

  @Test
  void purge_otherHeaderValue_keepsToken() throws Exception {
    source.willReturn(ok("t1"));
    TokenManager manager = manager();
    CachedToken token = manager.token();

    assertThat(manager.purge("Bearer other")).isFalse();
    assertThat(manager.purge("t1")).isFalse();
    assertThat(manager.purge(null)).isFalse();
    assertThat(manager.token()).isSameAs(token);
    assertThat(manager.purgeCount()).isZero();
  }

  @Test
  void purge_tokenAlreadyReplaced_keepsTheNewOne() throws Exception {
    source.willReturn(ok("t1"), ok("t2"));
    TokenManager manager = manager();
    CachedToken first = manager.token();
    clock.advanceTo(first.refreshAtMillis());
    manager.token();
    executor.runAll();
    CachedToken second = manager.token();

    assertThat(manager.purge("Bearer t1")).isFalse();
    assertThat(manager.token()).isSameAs(second);
    assertThat(source.calls()).isEqualTo(2);
  }

  @Test
  void purge_emptyCache_false() {
    assertThat(manager().purge("Bearer t1")).isFalse();
  }

  @Test
  void purge_twice_secondIsNoOp() throws Exception {
    source.willReturn(ok("t1"));
    TokenManager manager = manager();
    manager.token();
    assertThat(manager.purge("Bearer t1")).isTrue();
    assertThat(manager.purge("Bearer t1")).isFalse();
    assertThat(manager.purgeCount()).isEqualTo(1);
  }

  // ---- purge-min-interval: a 401 storm costs one token request per interval, not one per call

  @Test
  void purge_freshTokenRejectedAgainForTheSameStatusWithinTheInterval_isKept() throws Exception {
    source.willReturn(ok("t1"), ok("t2"), ok("t3"));
    TokenManager manager = manager();
    manager.token();
    assertThat(manager.purge("Bearer t1", 401, 30_000)).isTrue();
    manager.token();
    clock.advance(29_999);

    assertThat(manager.purge("Bearer t2", 401, 30_000)).isFalse();
    assertThat(manager.token().accessToken()).isEqualTo("t2");
    assertThat(source.calls()).isEqualTo(2);
    assertThat(log.toString()).contains("again, less than 30 s after the last purge; the token is kept (purge-min-interval)");
  }

  @Test
  void purge_afterTheInterval_dropsAgain() throws Exception {
    source.willReturn(ok("t1"), ok("t2"), ok("t3"));
    TokenManager manager = manager();
    manager.token();
    manager.purge("Bearer t1", 401, 30_000);
    manager.token();
    clock.advance(30_000);

    assertThat(manager.purge("Bearer t2", 401, 30_000)).isTrue();
    assertThat(manager.token().accessToken()).isEqualTo("t3");
  }

  @Test
  void purge_anotherStatusWithinTheInterval_drops() throws Exception {
    source.willReturn(ok("t1"), ok("t2"), ok("t3"));
    TokenManager manager = manager();
    manager.token();
    manager.purge("Bearer t1", 401, 30_000);
    manager.token();

    assertThat(manager.purge("Bearer t2", 403, 30_000)).isTrue();
  }

  @Test
  void purge_zeroInterval_dropsEveryTime() throws Exception {
    source.willReturn(ok("t1"), ok("t2"), ok("t3"));
    TokenManager manager = manager();
    manager.token();
    manager.purge("Bearer t1", 401, 0);
    manager.token();

    assertThat(manager.purge("Bearer t2", 401, 0)).isTrue();
  }

  @Test
  void purge_aStormOfRejectionsOfOneToken_dropsItOnce() throws Exception {
    source.willReturn(ok("t1"), ok("t2"));
    TokenManager manager = manager();
    manager.token();
    int dropped = 0;
    for (int i = 0; i < 50; i++) {
      dropped += manager.purge("Bearer t1", 401, 30_000) ? 1 : 0;
    }
    assertThat(dropped).isEqualTo(1);
    assertThat(manager.purgeCount()).isEqualTo(1);
  }

  @Test
  void holds_onlyTheCachedValue() throws Exception {
    source.willReturn(ok("t1"));
    TokenManager manager = manager();
    assertThat(manager.holds("Bearer t1")).isFalse();
    manager.token();
    assertThat(manager.holds("Bearer t1")).isTrue();
    assertThat(manager.holds("Bearer t2")).isFalse();
  }

  // ---- the path that never waits: cachedToken and tokenAsync

  @Test
  void cachedToken_nothingCached_nullAndNoTokenRequest() {
    assertThat(manager().cachedToken()).isNull();
    assertThat(source.calls()).isZero();
  }

  @Test
  void tokenAsync_nothingCached_fetchesOnTheRefresher_notOnTheCaller() throws Exception {
    source.willReturn(ok("t1"));
    TokenManager manager = manager();

    java.util.concurrent.CompletableFuture<CachedToken> ready = manager.tokenAsync();

    assertThat(ready).isNotDone();
    assertThat(source.calls()).isZero(); // nothing ran on this thread
    assertThat(manager.tokenAsync()).isSameAs(ready); // single flight
    executor.runAll();
    assertThat(ready.get().accessToken()).isEqualTo("t1");
    assertThat(manager.cachedToken()).isSameAs(ready.get());
    assertThat(source.calls()).isEqualTo(1);
  }

  @Test
  void tokenAsync_cached_doneAtOnce() throws Exception {
    source.willReturn(ok("t1"));
    TokenManager manager = manager();
    CachedToken token = manager.token();

    assertThat(manager.tokenAsync().getNow(null)).isSameAs(token);
  }

  @Test
  void tokenAsync_backingOff_failedAtOnceWithoutATokenRequest() throws Exception {
    source.willThrow(transientError("idp down"));
    TokenManager manager = manager();
    java.util.concurrent.CompletableFuture<CachedToken> first = manager.tokenAsync();
    executor.runAll();
    assertThat(first).isCompletedExceptionally();

    java.util.concurrent.CompletableFuture<CachedToken> second = manager.tokenAsync();

    assertThat(second).isCompletedExceptionally();
    assertThat(executor.pending()).isZero();
    assertThat(source.calls()).isEqualTo(1);
    Throwable cause = catchThrowableOfType(java.util.concurrent.ExecutionException.class, second::get).getCause();
    assertThat(cause).isInstanceOf(TokenFetchException.class).hasMessageContaining("idp down").hasMessageContaining("not asked again");
  }

  @Test
  void tokenAsync_refresherRejects_failsInsteadOfRunningOnTheCaller() {
    TokenManager manager =
        manager(
            true,
            task -> {
              throw new java.util.concurrent.RejectedExecutionException("full");
            },
            1_000);

    java.util.concurrent.CompletableFuture<CachedToken> ready = manager.tokenAsync();

    assertThat(ready).isCompletedExceptionally();
    assertThat(source.calls()).isZero();
  }

  @Test
  void toString_andName_showTheNameOnly() {
    TokenManager manager = manager();
    assertThat(manager.name()).isEqualTo(NAME);
    assertThat(manager.toString()).isEqualTo("TokenManager{" + NAME + "}");
  }

  // ---- helpers

  private <T> List<Future<T>> startAll(int n, Callable<T> task) throws InterruptedException {
    threads = Executors.newFixedThreadPool(n);
    CountDownLatch ready = new CountDownLatch(n);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<T>> results = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      results.add(
          threads.submit(
              () -> {
                callers.add(Thread.currentThread());
                ready.countDown();
                go.await();
                arrived.incrementAndGet();
                return task.call();
              }));
    }
    assertThat(ready.await(30, TimeUnit.SECONDS)).isTrue();
    go.countDown();
    return results;
  }

  private final List<Thread> callers = new CopyOnWriteArrayList<>();
  private final AtomicInteger arrived = new AtomicInteger();

  /**
   * Waits until {@code n} caller threads have entered token() and block in it: the owner on the
   * source's latch, the others on the request in flight (both are timed waits).
   */
  private void awaitAllWaiting(int n) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      int waiting = 0;
      for (Thread thread : callers) {
        if (thread.getState() == Thread.State.TIMED_WAITING) {
          waiting++;
        }
      }
      if (arrived.get() >= n && waiting >= n) {
        return;
      }
      Thread.sleep(5); // polling for a condition, not waiting out a time
    }
    throw new AssertionError("the caller threads did not all block");
  }

  /** Runs tasks only when the test says so. */
  static final class ManualExecutor implements Executor {
    private final Deque<Runnable> tasks = new ArrayDeque<>();

    @Override
    public synchronized void execute(Runnable task) {
      tasks.add(task);
    }

    synchronized int pending() {
      return tasks.size();
    }

    void runAll() {
      Runnable task;
      while ((task = poll()) != null) {
        task.run();
      }
    }

    private synchronized Runnable poll() {
      return tasks.poll();
    }
  }

  /** Answers fetch() with scripted outcomes, in order; can block on a latch and move the clock. */
  static final class ScriptedSource implements TokenSource {
    private final Deque<Object> outcomes = new ArrayDeque<>();
    private final AtomicInteger calls = new AtomicInteger();
    private final CountDownLatch entered = new CountDownLatch(1);
    private volatile CountDownLatch gate;
    private volatile FakeClock clock;
    private volatile long fetchMillis;

    synchronized void willReturn(TokenResponse... responses) {
      outcomes.addAll(List.of(responses));
    }

    synchronized void willThrow(Throwable... errors) {
      outcomes.addAll(List.of(errors));
    }

    void blockOn(CountDownLatch latch) {
      gate = latch;
    }

    void advanceClockDuringFetch(FakeClock fake, long millis) {
      clock = fake;
      fetchMillis = millis;
    }

    int calls() {
      return calls.get();
    }

    void awaitEntered() throws InterruptedException {
      assertThat(entered.await(30, TimeUnit.SECONDS)).as("fetch() was called").isTrue();
    }

    @Override
    public TokenResponse fetch() throws TokenFetchException {
      calls.incrementAndGet();
      entered.countDown();
      CountDownLatch latch = gate;
      if (latch != null) {
        try {
          latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      if (clock != null && fetchMillis > 0) {
        clock.advance(fetchMillis);
      }
      Object outcome;
      synchronized (this) {
        outcome = outcomes.poll();
      }
      if (outcome instanceof TokenResponse) {
        return (TokenResponse) outcome;
      }
      if (outcome instanceof TokenFetchException) {
        throw (TokenFetchException) outcome;
      }
      if (outcome instanceof RuntimeException) {
        throw (RuntimeException) outcome;
      }
      throw new AssertionError("unexpected fetch() number " + calls.get());
    }
  }
}
