package io.upstreamoauth.agent.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.upstreamoauth.agent.cache.MemoryTokenCache;
import io.upstreamoauth.agent.config.CacheSettings;
import io.upstreamoauth.agent.config.CacheStrategy;
import io.upstreamoauth.agent.config.RetrySettings;
import io.upstreamoauth.agent.metrics.RequestMetrics;
import io.upstreamoauth.agent.metrics.TokenMetrics;
import io.upstreamoauth.agent.metrics.TokenSourceView;
import io.upstreamoauth.agent.oauth.TokenFetchException;
import io.upstreamoauth.agent.oauth.TokenResponse;
import io.upstreamoauth.agent.util.AgentLog;
import io.upstreamoauth.agent.util.FakeClock;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The token side of a profile's MBean: each counter moves at its event and only then, and the
 * gauges read the manager's state, on TokenManagerTest's fake clock, scripted source and
 * hand-run executor (tokens live 100 s, due at 75 s; back-off 500 ms, configuration 30 s).
 */
class TokenManagerMetricsTest {

  private static final long LIFETIME = 100_000;

  private final FakeClock clock = new FakeClock();
  private final TokenManagerTest.ManualExecutor executor = new TokenManagerTest.ManualExecutor();
  private final TokenManagerTest.ScriptedSource source = new TokenManagerTest.ScriptedSource();
  private final TokenMetrics metrics = new TokenMetrics();
  private final TokenManager manager =
      new TokenManager("key", "profile 'test'", source, new MemoryTokenCache(clock), policy(), clock, executor,
          30_000, metrics);
  private final TokenSourceView view = new TokenSourceView("test", new RequestMetrics(), manager);

  @BeforeEach
  void quietLog() {
    AgentLog.setOutput(new PrintStream(new ByteArrayOutputStream(), true));
    AgentLog.resetLimits();
  }

  @AfterEach
  void restore() {
    AgentLog.setOutput(System.err);
  }

  private static TokenPolicy policy() {
    return new TokenPolicy(
        new CacheSettings(CacheStrategy.MEMORY, 0, 3600, true, 0.25), new RetrySettings(1_000, 60_000, 60_000), () -> 0);
  }

  private static TokenResponse ok(String token) {
    return new TokenResponse(token, "Bearer", LIFETIME / 1000, TokenResponse.UNKNOWN);
  }

  private static TokenFetchException failure(TokenFetchException.Kind kind, TokenFetchException.Reason reason) {
    return new TokenFetchException("failed", kind, reason, 503, null, -1, null);
  }

  private void fails() {
    assertThat(catchThrowableOfType(TokenFetchException.class, manager::token)).isNotNull();
  }

  @Test
  void newManager_nothingCounted_noTokenState() {
    assertThat(view.getTokenRequests()).isZero();
    assertThat(view.getTokensFetched()).isZero();
    assertThat(view.getSecondsUntilExpiry()).isEqualTo(-1);
    assertThat(view.getSecondsSinceLastFetch()).isEqualTo(-1);
    assertThat(view.getConsecutiveFailures()).isZero();
    assertThat(view.getState()).isEqualTo("no token");
    assertThat(view.getStateCode()).isZero();
  }

  @Test
  void token_fetched_countsRequestAndToken_gaugesFollowTheClock() throws Exception {
    source.willReturn(ok("t1"));

    manager.token();
    manager.token(); // cached: no request
    clock.advance(10_000);

    assertThat(view.getTokenRequests()).isEqualTo(1);
    assertThat(view.getTokensFetched()).isEqualTo(1);
    assertThat(view.getSecondsUntilExpiry()).isEqualTo(90);
    assertThat(view.getSecondsSinceLastFetch()).isEqualTo(10);
    assertThat(view.getState()).isEqualTo("valid");
    assertThat(view.getStateCode()).isEqualTo(1);
    assertThat(view.getRefreshAheadFetches()).isZero();
    assertThat(view.getStaleTokensServed()).isZero();
  }

  @Test
  void failures_countedByKind_consecutiveFailuresAndBackOffShown() {
    source.willThrow(
        failure(TokenFetchException.Kind.TRANSIENT, TokenFetchException.Reason.OTHER),
        failure(TokenFetchException.Kind.TRANSIENT, TokenFetchException.Reason.TIMEOUT),
        failure(TokenFetchException.Kind.TRANSIENT, TokenFetchException.Reason.BAD_RESPONSE),
        failure(TokenFetchException.Kind.CONFIGURATION, TokenFetchException.Reason.OTHER));

    for (int i = 0; i < 4; i++) {
      fails();
      fails(); // backing off: no token request, nothing counted
      if (i < 3) {
        clock.advance(60_000); // past the back-off; the last one (configuration, 30 s) still runs
      }
    }

    assertThat(view.getTokenRequests()).isEqualTo(4);
    assertThat(view.getTokensFetched()).isZero();
    assertThat(view.getFetchFailuresTransient()).isEqualTo(1);
    assertThat(view.getFetchFailuresTimeout()).isEqualTo(1);
    assertThat(view.getFetchFailuresBadResponse()).isEqualTo(1);
    assertThat(view.getFetchFailuresConfiguration()).isEqualTo(1);
    assertThat(view.getConsecutiveFailures()).isEqualTo(4);
    assertThat(view.getStateCode()).isEqualTo(3);
    assertThat(view.getState()).isEqualTo("backing off until " + Instant.ofEpochMilli(manager.backoffEndsAtMillis()));
    assertThat(manager.backoffEndsAtMillis()).isGreaterThan(clock.millis());
  }

  @Test
  void unexpectedError_countedAsTransient() {
    source.willThrow(new IllegalStateException("bug"));

    fails();

    assertThat(view.getFetchFailuresTransient()).isEqualTo(1);
    assertThat(view.getTokenRequests()).isEqualTo(1);
  }

  @Test
  void refreshAhead_countedWhenStarted_refreshingWhileInFlight() throws Exception {
    source.willReturn(ok("t1"), ok("t2"));
    manager.token();
    clock.advance(80_000); // due

    manager.cachedToken();
    manager.cachedToken(); // one refresh in flight: not another

    assertThat(view.getRefreshAheadFetches()).isEqualTo(1);
    assertThat(view.getState()).isEqualTo("refreshing");
    executor.runAll();
    assertThat(view.getTokensFetched()).isEqualTo(2);
    assertThat(view.getState()).isEqualTo("valid");
    assertThat(view.getSecondsUntilExpiry()).isEqualTo(100);
    assertThat(view.getStaleTokensServed()).isZero();
  }

  @Test
  void refreshFails_eachRequestServedTheOldTokenIsStale_untilANewTokenComes() throws Exception {
    source.willReturn(ok("t1"));
    source.willThrow(failure(TokenFetchException.Kind.TRANSIENT, TokenFetchException.Reason.OTHER));
    source.willReturn(ok("t2"));
    manager.token();
    clock.advance(80_000);
    manager.cachedToken(); // starts the refresh: not stale yet
    executor.runAll(); // which fails

    manager.cachedToken();
    manager.cachedToken();
    manager.cachedToken();

    assertThat(view.getStaleTokensServed()).isEqualTo(3);
    assertThat(view.getConsecutiveFailures()).isEqualTo(1);
    assertThat(view.getSecondsUntilExpiry()).isEqualTo(20);
    clock.advance(1_000); // the back-off is over: the next request refreshes, and it works
    manager.cachedToken();
    executor.runAll();
    manager.cachedToken();
    assertThat(view.getStaleTokensServed()).isEqualTo(4);
    assertThat(view.getRefreshAheadFetches()).isEqualTo(2);
    assertThat(view.getConsecutiveFailures()).isZero();
  }
}
