package io.upstreamoauth.agent.util;

/** Turns credentials into text that is safe to log or put in an exception message. */
public final class Secrets {

  private static final int SHOWN_PREFIX = 4;

  private Secrets() {}

  /**
   * Masks a token, showing only a short prefix and its length when it is long enough that the
   * prefix gives nothing away ({@code eyJh…(1021 chars)}).
   */
  public static String maskToken(String token) {
    if (token == null) {
      return "null";
    }
    if (token.length() < 16) {
      return "****";
    }
    return token.substring(0, SHOWN_PREFIX) + "…(" + token.length() + " chars)";
  }

  /** Replaces every occurrence of each non-trivial secret in {@code text} with {@code ****}. */
  public static String redact(String text, Iterable<String> secrets) {
    if (text == null) {
      return null;
    }
    String result = text;
    for (String secret : secrets) {
      if (secret != null && secret.length() >= 3 && result.contains(secret)) {
        result = result.replace(secret, "****");
      }
    }
    return result;
  }

  /** Shortens text for a log line or message, so that a huge error body cannot flood the log. */
  public static String truncate(String text, int max) {
    if (text == null || text.length() <= max) {
      return text;
    }
    return text.substring(0, max) + "…";
  }
}
