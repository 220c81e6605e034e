package io.upstreamoauth.agent.oauth;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import io.upstreamoauth.agent.util.Secrets;
import java.io.IOException;
import java.io.UnsupportedEncodingException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Reads a token endpoint response: a success (RFC 6749 §5.1) into a {@link TokenResponse}, an
 * error (§5.2), or anything else into a {@link TokenFetchException} that says what came back.
 *
 * <p>Lenient where IdPs differ and the meaning is clear: {@code expires_in} as a number, a string
 * ({@code "3599"}, Entra v1) or null; {@code token_type} in any case or absent (then {@code
 * Bearer}); unknown fields ignored; form-encoded bodies from old servers. Strict where a mistake
 * would be dangerous: a token that {@link TokenSyntax} refuses (characters that cannot go in a
 * header, too long) is refused.
 */
final class TokenResponseParser {

  /** Errors that mean the configuration is wrong: retrying will not help (RFC 6749 §5.2). */
  private static final Set<String> CONFIGURATION_ERRORS =
      new HashSet<String>(
          Arrays.asList(
              "invalid_client",
              "unauthorized_client",
              "invalid_scope",
              "unsupported_grant_type",
              "invalid_grant",
              "invalid_request",
              "invalid_target",
              "access_denied"));

  private static final int MAX_DESCRIPTION = 300;

  private static final JsonFactory JSON =
      JsonFactory.builder()
          .streamReadConstraints(
              StreamReadConstraints.builder()
                  .maxNestingDepth(32)
                  .maxStringLength(1 << 20)
                  .maxNumberLength(40)
                  .build())
          .build();

  /**
   * Parses a typical response once, so the JSON parser's classes are loaded before the first
   * token request needs them; for the start-up warm-up thread.
   */
  static void warmUp() {
    try {
      new TokenResponseParser("warm-up", java.util.Collections.<String>emptyList())
          .parse(200, "application/json",
              "{\"access_token\":\"warm-up-token\",\"token_type\":\"bearer\",\"expires_in\":\"60\"}"
                  .getBytes(StandardCharsets.UTF_8), -1);
    } catch (TokenFetchException | RuntimeException ignored) {
      // only an optimisation
    }
  }

  private final String endpoint;
  private final Iterable<String> secrets;

  /**
   * @param endpoint the token endpoint, for messages
   * @param secrets values scrubbed from anything the IdP echoes back into a message
   */
  TokenResponseParser(String endpoint, Iterable<String> secrets) {
    this.endpoint = endpoint;
    this.secrets = secrets;
  }

  /**
   * Parses a response.
   *
   * @param status the HTTP status
   * @param contentType the Content-Type header, or null
   * @param body the body bytes (already size-limited by the caller)
   * @param retryAfterMillis the parsed Retry-After header, or -1
   * @throws TokenFetchException if the response is not a usable token
   */
  TokenResponse parse(int status, String contentType, byte[] body, long retryAfterMillis)
      throws TokenFetchException {
    Fields fields;
    try {
      fields = isForm(contentType) ? readForm(body) : readJson(body);
    } catch (IOException | RuntimeException e) {
      fields = null;
    }
    // only 2xx carries a token; the client never follows a redirect, so a 3xx is an error too
    if (status >= 300 || status < 200 || (fields != null && fields.error != null)) {
      throw errorResponse(status, contentType, body, fields, retryAfterMillis);
    }
    if (fields == null) {
      throw new TokenFetchException(
          prefix(status)
              + "the body is not a JSON object ("
              + describeBody(contentType, body)
              + ")",
          TokenFetchException.Kind.TRANSIENT,
          TokenFetchException.Reason.BAD_RESPONSE,
          status,
          null,
          retryAfterMillis,
          null);
    }
    if (fields.accessToken == null || fields.accessToken.isEmpty()) {
      throw new TokenFetchException(
          prefix(status) + "the response has no access_token",
          TokenFetchException.Kind.TRANSIENT, TokenFetchException.Reason.BAD_RESPONSE, status, null,
          retryAfterMillis, null);
    }
    String problem = TokenSyntax.accessTokenProblem(fields.accessToken);
    if (problem != null) {
      throw new TokenFetchException(
          prefix(status) + "the access_token " + problem,
          TokenFetchException.Kind.TRANSIENT, TokenFetchException.Reason.BAD_RESPONSE, status, null,
          retryAfterMillis, null);
    }
    String type = TokenSyntax.normaliseType(fields.tokenType);
    if (type == null) {
      throw new TokenFetchException(
          prefix(status) + "the token_type is not a valid HTTP authentication scheme",
          TokenFetchException.Kind.TRANSIENT, TokenFetchException.Reason.BAD_RESPONSE, status, null,
          retryAfterMillis, null);
    }
    return new TokenResponse(fields.accessToken, type, fields.expiresIn, fields.refreshIn, fields.scope);
  }

  private TokenFetchException errorResponse(
      int status, String contentType, byte[] body, Fields fields, long retryAfterMillis) {
    String error = fields == null ? null : fields.error;
    TokenFetchException.Kind kind;
    if (status == 408 || status == 429 || status >= 500 || "temporarily_unavailable".equals(error)
        || "server_error".equals(error) || "slow_down".equals(error)) {
      kind = TokenFetchException.Kind.TRANSIENT;
    } else if (CONFIGURATION_ERRORS.contains(error) || (status >= 400 && status < 500)) {
      // any other 4xx, with an IdP-specific code (Entra's invalid_resource) or none, is the
      // IdP refusing this request as configured: asking again soon will not change its mind
      kind = TokenFetchException.Kind.CONFIGURATION;
    } else {
      kind = TokenFetchException.Kind.TRANSIENT;
    }
    StringBuilder message = new StringBuilder(prefix(status));
    if (error != null) {
      message.append(clean(error, 64));
      if (fields.errorDescription != null) {
        message.append(": ").append(clean(fields.errorDescription, MAX_DESCRIPTION));
      }
    } else {
      message.append("no OAuth error in the body (").append(describeBody(contentType, body)).append(')');
    }
    if (retryAfterMillis >= 0) {
      message.append(" (Retry-After ").append(retryAfterMillis / 1000).append(" s)");
    }
    return new TokenFetchException(message.toString(), kind, status, error, retryAfterMillis, null);
  }

  private String prefix(int status) {
    return "token endpoint " + endpoint + " answered HTTP " + status + ": ";
  }

  /** Scrubs secrets and control characters from IdP-provided text, and shortens it. */
  private String clean(String text, int max) {
    StringBuilder safe = new StringBuilder();
    String redacted = Secrets.redact(text, secrets);
    for (int i = 0; i < redacted.length() && safe.length() < max; i++) {
      char c = redacted.charAt(i);
      safe.append(c < 0x20 || c == 0x7F ? ' ' : c);
    }
    return redacted.length() > max ? safe + "…" : safe.toString();
  }

  private static String describeBody(String contentType, byte[] body) {
    return (contentType == null ? "no content type" : "content type " + contentType)
        + ", "
        + (body == null ? 0 : body.length)
        + " bytes";
  }

  private static boolean isForm(String contentType) {
    return contentType != null
        && contentType.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded");
  }

  private static Fields readJson(byte[] body) throws IOException {
    Fields fields = new Fields();
    try (JsonParser parser = JSON.createParser(body)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      JsonToken token;
      while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        JsonToken value = parser.nextToken();
        if (value == JsonToken.START_OBJECT || value == JsonToken.START_ARRAY) {
          parser.skipChildren();
          continue;
        }
        String text = value == JsonToken.VALUE_NULL ? null : parser.getValueAsString();
        fields.set(name, text, value);
      }
      if (token != JsonToken.END_OBJECT) {
        return null;
      }
    }
    return fields;
  }

  private static Fields readForm(byte[] body) throws UnsupportedEncodingException {
    Fields fields = new Fields();
    String text = new String(body, StandardCharsets.UTF_8).trim();
    for (String pair : text.split("&")) {
      int equals = pair.indexOf('=');
      if (equals > 0) {
        String name = URLDecoder.decode(pair.substring(0, equals), "UTF-8");
        String value = URLDecoder.decode(pair.substring(equals + 1), "UTF-8");
        fields.set(name, value, JsonToken.VALUE_STRING);
      }
    }
    return fields;
  }

  /** The fields the agent reads; everything else is ignored. */
  private static final class Fields {
    String accessToken;
    String tokenType;
    long expiresIn = TokenResponse.UNKNOWN;
    long refreshIn = TokenResponse.UNKNOWN;
    String error;
    String errorDescription;
    String scope;

    void set(String name, String text, JsonToken kind) {
      if ("access_token".equals(name)) {
        accessToken = kind == JsonToken.VALUE_STRING ? text : null;
      } else if ("token_type".equals(name)) {
        tokenType = text;
      } else if ("expires_in".equals(name)) {
        expiresIn = seconds(text);
      } else if ("refresh_in".equals(name)) {
        refreshIn = seconds(text);
      } else if ("scope".equals(name)) {
        scope = text;
      } else if ("error".equals(name)) {
        error = text;
      } else if ("error_description".equals(name)) {
        errorDescription = text;
      }
    }

    /** Reads a lifetime given as a number or a numeric string; anything else is unknown. */
    private static long seconds(String text) {
      if (text == null) {
        return TokenResponse.UNKNOWN;
      }
      try {
        double value = Double.parseDouble(text.trim());
        if (value > 0 && !Double.isNaN(value) && !Double.isInfinite(value)) {
          return (long) Math.min(Math.floor(value), TokenSyntax.MAX_LIFETIME_SECONDS);
        }
      } catch (NumberFormatException e) {
        // unknown
      }
      return TokenResponse.UNKNOWN;
    }
  }
}
