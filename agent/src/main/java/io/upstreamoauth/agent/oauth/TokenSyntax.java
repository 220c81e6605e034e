package io.upstreamoauth.agent.oauth;

/**
 * What an access token and its type must be before the agent puts them in a request header. One
 * rule for every token, whether it comes from the IdP ({@link TokenResponseParser}) or from a
 * shared cache such as Redis, which anyone with write access to it could have filled: a token
 * holding CR or LF would add headers to the upstream request (request splitting).
 *
 * <p>Messages describe the problem and never hold the value.
 */
public final class TokenSyntax {

  /**
   * The longest access token accepted: twice what most servers take in one header line (8 KiB),
   * so no real token is refused, and a cache entry cannot make every request carry megabytes.
   */
  public static final int MAX_TOKEN_CHARS = 16 * 1024;

  /** The longest lifetime believed, from {@code expires_in} or from a cached token's times. */
  public static final long MAX_LIFETIME_SECONDS = 366L * 24 * 3600;

  private TokenSyntax() {}

  /**
   * Returns why an access token cannot be sent, or null if it can: it must be 1 to {@link
   * #MAX_TOKEN_CHARS} visible ASCII characters (RFC 6750 §2.1 allows fewer; IdPs send more, and a
   * header carries any of these safely).
   */
  public static String accessTokenProblem(String token) {
    if (token == null || token.isEmpty()) {
      return "is empty";
    }
    if (token.length() > MAX_TOKEN_CHARS) {
      return "is longer than " + MAX_TOKEN_CHARS + " characters (" + token.length() + ")";
    }
    for (int i = 0; i < token.length(); i++) {
      char c = token.charAt(i);
      if (c < 0x21 || c > 0x7E) {
        return "holds characters that cannot go in an HTTP header";
      }
    }
    return null;
  }

  /**
   * Returns a token type as it is sent: {@code Bearer} when absent, the usual capitalisation of
   * the well-known schemes (the type is case-insensitive, RFC 6749 §5.1), or null when it is not
   * an HTTP authentication scheme (an RFC 7230 token, RFC 7235 §2.1).
   */
  public static String normaliseType(String type) {
    if (type == null || type.trim().isEmpty()) {
      return "Bearer";
    }
    String trimmed = type.trim();
    for (int i = 0; i < trimmed.length(); i++) {
      char c = trimmed.charAt(i);
      if (c <= 0x20 || c >= 0x7F || "()<>@,;:\\\"/[]?={}".indexOf(c) >= 0) {
        return null;
      }
    }
    if (trimmed.equalsIgnoreCase("bearer")) {
      return "Bearer";
    }
    if (trimmed.equalsIgnoreCase("dpop")) {
      return "DPoP";
    }
    if (trimmed.equalsIgnoreCase("mac")) {
      return "MAC";
    }
    return trimmed;
  }

  /**
   * Returns true when {@code type} is a token type exactly as {@link #normaliseType} gives it: a
   * cache only ever holds normalised types, so anything else was not written by the agent.
   */
  public static boolean isNormalisedType(String type) {
    return type != null && type.equals(normaliseType(type));
  }
}
