package io.upstreamoauth.agent.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * Typed access to one profile's raw values: a profile's own key wins over the top-level key of
 * the same name, which wins over the default. A bad value is recorded as a problem naming the key
 * (and, unless it is a secret, the value), and the default is used so reading can go on.
 */
abstract class ConfigValues {

  final RawConfig raw;
  final String profile; // null for the top-level profile
  final List<String> problems;

  ConfigValues(RawConfig raw, String profile, List<String> problems) {
    this.raw = raw;
    this.profile = profile;
    this.problems = problems;
  }

  List<Integer> statusCodes(ConfigKey key) {
    List<Integer> codes = new ArrayList<Integer>();
    for (String entry : list(key)) {
      try {
        int code = Integer.parseInt(entry);
        if (code >= 100 && code <= 599) {
          codes.add(code);
          continue;
        }
      } catch (NumberFormatException e) {
        // reported below
      }
      problems.add(name(key) + ": '" + entry + "' is not an HTTP status code (100-599)");
    }
    return codes;
  }

  <E extends Enum<E> & Choice> E choice(ConfigKey key, E[] values, E fallback) {
    String value = string(key);
    if (value == null) {
      return fallback;
    }
    StringBuilder allowed = new StringBuilder();
    for (E candidate : values) {
      if (candidate.value().equalsIgnoreCase(value)) {
        return candidate;
      }
      allowed.append(allowed.length() == 0 ? "" : ", ").append(candidate.value());
    }
    problems.add(name(key) + ": must be one of " + allowed + ", was '" + value + "'");
    return fallback;
  }

  long longValue(ConfigKey key, long min, long max, String unit) {
    String value = string(key);
    long fallback = Long.parseLong(key.defaultValue());
    if (value == null) {
      return fallback;
    }
    try {
      long parsed = Long.parseLong(value);
      if (parsed >= min && parsed <= max) {
        return parsed;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    problems.add(name(key) + ": must be a whole number of " + unit + " from " + min + " to " + max + ", was '" + value + "'");
    return fallback;
  }

  boolean bool(ConfigKey key) {
    String value = string(key);
    if (value == null) { // set to empty: the default, as for numbers and choices
      return Boolean.parseBoolean(key.defaultValue());
    }
    if ("true".equalsIgnoreCase(value)) {
      return true;
    }
    if ("false".equalsIgnoreCase(value)) {
      return false;
    }
    problems.add(name(key) + ": must be true or false, was '" + value + "'");
    return Boolean.parseBoolean(key.defaultValue());
  }

  double fraction(ConfigKey key) {
    String value = string(key);
    if (value == null) { // set to empty: the default, as for numbers and choices
      return Double.parseDouble(key.defaultValue());
    }
    try {
      double parsed = Double.parseDouble(value);
      if (parsed > 0 && parsed < 1) {
        return parsed;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    problems.add(name(key) + ": must be a fraction between 0 and 1 (e.g. 0.2), was '" + value + "'");
    return Double.parseDouble(key.defaultValue());
  }

  List<String> list(ConfigKey key) {
    List<String> values = new ArrayList<String>();
    String value = string(key);
    if (value == null) {
      return values;
    }
    for (String part : value.split(",")) {
      String item = part.trim();
      if (!item.isEmpty() && !values.contains(item)) {
        values.add(item);
      }
    }
    return values;
  }

  /** Returns the trimmed value (profile's own, else top-level unless never inherited, else default). */
  String string(ConfigKey key) {
    String value = raw.get(rawName(key));
    if (value == null) {
      value = key.defaultValue();
    }
    if (value == null) {
      return null;
    }
    value = value.trim();
    return value.isEmpty() ? null : value;
  }

  String rawName(ConfigKey key) {
    if (profile == null) {
      return key.key();
    }
    String own = profile + "." + key.key();
    // a profile's own value whose reference failed must not fall back to the inherited one
    if (raw.contains(own) || raw.isUnresolved(own) || key.scope() == ConfigKey.Scope.PROFILE_OWN) {
      return own;
    }
    return key.key();
  }

  /**
   * Reports that a key needs a value, unless it was set with a {@code ${...}} reference that could
   * not be resolved: that is reported already, and "is required" would be wrong.
   */
  void required(ConfigKey key, String message) {
    if (!raw.isUnresolved(rawName(key))) {
      problems.add(name(key) + ": " + message);
    }
  }

  /** Returns the full name of the key a value was (or would be) read from, for messages. */
  String name(ConfigKey key) {
    return ConfigKey.PREFIX + rawName(key);
  }

  static boolean isToken(String value) {
    if (value.isEmpty()) {
      return false;
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  static String upper(String value) {
    return value == null ? "" : value.toUpperCase(Locale.ROOT);
  }

  static List<String> list(String... values) {
    List<String> list = new ArrayList<String>();
    Collections.addAll(list, values);
    return list;
  }
}
