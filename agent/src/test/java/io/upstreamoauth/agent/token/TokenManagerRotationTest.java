package io.upstreamoauth.agent.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

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
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** TokenManager following changed credentials: the back-off it ends, the refusal it answers. */
class TokenManagerRotationTest {

  private final FakeClock clock = new FakeClock();
  private final MemoryTokenCache cache = new MemoryTokenCache(clock);
  private final TokenManagerTest.ScriptedSource source = new TokenManagerTest.ScriptedSource();
  private final TokenManagerTest.ManualExecutor executor = new TokenManagerTest.ManualExecutor();
  private final FakeWatch watch = new FakeWatch();

  @BeforeEach
  void quietLog() {
    AgentLog.setOutput(new PrintStream(new ByteArrayOutputStream(), true));
    AgentLog.resetLimits();
  }

  @AfterEach
  void restore() {
    AgentLog.setOutput(System.err);
  }

  /** Changed once when told; counts the looks, and the looks made at once. */
  static final class FakeWatch implements CredentialWatch {
    volatile boolean pending;
    /** True: the cheap look's interval has not run out, so only a look made at once sees a change. */
    volatile boolean intervalRunning;
    final AtomicInteger looks = new AtomicInteger();
    final AtomicInteger urgentLooks = new AtomicInteger();

    @Override
    public boolean changed(boolean now) {
      looks.incrementAndGet();
      if (now) {
        urgentLooks.incrementAndGet();
      } else if (intervalRunning) {
        return false;
      }
      boolean was = pending;
      pending = false;
      return was;
    }
  }

  private TokenManager manager() {
    TokenPolicy policy =
        new TokenPolicy(
            new CacheSettings(CacheStrategy.MEMORY, 0, 3600, true, 0.25),
            new RetrySettings(1_000, 60_000, 300_000),
            () -> 0);
    TokenManager manager = new TokenManager("key", "profile 'test'", source, cache, policy, clock, executor, 30_000);
    manager.watchCredentials(watch);
    return manager;
  }

  private static TokenResponse ok(String token) {
    return new TokenResponse(token, "Bearer", 100, TokenResponse.UNKNOWN);
  }

  private static TokenFetchException invalidClient() {
    return new TokenFetchException(
        "invalid_client", TokenFetchException.Kind.CONFIGURATION, 401, "invalid_client", -1, null);
  }

  @Test
  void token_invalidClient_filesUnchanged_backsOffWithoutAskingAgain() throws Exception {
    TokenManager manager = manager();
    source.willThrow(invalidClient());
    assertThat(catchThrowableOfType(TokenFetchException.class, manager::token)).isNotNull();
    assertThat(watch.urgentLooks.get()).as("looked at once after the refusal").isEqualTo(1);
    assertThat(source.calls()).isEqualTo(1);

    clock.advance(60_000);
    assertThat(catchThrowableOfType(TokenFetchException.class, manager::token))
        .as("still backing off: a configuration error waits 300 s")
        .isNotNull();
    assertThat(source.calls()).isEqualTo(1);
  }

  @Test
  void token_invalidClient_fileChangedMeanwhile_asksAgainAtOnceWithTheNewSecret() throws Exception {
    TokenManager manager = manager();
    source.willThrow(invalidClient());
    source.willReturn(ok("with-new-secret"));
    watch.pending = true; // the kubelet swapped the file; the 5 s look has not come yet
    watch.intervalRunning = true;
    assertThat(manager.token().accessToken()).isEqualTo("with-new-secret");
    assertThat(source.calls()).isEqualTo(2);
    assertThat(manager.consecutiveFailures()).isZero();
  }

  @Test
  void token_backingOff_secretFileChanges_backOffEndsAtOnce() throws Exception {
    TokenManager manager = manager();
    source.willThrow(invalidClient());
    assertThat(catchThrowableOfType(TokenFetchException.class, manager::token)).isNotNull();
    assertThat(manager.state()).isEqualTo(TokenManager.State.BACKING_OFF);

    watch.pending = true;
    source.willReturn(ok("with-new-secret"));
    clock.advance(5_000);
    assertThat(manager.token().accessToken()).isEqualTo("with-new-secret");
    assertThat(source.calls()).isEqualTo(2);
    assertThat(manager.backoffEndsAtMillis()).isZero();
  }

  @Test
  void tokenAsync_backingOff_secretFileChanges_startsARequest() throws Exception {
    TokenManager manager = manager();
    source.willThrow(invalidClient());
    assertThat(catchThrowableOfType(TokenFetchException.class, manager::token)).isNotNull();

    watch.pending = true;
    source.willReturn(ok("with-new-secret"));
    java.util.concurrent.CompletableFuture<io.upstreamoauth.agent.cache.CachedToken> future = manager.tokenAsync();
    executor.runAll();
    assertThat(future.get().accessToken()).isEqualTo("with-new-secret");
  }

  @Test
  void cachedToken_servedFromMemory_neverLooksAtTheFiles() throws Exception {
    TokenManager manager = manager();
    source.willReturn(ok("first"));
    manager.token();
    int looks = watch.looks.get();
    watch.pending = true; // rotated: the cached token stays in use until it expires
    for (int i = 0; i < 100; i++) {
      assertThat(manager.cachedToken().accessToken()).isEqualTo("first");
      assertThat(manager.token().accessToken()).isEqualTo("first");
    }
    assertThat(watch.looks.get()).as("the request path does not look").isEqualTo(looks);
    assertThat(source.calls()).isEqualTo(1);
  }

  @Test
  void refresh_looksBeforeEachTokenRequest() throws Exception {
    TokenManager manager = manager();
    source.willReturn(ok("first"), ok("second"));
    manager.token();
    assertThat(watch.looks.get()).isEqualTo(1);
    clock.advance(80_000); // in the refresh window
    assertThat(manager.cachedToken().accessToken()).isEqualTo("first");
    executor.runAll();
    assertThat(watch.looks.get()).isEqualTo(2);
    assertThat(manager.cachedToken().accessToken()).isEqualTo("second");
  }
}
