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
    /** The value as written when it holds a {@code ${file:...}} reference (re-read on rotation), else null. */
    final String template;

    Value(String text, String origin) {
      this(text, origin, null);
    }

    Value(String text, String origin, String template) {
      this.text = text;
      this.origin = origin;
      this.template = template;
    }

    @Override
    public String toString() {
      return "Value{origin=" + origin + "}"; // the text may be a secret
    }
  }

  /** Re-resolves a value's {@code ${...}} references: files may have changed since. */
  interface Resolver {
    /** Returns the resolved text, or null after adding a problem naming the key. */
    String resolve(String name, Value value, java.util.List<String> problems);
  }

  private final Map<String, Value> values;
  private final Set<String> unresolved;
  private Resolver resolver; // null: values are never re-read

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

  RawConfig withResolver(Resolver value) {
    this.resolver = value;
    return this;
  }

  /**
   * Returns the path of the file a key's value is read from with {@code ${file:path}}, or null
   * when the value holds no such reference (the first one, if it holds several).
   */
  String filePath(String name) {
    Value value = values.get(name);
    if (value == null || value.template == null) {
      return null;
    }
    int start = value.template.indexOf("${file:");
    int end = start < 0 ? -1 : value.template.indexOf('}', start);
    return end < 0 ? null : value.template.substring(start + 7, end);
  }

  /**
   * Returns the path when a key's value is exactly one {@code ${file:path}} reference (nothing
   * around it), else null: only such a value can be followed on its own by re-reading the file.
   */
  String wholeFilePath(String name) {
    Value value = values.get(name);
    if (value == null || value.template == null) {
      return null;
    }
    String written = value.template.trim();
    return written.startsWith("${file:") && written.indexOf('}') == written.length() - 1
        ? written.substring(7, written.length() - 1)
        : null;
  }

  /**
   * Returns this configuration with every {@code ${file:...}} value read again, so that a secret
   * mounted as a file follows the file. Problems (a file gone, unreadable) name the key.
   */
  RawConfig reread(java.util.List<String> problems) {
    if (resolver == null) {
      return this;
    }
    Map<String, Value> fresh = new LinkedHashMap<String, Value>();
    Set<String> failed = new HashSet<String>(unresolved);
    for (Map.Entry<String, Value> entry : values.entrySet()) {
      Value value = entry.getValue();
      if (value.template == null) {
        fresh.put(entry.getKey(), value);
        continue;
      }
      String text =
          resolver.resolve(entry.getKey(), new Value(value.template, value.origin), problems);
      if (text == null) {
        failed.add(entry.getKey());
      } else {
        fresh.put(entry.getKey(), new Value(text, value.origin, value.template));
      }
    }
    return new RawConfig(fresh, failed).withResolver(resolver);
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
