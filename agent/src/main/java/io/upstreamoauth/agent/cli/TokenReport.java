package io.upstreamoauth.agent.cli;

import io.upstreamoauth.agent.oauth.TokenResponse;
import io.upstreamoauth.agent.util.Digests;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** What {@code check} says of a token: never the token itself, at most a short fingerprint. */
final class TokenReport {

  /** Hex digits of SHA-256 shown: enough to tell tokens apart in logs, useless to an attacker. */
  static final int FINGERPRINT_HEX = 12;

  private TokenReport() {}

  static List<String> describe(TokenResponse token, List<String> requestedScopes) {
    List<String> lines = new ArrayList<String>();
    lines.add(
        "token: " + token.tokenType()
            + ", expires_in: " + (token.expiresInSeconds() == TokenResponse.UNKNOWN ? "not sent" : token.expiresInSeconds() + " s")
            + ", scope: " + scope(token, requestedScopes)
            + ", sha256: " + fingerprint(token.accessToken()));
    Map<String, String> claims = JwtClaims.read(token.accessToken());
    if (claims == null) {
      lines.add("jwt: no (an opaque token)");
    } else {
      StringBuilder text = new StringBuilder("jwt:");
      for (Map.Entry<String, String> claim : claims.entrySet()) {
        text.append(' ').append(claim.getKey()).append('=').append(claim.getValue());
        if (claim.getKey().equals("exp")) {
          text.append(" (").append(instant(claim.getValue())).append(')');
        }
      }
      lines.add(claims.isEmpty() ? "jwt: yes, without iss, aud, exp or cnf" : text.toString());
    }
    return lines;
  }

  /** Returns the first hex digits of the token's SHA-256. */
  static String fingerprint(String accessToken) {
    return Digests.sha256Hex(accessToken).substring(0, FINGERPRINT_HEX);
  }

  private static String scope(TokenResponse token, List<String> requested) {
    if (token.scope() != null) {
      return "\"" + printable(token.scope()) + "\"";
    }
    if (requested.isEmpty()) {
      return "not sent (none requested)";
    }
    // RFC 6749 §5.1: no scope in the answer means the requested one was granted
    StringBuilder text = new StringBuilder();
    for (String scope : requested) {
      text.append(text.length() == 0 ? "" : " ").append(scope);
    }
    return "not sent (requested \"" + text + "\")";
  }

  /** IdP-made text on a terminal: no control characters. */
  private static String printable(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      out.append(c < 0x20 || c == 0x7F ? ' ' : c);
    }
    return out.toString();
  }

  private static String instant(String epochSeconds) {
    try {
      return java.time.Instant.ofEpochSecond(Long.parseLong(epochSeconds)).toString();
    } catch (NumberFormatException | java.time.DateTimeException e) {
      return "not a time";
    }
  }
}
