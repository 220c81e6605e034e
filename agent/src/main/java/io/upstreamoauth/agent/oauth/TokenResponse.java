package io.upstreamoauth.agent.oauth;

import io.upstreamoauth.agent.util.Secrets;

/** A successful token endpoint response (RFC 6749 §5.1). {@link #toString()} masks the token. */
public final class TokenResponse {

  /** Marks an absent lifetime. */
  public static final long UNKNOWN = -1;

  private final String accessToken;
  private final String tokenType;
  private final long expiresInSeconds;
  private final long refreshInSeconds;
  private final String scope;

  public TokenResponse(
      String accessToken, String tokenType, long expiresInSeconds, long refreshInSeconds) {
    this(accessToken, tokenType, expiresInSeconds, refreshInSeconds, null);
  }

  /** @param scope the granted {@code scope} (RFC 6749 §5.1), or null when the IdP sent none */
  public TokenResponse(
      String accessToken, String tokenType, long expiresInSeconds, long refreshInSeconds, String scope) {
    this.accessToken = accessToken;
    this.tokenType = tokenType;
    this.expiresInSeconds = expiresInSeconds;
    this.refreshInSeconds = refreshInSeconds;
    this.scope = scope;
  }

  /** Returns the granted {@code scope} as the IdP sent it, or null (it is the requested one then). */
  public String scope() {
    return scope;
  }

  public String accessToken() {
    return accessToken;
  }

  /** Returns the token type with normalised capitalisation ({@code Bearer} when absent). */
  public String tokenType() {
    return tokenType;
  }

  /** Returns {@code expires_in}, or {@link #UNKNOWN}. */
  public long expiresInSeconds() {
    return expiresInSeconds;
  }

  /** Returns {@code refresh_in} (sent by some IdPs, e.g. Entra managed identity), or {@link #UNKNOWN}. */
  public long refreshInSeconds() {
    return refreshInSeconds;
  }

  @Override
  public String toString() {
    return "TokenResponse{accessToken="
        + Secrets.maskToken(accessToken)
        + ", tokenType="
        + tokenType
        + ", expiresIn="
        + expiresInSeconds
        + "}";
  }
}
