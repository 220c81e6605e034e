package io.upstreamoauth.agent.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.StringWriter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The claims of a JWT access token that say where it is valid: {@code iss}, {@code aud}, {@code
 * exp}, {@code cnf} (and {@code scope}/{@code scp}). Read without checking the signature: the
 * check command shows what the IdP issued, it does not judge the token.
 */
final class JwtClaims {

  private static final String[] SHOWN = {"iss", "aud", "exp", "cnf", "scope", "scp"};
  private static final int MAX_VALUE = 200;
  private static final JsonFactory JSON = new JsonFactory();

  private JwtClaims() {}

  /**
   * Returns the shown claims, in the order of {@link #SHOWN}, each as compact JSON text, or null
   * when {@code token} is no JWT (three base64url parts whose second is a JSON object).
   */
  static Map<String, String> read(String token) {
    String[] parts = token.split("\\.", -1);
    if (parts.length != 3) {
      return null;
    }
    byte[] payload;
    try {
      payload = java.util.Base64.getUrlDecoder().decode(parts[1]); // padding optional
    } catch (IllegalArgumentException e) {
      return null;
    }
    Map<String, String> found = new LinkedHashMap<String, String>();
    try (JsonParser parser = JSON.createParser(payload)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        parser.nextToken();
        if (shown(name)) {
          found.put(name, compact(parser));
        } else {
          parser.skipChildren();
        }
      }
    } catch (IOException e) {
      return null;
    }
    Map<String, String> ordered = new LinkedHashMap<String, String>();
    for (String name : SHOWN) {
      if (found.containsKey(name)) {
        ordered.put(name, found.get(name));
      }
    }
    return ordered;
  }

  private static boolean shown(String name) {
    for (String shown : SHOWN) {
      if (shown.equals(name)) {
        return true;
      }
    }
    return false;
  }

  /** Returns the current value as JSON text: a string unquoted, anything else as it is. */
  private static String compact(JsonParser parser) throws IOException {
    if (parser.currentToken() == JsonToken.VALUE_STRING) {
      return clean(parser.getText());
    }
    StringWriter text = new StringWriter();
    try (JsonGenerator generator = JSON.createGenerator(text)) {
      generator.copyCurrentStructure(parser);
    }
    return clean(text.toString());
  }

  /** IdP-made text on a terminal: no control characters, not too long. */
  private static String clean(String text) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < text.length() && out.length() < MAX_VALUE; i++) {
      char c = text.charAt(i);
      out.append(c < 0x20 || c == 0x7F ? ' ' : c);
    }
    return text.length() > MAX_VALUE ? out + "..." : out.toString();
  }
}
