package io.upstreamoauth.agent.cache;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CachedTokenTest {

  private static final String LONG_TOKEN = "eyJhbGciOiJSUzI1NiJ9.payload.signature";

  @Test
  void headerValue_isTypeSpaceToken() {
    assertThat(new CachedToken("abc", "Bearer", 0, 50, 100).headerValue()).isEqualTo("Bearer abc");
    assertThat(new CachedToken("abc", "DPoP", 0, 50, 100).headerValue()).isEqualTo("DPoP abc");
  }

  @Test
  void constructor_refreshAfterExpiry_isClampedToExpiry() {
    CachedToken token = new CachedToken("abc", "Bearer", 0, 500, 100);
    assertThat(token.refreshAtMillis()).isEqualTo(100);
    assertThat(token.expiresAtMillis()).isEqualTo(100);
    assertThat(token.obtainedAtMillis()).isEqualTo(0);
  }

  @Test
  void isUsableAt_beforeExpiry_trueAndAtExpiry_false() {
    CachedToken token = new CachedToken("abc", "Bearer", 1_000, 1_500, 2_000);
    assertThat(token.isUsableAt(1_000)).isTrue();
    assertThat(token.isUsableAt(1_999)).isTrue();
    assertThat(token.isUsableAt(2_000)).isFalse();
    assertThat(token.isUsableAt(5_000)).isFalse();
  }

  @Test
  void isDueAt_fromRefreshPointOn_true() {
    CachedToken token = new CachedToken("abc", "Bearer", 1_000, 1_500, 2_000);
    assertThat(token.isDueAt(1_499)).isFalse();
    assertThat(token.isDueAt(1_500)).isTrue();
    assertThat(token.isDueAt(2_500)).isTrue();
  }

  @Test
  void fingerprint_isHexSha256OfTheAccessToken() {
    assertThat(new CachedToken("abc", "Bearer", 0, 1, 2).fingerprint())
        .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  }

  @Test
  void sameTokenAs_comparesAccessTokenOnly() {
    CachedToken a = new CachedToken("abc", "Bearer", 0, 1, 2);
    assertThat(a.sameTokenAs(new CachedToken("abc", "Bearer", 10, 20, 30))).isTrue();
    assertThat(a.sameTokenAs(new CachedToken("abd", "Bearer", 0, 1, 2))).isFalse();
    assertThat(a.sameTokenAs(null)).isFalse();
  }

  @Test
  void toString_masksTheToken() {
    String text = new CachedToken(LONG_TOKEN, "Bearer", 1, 2, 3).toString();
    assertThat(text)
        .isEqualTo("CachedToken{Bearer eyJh…(" + LONG_TOKEN.length() + " chars), obtainedAt=1, refreshAt=2, expiresAt=3}")
        .doesNotContain("payload");
  }
}
