package io.upstreamoauth.agent.token;

import static org.assertj.core.api.Assertions.assertThat;

import io.upstreamoauth.agent.cache.CachedToken;
import io.upstreamoauth.agent.config.CacheSettings;
import io.upstreamoauth.agent.config.CacheStrategy;
import io.upstreamoauth.agent.config.RetrySettings;
import io.upstreamoauth.agent.oauth.TokenFetchException;
import io.upstreamoauth.agent.oauth.TokenResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TokenPolicyTest {

  private static final long T = 1_700_000_000_000L;
  private static final RetrySettings RETRY = new RetrySettings(1_000, 60_000, 60_000);

  /** eagerly-expire 5 s, default-ttl 3600 s, refresh-ahead on, window 0.25 (exact in binary). */
  private static CacheSettings cache(long eagerSeconds, double window) {
    return new CacheSettings(CacheStrategy.MEMORY, eagerSeconds, 3600, true, window);
  }

  private static TokenPolicy policy(double random) {
    return new TokenPolicy(cache(5, 0.25), RETRY, () -> random);
  }

  private static TokenResponse response(long expiresIn, long refreshIn) {
    return new TokenResponse("tok", "Bearer", expiresIn, refreshIn);
  }

  private static TokenFetchException error(TokenFetchException.Kind kind, long retryAfterMillis) {
    return new TokenFetchException("boom", kind, 503, null, retryAfterMillis, null);
  }

  private static TokenFetchException transientError() {
    return error(TokenFetchException.Kind.TRANSIENT, -1);
  }

  private static TokenFetchException configurationError() {
    return error(TokenFetchException.Kind.CONFIGURATION, -1);
  }

  // ---- lifetime and refresh point

  @Test
  void toCachedToken_expiresIn3600_usableIsLifetimeLessEagerMargin() {
    CachedToken token = policy(0).toCachedToken(response(3600, TokenResponse.UNKNOWN), T);
    assertThat(token.accessToken()).isEqualTo("tok");
    assertThat(token.tokenType()).isEqualTo("Bearer");
    assertThat(token.headerValue()).isEqualTo("Bearer tok");
    assertThat(token.obtainedAtMillis()).isEqualTo(T);
    assertThat(token.expiresAtMillis()).isEqualTo(T + 3_595_000);
  }

  @Test
  void toCachedToken_randomZero_refreshesAtTheStartOfTheWindow() {
    CachedToken token = policy(0).toCachedToken(response(3600, TokenResponse.UNKNOWN), T);
    // last quarter of 3 595 000 ms
    assertThat(token.refreshAtMillis()).isEqualTo(T + 2_696_250);
  }

  @Test
  void toCachedToken_randomHalf_refreshesHalfwayIntoTheJitterRange() {
    CachedToken token = policy(0.5).toCachedToken(response(3600, TokenResponse.UNKNOWN), T);
    // window 0.25 * (1 - 0.5 * 0.5) = 0.1875: refresh at 0.8125 of the usable lifetime
    assertThat(token.refreshAtMillis()).isEqualTo(T + 2_920_937);
  }

  @ParameterizedTest
  @ValueSource(doubles = {0, 0.1, 0.25, 0.5, 0.75, 0.9, 0.999999})
  void toCachedToken_anyJitter_refreshPointInTheLaterHalfOfTheWindow(double random) {
    CachedToken token = policy(random).toCachedToken(response(3600, TokenResponse.UNKNOWN), T);
    long usable = 3_595_000;
    assertThat(token.refreshAtMillis() - T).isBetween((long) (usable * 0.75), (long) (usable * 0.875));
    assertThat(token.refreshAtMillis()).isLessThan(token.expiresAtMillis());
  }

  @Test
  void toCachedToken_moreJitter_laterRefresh() {
    long previous = Long.MIN_VALUE;
    for (double random = 0; random < 1; random += 0.125) {
      long refreshAt = policy(random).toCachedToken(response(3600, TokenResponse.UNKNOWN), T).refreshAtMillis();
      assertThat(refreshAt).isGreaterThan(previous);
      previous = refreshAt;
    }
  }

  @ParameterizedTest
  @CsvSource({
    // expires_in, usable ms: the 5 s margin is at most a tenth of the lifetime
    "3600, 3595000",
    "60, 55000",
    "50, 45000",
    "30, 27000",
    "10, 9000",
    "1, 900"
  })
  void toCachedToken_shortLifetime_marginClampedToATenth(long expiresIn, long usable) {
    CachedToken token = policy(0).toCachedToken(response(expiresIn, TokenResponse.UNKNOWN), T);
    assertThat(token.expiresAtMillis()).isEqualTo(T + usable);
  }

  @Test
  void toCachedToken_unknownExpiresIn_usesDefaultTtl() {
    CachedToken token = policy(0).toCachedToken(response(TokenResponse.UNKNOWN, TokenResponse.UNKNOWN), T);
    assertThat(token.expiresAtMillis()).isEqualTo(T + 3_595_000);
    assertThat(token.refreshAtMillis()).isEqualTo(T + 2_696_250);
  }

  @Test
  void toCachedToken_zeroEagerExpiry_usableIsTheWholeLifetime() {
    TokenPolicy policy = new TokenPolicy(cache(0, 0.25), RETRY, () -> 0);
    CachedToken token = policy.toCachedToken(response(100, TokenResponse.UNKNOWN), T);
    assertThat(token.expiresAtMillis()).isEqualTo(T + 100_000);
    assertThat(token.refreshAtMillis()).isEqualTo(T + 75_000);
  }

  @Test
  void toCachedToken_refreshIn_isTheRefreshPointWithoutJitter() {
    CachedToken early = policy(0).toCachedToken(response(3600, 1800), T);
    CachedToken late = policy(0.999).toCachedToken(response(3600, 1800), T);
    assertThat(early.refreshAtMillis()).isEqualTo(T + 1_800_000);
    assertThat(late.refreshAtMillis()).isEqualTo(T + 1_800_000);
    assertThat(early.expiresAtMillis()).isEqualTo(T + 3_595_000);
  }

  @Test
  void toCachedToken_refreshInBeyondUsableLifetime_isClampedToExpiry() {
    CachedToken token = policy(0).toCachedToken(response(3600, 7200), T);
    assertThat(token.refreshAtMillis()).isEqualTo(T + 3_595_000);
    assertThat(token.expiresAtMillis()).isEqualTo(T + 3_595_000);
  }

  @Test
  void toCachedToken_timesCountFromTheRequest_notFromNow() {
    CachedToken token = policy(0).toCachedToken(response(100, TokenResponse.UNKNOWN), 42_000);
    assertThat(token.obtainedAtMillis()).isEqualTo(42_000);
    assertThat(token.expiresAtMillis()).isEqualTo(42_000 + 95_000);
  }

  @Test
  void refreshAhead_followsTheSettings() {
    assertThat(policy(0).refreshAhead()).isTrue();
    assertThat(
            new TokenPolicy(new CacheSettings(CacheStrategy.MEMORY, 5, 3600, false, 0.2), RETRY, () -> 0)
                .refreshAhead())
        .isFalse();
  }

  // ---- back-off

  @Test
  void backoffMillis_transientRandomZero_doublesFromHalfInitialToHalfMax() {
    TokenPolicy policy = policy(0);
    long[] expected = {500, 1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000};
    for (int failures = 1; failures <= expected.length; failures++) {
      assertThat(policy.backoffMillis(transientError(), failures))
          .as("after %d failures", failures)
          .isEqualTo(expected[failures - 1]);
    }
  }

  @Test
  void backoffMillis_transientRandomHalf_isThreeQuartersOfTheStep() {
    assertThat(policy(0.5).backoffMillis(transientError(), 1)).isEqualTo(750);
    assertThat(policy(0.5).backoffMillis(transientError(), 3)).isEqualTo(3_000);
    assertThat(policy(0.5).backoffMillis(transientError(), 20)).isEqualTo(45_000);
  }

  @ParameterizedTest
  @ValueSource(doubles = {0, 0.3, 0.6, 0.999999})
  void backoffMillis_equalJitter_betweenHalfAndFullStep(double random) {
    long backoff = policy(random).backoffMillis(transientError(), 4);
    assertThat(backoff).isBetween(4_000L, 7_999L);
  }

  @Test
  void backoffMillis_configurationError_doublesFromConfigBackoffToTenTimesIt() {
    TokenPolicy policy = policy(0);
    long[] expected = {30_000, 60_000, 120_000, 240_000, 300_000, 300_000};
    for (int failures = 1; failures <= expected.length; failures++) {
      assertThat(policy.backoffMillis(configurationError(), failures))
          .as("after %d failures", failures)
          .isEqualTo(expected[failures - 1]);
    }
  }

  @Test
  void backoffMillis_configurationErrorRandomAlmostOne_neverAboveTenTimesConfigBackoff() {
    assertThat(policy(0.999999).backoffMillis(configurationError(), 50)).isBetween(599_000L, 600_000L);
  }

  @Test
  void backoffMillis_manyFailures_doesNotOverflow() {
    assertThat(policy(0).backoffMillis(transientError(), Integer.MAX_VALUE)).isEqualTo(30_000);
    assertThat(policy(0).backoffMillis(configurationError(), Integer.MAX_VALUE)).isEqualTo(300_000);
  }

  @Test
  void backoffMillis_retryAfterLongerThanBackoff_isHonoured() {
    assertThat(policy(0).backoffMillis(error(TokenFetchException.Kind.TRANSIENT, 7_000), 1)).isEqualTo(7_000);
  }

  @Test
  void backoffMillis_retryAfterShorterThanBackoff_backoffWins() {
    assertThat(policy(0).backoffMillis(error(TokenFetchException.Kind.TRANSIENT, 100), 3)).isEqualTo(2_000);
    assertThat(policy(0).backoffMillis(error(TokenFetchException.Kind.TRANSIENT, 0), 1)).isEqualTo(500);
  }

  @Test
  void backoffMillis_retryAfterOverAnHour_isCappedAtAnHour() {
    assertThat(policy(0).backoffMillis(error(TokenFetchException.Kind.TRANSIENT, 86_400_000), 1))
        .isEqualTo(3_600_000);
  }

  @Test
  void backoffMillis_retryAfterOnConfigurationError_isHonoured() {
    assertThat(policy(0).backoffMillis(error(TokenFetchException.Kind.CONFIGURATION, 90_000), 1)).isEqualTo(90_000);
  }
}
