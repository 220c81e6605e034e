package io.upstreamoauth.agent.config;

import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Configuration values as written, merged from their sources, keyed without the {@code
 * upstream.oauth.} prefix. Each value remembers where it came from, so that an error can say so.
 */
final class RawConfig {

  /** A value and the place it was read from. */
  static final class Value {
    final String text;
    final String origin;

    Value(String text, String origin) {
      this.text = text;
      this.origin = origin;
    }

    @Override
    public String toString() {
      return "Value{origin=" + origin + "}"; // the text may be a secret
    }
  }

  private final Map<String, Value> values;
  private final Set<String> unresolved;

  RawConfig(Map<String, Value> values) {
    this(values, Collections.<String>emptySet());
  }

  /**
   * @param unresolved keys that were set but whose {@code ${...}} reference failed; that failure
   *     is already reported, so they must not also be reported as missing
   */
  RawConfig(Map<String, Value> values, Set<String> unresolved) {
    this.values = Collections.unmodifiableMap(new LinkedHashMap<String, Value>(values));
    this.unresolved = Collections.unmodifiableSet(new HashSet<String>(unresolved));
  }

  /** Returns the value of a key (without prefix), or null. */
  String get(String name) {
    Value value = values.get(name);
    return value == null ? null : value.text;
  }

  /** Returns where a key's value came from, or null if it is not set. */
  String origin(String name) {
    Value value = values.get(name);
    return value == null ? null : value.origin;
  }

  /** Returns true when a key was set but its value could not be resolved. */
  boolean isUnresolved(String name) {
    return unresolved.contains(name);
  }

  boolean contains(String name) {
    return values.containsKey(name);
  }

  Set<String> names() {
    return values.keySet();
  }

  @Override
  public String toString() {
    return "RawConfig" + values.keySet();
  }
}
