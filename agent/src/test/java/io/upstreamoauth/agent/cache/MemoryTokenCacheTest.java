package io.upstreamoauth.agent.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.upstreamoauth.agent.util.FakeClock;
import org.junit.jupiter.api.Test;

class MemoryTokenCacheTest {

  private final FakeClock clock = new FakeClock();
  private final MemoryTokenCache cache = new MemoryTokenCache(clock);

  private CachedToken token(String value, long lifetimeMillis) {
    long now = clock.millis();
    return new CachedToken(value, "Bearer", now, now + lifetimeMillis / 2, now + lifetimeMillis);
  }

  @Test
  void get_unknownKey_null() {
    assertThat(cache.get("k")).isNull();
  }

  @Test
  void put_thenGet_returnsTheToken() {
    CachedToken token = token("t1", 60_000);
    cache.put("k", token);
    assertThat(cache.get("k")).isSameAs(token);
  }

  @Test
  void get_keysAreIndependent() {
    CachedToken one = token("t1", 60_000);
    CachedToken two = token("t2", 60_000);
    cache.put("k1", one);
    cache.put("k2", two);
    assertThat(cache.get("k1")).isSameAs(one);
    assertThat(cache.get("k2")).isSameAs(two);
  }

  @Test
  void get_untilExpiresAt_presentThenGone() {
    CachedToken token = token("t1", 60_000);
    cache.put("k", token);

    clock.advanceTo(token.expiresAtMillis() - 1);
    assertThat(cache.get("k")).isSameAs(token);

    clock.advance(1);
    assertThat(cache.get("k")).isNull();
  }

  @Test
  void get_inRefreshWindow_stillPresent() {
    CachedToken token = token("t1", 60_000);
    cache.put("k", token);
    clock.advanceTo(token.refreshAtMillis() + 1);
    assertThat(cache.get("k")).isSameAs(token);
  }

  @Test
  void get_repeatedReads_doNotExtendTheLifetime() {
    CachedToken token = token("t1", 10_000);
    cache.put("k", token);
    for (int i = 0; i < 9; i++) {
      clock.advance(1_000);
      assertThat(cache.get("k")).isSameAs(token);
    }
    clock.advance(1_000);
    assertThat(cache.get("k")).isNull();
  }

  @Test
  void put_alreadyExpiredToken_isNotReturned() {
    long now = clock.millis();
    cache.put("k", new CachedToken("old", "Bearer", now - 2_000, now - 1_500, now - 1_000));
    assertThat(cache.get("k")).isNull();
  }

  @Test
  void put_tokenExpiringNow_isNotReturned() {
    long now = clock.millis();
    cache.put("k", new CachedToken("old", "Bearer", now - 2_000, now - 1_000, now));
    assertThat(cache.get("k")).isNull();
  }

  @Test
  void put_replacement_takesItsOwnShorterExpiry() {
    cache.put("k", token("long", 600_000));
    CachedToken shorter = token("short", 10_000);
    cache.put("k", shorter);

    assertThat(cache.get("k")).isSameAs(shorter);
    clock.advance(10_000);
    assertThat(cache.get("k")).isNull();
  }

  @Test
  void put_replacement_takesItsOwnLongerExpiry() {
    cache.put("k", token("short", 10_000));
    clock.advance(5_000);
    CachedToken longer = token("long", 600_000);
    cache.put("k", longer);

    clock.advance(10_000);
    assertThat(cache.get("k")).isSameAs(longer);
    clock.advanceTo(longer.expiresAtMillis());
    assertThat(cache.get("k")).isNull();
  }

  @Test
  void put_afterExpiry_storesTheNewToken() {
    cache.put("k", token("t1", 1_000));
    clock.advance(5_000);
    assertThat(cache.get("k")).isNull();
    CachedToken fresh = token("t2", 1_000);
    cache.put("k", fresh);
    assertThat(cache.get("k")).isSameAs(fresh);
  }

  @Test
  void invalidate_sameToken_removesAndReturnsTrue() {
    CachedToken token = token("t1", 60_000);
    cache.put("k", token);
    assertThat(cache.invalidate("k", token)).isTrue();
    assertThat(cache.get("k")).isNull();
  }

  @Test
  void invalidate_equalAccessTokenOtherInstance_removes() {
    cache.put("k", token("t1", 60_000));
    assertThat(cache.invalidate("k", token("t1", 30_000))).isTrue();
    assertThat(cache.get("k")).isNull();
  }

  @Test
  void invalidate_entryReplacedByNewerToken_keepsTheNewer() {
    CachedToken rejected = token("t1", 60_000);
    cache.put("k", rejected);
    CachedToken newer = token("t2", 60_000);
    cache.put("k", newer);

    assertThat(cache.invalidate("k", rejected)).isFalse();
    assertThat(cache.get("k")).isSameAs(newer);
  }

  @Test
  void invalidate_unknownKey_false() {
    assertThat(cache.invalidate("k", token("t1", 60_000))).isFalse();
    assertThat(cache.get("k")).isNull();
  }

  @Test
  void invalidate_otherKey_untouched() {
    CachedToken token = token("t1", 60_000);
    cache.put("k1", token);
    cache.put("k2", token);
    assertThat(cache.invalidate("k1", token)).isTrue();
    assertThat(cache.get("k2")).isSameAs(token);
  }

  @Test
  void invalidate_expiredEntry_false() {
    CachedToken token = token("t1", 1_000);
    cache.put("k", token);
    clock.advance(1_000);
    assertThat(cache.invalidate("k", token)).isFalse();
  }

  @Test
  void invalidate_removedEntry_staysRemovedAfterPut() {
    CachedToken first = token("t1", 60_000);
    cache.put("k", first);
    cache.invalidate("k", first);
    CachedToken second = token("t2", 60_000);
    cache.put("k", second);
    assertThat(cache.invalidate("k", first)).isFalse();
    assertThat(cache.get("k")).isSameAs(second);
  }
}
