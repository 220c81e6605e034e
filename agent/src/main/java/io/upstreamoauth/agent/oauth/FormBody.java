package io.upstreamoauth.agent.oauth;

import java.io.UnsupportedEncodingException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * An {@code application/x-www-form-urlencoded} body (RFC 6749 Appendix B). Spaces are encoded as
 * {@code %20}, which every server decodes, rather than {@code +}, which some mishandle.
 */
final class FormBody {

  private final List<String[]> fields = new ArrayList<String[]>();

  /** Adds a field; a null value is skipped. */
  FormBody add(String name, String value) {
    if (value != null) {
      fields.add(new String[] {name, value});
    }
    return this;
  }

  /** Returns true if a field of this name was added. */
  boolean has(String name) {
    for (String[] field : fields) {
      if (field[0].equals(name)) {
        return true;
      }
    }
    return false;
  }

  /** Returns the value of the first field of this name, or null. */
  String get(String name) {
    for (String[] field : fields) {
      if (field[0].equals(name)) {
        return field[1];
      }
    }
    return null;
  }

  List<String[]> fields() {
    return Collections.unmodifiableList(fields);
  }

  byte[] encode() {
    StringBuilder body = new StringBuilder();
    for (String[] field : fields) {
      if (body.length() > 0) {
        body.append('&');
      }
      body.append(encode(field[0])).append('=').append(encode(field[1]));
    }
    return body.toString().getBytes(StandardCharsets.US_ASCII);
  }

  /** Form-encodes a string as RFC 6749 Appendix B prescribes, with %20 for spaces. */
  static String encode(String value) {
    try {
      return URLEncoder.encode(value, "UTF-8").replace("+", "%20");
    } catch (UnsupportedEncodingException e) {
      throw new IllegalStateException("UTF-8 is required of every JVM", e);
    }
  }

  /** Form-encodes for client_secret_basic (RFC 6749 §2.3.1), where '+' is the space encoding. */
  static String encodeForBasic(String value) {
    try {
      return URLEncoder.encode(value, "UTF-8");
    } catch (UnsupportedEncodingException e) {
      throw new IllegalStateException("UTF-8 is required of every JVM", e);
    }
  }

  @Override
  public String toString() {
    return "FormBody" + fieldNames(); // values may be secrets
  }

  private List<String> fieldNames() {
    List<String> names = new ArrayList<String>();
    for (String[] field : fields) {
      names.add(field[0]);
    }
    return names;
  }

  static byte[] utf8(String value) {
    return value.getBytes(StandardCharsets.UTF_8);
  }
}
