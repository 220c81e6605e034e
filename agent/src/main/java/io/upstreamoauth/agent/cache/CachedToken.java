package io.upstreamoauth.agent.cache;

import io.upstreamoauth.agent.util.Secrets;

/**
 * An access token and when to stop using it. Immutable; {@link #toString()} masks the token.
 *
 * <p>Times are wall-clock epoch milliseconds, because a token cached in Redis is shared by JVMs
 * that do not share a monotonic clock.
 */
public final class CachedToken {

  private final String accessToken;
  private final String tokenType;
  private final String headerValue;
  private final long obtainedAtMillis;
  private final long refreshAtMillis;
  private final long expiresAtMillis;
  private volatile String fingerprint;

  public CachedToken(
      String accessToken,
      String tokenType,
      long obtainedAtMillis,
      long refreshAtMillis,
      long expiresAtMillis) {
    this.accessToken = accessToken;
    this.tokenType = tokenType;
    this.headerValue = tokenType + " " + accessToken;
    this.obtainedAtMillis = obtainedAtMillis;
    this.refreshAtMillis = Math.min(refreshAtMillis, expiresAtMillis);
    this.expiresAtMillis = expiresAtMillis;
  }

  public String accessToken() {
    return accessToken;
  }

  public String tokenType() {
    return tokenType;
  }

  /** Returns the value injected into requests: {@code <token_type> <access_token>}. */
  public String headerValue() {
    return headerValue;
  }

  public long obtainedAtMillis() {
    return obtainedAtMillis;
  }

  /** Returns when a background refresh should start; the token stays usable until expiry. */
  public long refreshAtMillis() {
    return refreshAtMillis;
  }

  /** Returns when the token stops being used (already less the eager-expiry margin). */
  public long expiresAtMillis() {
    return expiresAtMillis;
  }

  /** Returns true while the token may be sent. */
  public boolean isUsableAt(long nowMillis) {
    return nowMillis < expiresAtMillis;
  }

  /** Returns true once the token is in its refresh window (but possibly still usable). */
  public boolean isDueAt(long nowMillis) {
    return nowMillis >= refreshAtMillis;
  }

  /**
   * Returns the hex SHA-256 of the access token: it identifies a token in logs and in Redis
   * compare-and-delete without revealing it.
   */
  public String fingerprint() {
    String value = fingerprint;
    if (value == null) {
      value = io.upstreamoauth.agent.util.Digests.sha256Hex(accessToken);
      fingerprint = value;
    }
    return value;
  }

  /** Returns true when both hold the same access token. */
  public boolean sameTokenAs(CachedToken other) {
    return other != null && accessToken.equals(other.accessToken);
  }

  @Override
  public String toString() {
    return "CachedToken{"
        + tokenType
        + " "
        + Secrets.maskToken(accessToken)
        + ", obtainedAt="
        + obtainedAtMillis
        + ", refreshAt="
        + refreshAtMillis
        + ", expiresAt="
        + expiresAtMillis
        + "}";
  }
}
