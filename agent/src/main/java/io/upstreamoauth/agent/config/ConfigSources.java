package io.upstreamoauth.agent.config;

import io.upstreamoauth.agent.util.AgentLog;
import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * Reads the raw configuration from its three sources, system properties over environment
 * variables over the configuration file, and resolves {@code ${env:NAME}} and {@code
 * ${file:/path}} references in values.
 */
final class ConfigSources {

  private final Map<String, String> systemProperties;
  private final Map<String, String> environment;
  private final String agentArgs;
  private final List<String> problems;

  ConfigSources(
      Map<String, String> systemProperties,
      Map<String, String> environment,
      String agentArgs,
      List<String> problems) {
    this.systemProperties = systemProperties;
    this.environment = environment;
    this.agentArgs = agentArgs;
    this.problems = problems;
  }

  /** Copies the prefixed system properties; {@link System#getProperties()} is not a String map. */
  static Map<String, String> systemProperties(Properties properties) {
    Map<String, String> copy = new HashMap<String, String>();
    for (String name : properties.stringPropertyNames()) {
      if (name.startsWith(ConfigKey.PREFIX)) {
        copy.put(name, properties.getProperty(name));
      }
    }
    return copy;
  }

  RawConfig read() {
    Map<String, RawConfig.Value> merged = new LinkedHashMap<String, RawConfig.Value>();
    Map<String, RawConfig.Value> fromFile = readFile();
    Map<String, RawConfig.Value> fromSystem = prefixed(systemProperties, "system property ");
    List<String> profiles = profileNames(profilesForEnvironment(fromSystem, fromFile));
    merge(merged, fromFile);
    merge(merged, readEnvironment(profiles));
    merge(merged, fromSystem);
    Map<String, RawConfig.Value> resolved = new LinkedHashMap<String, RawConfig.Value>();
    Set<String> unresolved = new HashSet<String>();
    for (Map.Entry<String, RawConfig.Value> entry : merged.entrySet()) {
      String text = resolve(entry.getKey(), entry.getValue(), problems);
      if (text != null) {
        String written = entry.getValue().text;
        String template = written != null && written.contains("${file:") ? written : null;
        resolved.put(entry.getKey(), new RawConfig.Value(text, entry.getValue().origin, template));
      } else if (entry.getValue().text != null) {
        unresolved.add(entry.getKey());
      }
    }
    return new RawConfig(resolved, unresolved)
        .withResolver(
            new RawConfig.Resolver() {
              @Override
              public String resolve(String name, RawConfig.Value value, List<String> found) {
                return ConfigSources.this.resolve(name, value, found);
              }
            });
  }

  /**
   * Returns the profile list used to find profile keys among environment variables. It is resolved
   * here already, so that {@code profiles=${env:PROFILES}} also picks up {@code
   * UPSTREAM_OAUTH_<PROFILE>_*} variables; problems are reported when all values are resolved.
   */
  private String profilesForEnvironment(
      Map<String, RawConfig.Value> fromSystem, Map<String, RawConfig.Value> fromFile) {
    String name = ConfigKey.PROFILES.key();
    RawConfig.Value value = fromSystem.get(name);
    if (value == null && environment.get(ConfigKey.envName(name)) != null) {
      value =
          new RawConfig.Value(
              environment.get(ConfigKey.envName(name)),
              "environment variable " + ConfigKey.envName(name));
    }
    if (value == null) {
      value = fromFile.get(name);
    }
    return value == null ? null : resolve(name, value, new ArrayList<String>());
  }

  /**
   * Puts values of a source with higher precedence over those read so far. Header names are
   * case-insensitive, and environment variables can only spell them in upper case: a {@code
   * token-headers.X-Tenant} from a file must give way to {@code UPSTREAM_OAUTH_TOKEN_HEADERS_X_TENANT}
   * instead of both being sent.
   */
  private static void merge(
      Map<String, RawConfig.Value> merged, Map<String, RawConfig.Value> source) {
    for (Map.Entry<String, RawConfig.Value> entry : source.entrySet()) {
      String name = entry.getKey();
      // token-headers.<Name> or <profile>.token-headers.<Name>
      int start = name.startsWith(ConfigKey.TOKEN_HEADERS) ? 0 : name.indexOf('.') + 1;
      if (name.startsWith(ConfigKey.TOKEN_HEADERS, start)) {
        String prefix = name.substring(0, start + ConfigKey.TOKEN_HEADERS.length());
        Iterator<String> names = merged.keySet().iterator();
        while (names.hasNext()) {
          String existing = names.next();
          if (existing.length() == name.length()
              && existing.startsWith(prefix)
              && existing.equalsIgnoreCase(name)) {
            names.remove();
          }
        }
      }
      merged.put(name, entry.getValue());
    }
  }

  private Map<String, RawConfig.Value> readFile() {
    String path = systemProperties.get(ConfigKey.CONFIG_FILE.fullName(null));
    String origin = "system property " + ConfigKey.CONFIG_FILE.fullName(null);
    if (path == null) {
      path = environment.get(ConfigKey.envName(ConfigKey.CONFIG_FILE.key()));
      origin = "environment variable " + ConfigKey.envName(ConfigKey.CONFIG_FILE.key());
    }
    if (path == null && agentArgs != null && !agentArgs.trim().isEmpty()) {
      path = agentArgs.trim();
      origin = "-javaagent argument";
    }
    if (path == null) {
      return new LinkedHashMap<String, RawConfig.Value>();
    }
    Properties properties = new Properties();
    try (InputStream in = new FileInputStream(new File(path));
        Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
      properties.load(reader);
    } catch (IOException | IllegalArgumentException e) {
      problems.add(
          ConfigKey.CONFIG_FILE.fullName(null)
              + ": cannot read '"
              + path
              + "' (from "
              + origin
              + "): "
              + e.getMessage());
      return new LinkedHashMap<String, RawConfig.Value>();
    }
    Map<String, String> entries = new HashMap<String, String>();
    for (String name : properties.stringPropertyNames()) {
      if (name.startsWith(ConfigKey.PREFIX)) {
        entries.put(name, properties.getProperty(name));
      } else {
        problems.add(
            "unknown key '" + name + "' in " + path + ": keys start with " + ConfigKey.PREFIX);
      }
    }
    return prefixed(entries, "file " + path + ", key ");
  }

  private static Map<String, RawConfig.Value> prefixed(Map<String, String> source, String origin) {
    Map<String, RawConfig.Value> values = new LinkedHashMap<String, RawConfig.Value>();
    for (Map.Entry<String, String> entry : source.entrySet()) {
      if (entry.getKey().startsWith(ConfigKey.PREFIX)) {
        values.put(
            entry.getKey().substring(ConfigKey.PREFIX.length()),
            new RawConfig.Value(entry.getValue(), origin + entry.getKey()));
      }
    }
    return values;
  }

  static List<String> profileNames(String value) {
    List<String> names = new ArrayList<String>();
    if (value == null) {
      return names;
    }
    for (String part : value.split(",")) {
      String name = part.trim();
      if (!name.isEmpty() && !names.contains(name)) {
        names.add(name);
      }
    }
    return names;
  }

  /**
   * Maps {@code UPSTREAM_OAUTH_*} variables to keys. Variable names lose '.', '-' and case, so
   * they are matched against the names the known keys would have; map-valued keys take the rest
   * of the name ({@code _TOKEN_HEADERS_X_TENANT} is header {@code X-TENANT}, {@code
   * _TOKEN_POST_ARGS_RESOURCE} is form field {@code resource}).
   */
  private Map<String, RawConfig.Value> readEnvironment(List<String> profiles) {
    Map<String, String> known = new HashMap<String, String>();
    List<String> scopes = new ArrayList<String>();
    scopes.add("");
    for (String profile : profiles) {
      scopes.add(profile + ".");
    }
    for (String scope : scopes) {
      for (ConfigKey key : ConfigKey.values()) {
        if (scope.isEmpty() || key.scope() != ConfigKey.Scope.GLOBAL) {
          known.put(ConfigKey.envName(scope + key.key()), scope + key.key());
        }
      }
    }
    Map<String, RawConfig.Value> values = new LinkedHashMap<String, RawConfig.Value>();
    String prefix = ConfigKey.envName("");
    for (Map.Entry<String, String> entry : environment.entrySet()) {
      String variable = entry.getKey();
      if (!variable.startsWith(prefix)) {
        continue;
      }
      String name = known.get(variable);
      if (name == null) {
        name = mapKeyFromEnvironment(variable, scopes);
      }
      if (name == null) {
        AgentLog.warn("ignoring environment variable " + variable + ": not a known key");
        continue;
      }
      values.put(name, new RawConfig.Value(entry.getValue(), "environment variable " + variable));
    }
    return values;
  }

  private static String mapKeyFromEnvironment(String variable, List<String> scopes) {
    for (String scope : scopes) {
      String headers = ConfigKey.envName(scope + ConfigKey.TOKEN_HEADERS);
      if (variable.startsWith(headers) && variable.length() > headers.length()) {
        return scope + ConfigKey.TOKEN_HEADERS + variable.substring(headers.length()).replace('_', '-');
      }
      String args = ConfigKey.envName(scope + ConfigKey.TOKEN_POST_ARGS);
      if (variable.startsWith(args) && variable.length() > args.length()) {
        return scope
            + ConfigKey.TOKEN_POST_ARGS
            + variable.substring(args.length()).toLowerCase(Locale.ROOT);
      }
    }
    return null;
  }

  /** Resolves ${env:NAME} and ${file:/path}; returns null (and records why) on failure. */
  private String resolve(String name, RawConfig.Value value, List<String> problems) {
    String text = value.text;
    if (text == null || text.indexOf("${") < 0) {
      return text;
    }
    StringBuilder out = new StringBuilder();
    int index = 0;
    while (index < text.length()) {
      int start = text.indexOf("${", index);
      if (start < 0) {
        out.append(text, index, text.length());
        break;
      }
      int end = text.indexOf('}', start);
      if (end < 0) {
        problems.add(ConfigKey.PREFIX + name + ": unclosed '${' (from " + value.origin + ")");
        return null;
      }
      out.append(text, index, start);
      String reference = text.substring(start + 2, end);
      String replacement = lookup(name, reference, value.origin, problems);
      if (replacement == null) {
        return null;
      }
      out.append(replacement);
      index = end + 1;
    }
    return out.toString();
  }

  private String lookup(String name, String reference, String origin, List<String> problems) {
    if (reference.startsWith("env:")) {
      String variable = reference.substring(4);
      String resolved = environment.get(variable);
      if (resolved == null) {
        problems.add(
            ConfigKey.PREFIX
                + name
                + ": environment variable "
                + variable
                + " is not set (referenced as ${env:"
                + variable
                + "} from "
                + origin
                + ")");
      }
      return resolved;
    }
    if (reference.startsWith("file:")) {
      String path = reference.substring(5);
      try {
        byte[] bytes = java.nio.file.Files.readAllBytes(new File(path).toPath());
        return trimTrailingNewlines(new String(bytes, StandardCharsets.UTF_8));
      } catch (IOException e) {
        problems.add(
            ConfigKey.PREFIX
                + name
                + ": cannot read file '"
                + path
                + "' (referenced from "
                + origin
                + "): "
                + e.getClass().getSimpleName());
        return null;
      }
    }
    // in a secret, "${...}" that is no reference is most likely part of the secret itself
    String shown = ConfigKey.isSecretName(secretPart(name)) ? "" : " '${" + reference + "}'";
    problems.add(
        ConfigKey.PREFIX
            + name
            + ": unknown reference"
            + shown
            + ", use ${env:NAME} or ${file:/path} (from "
            + origin
            + ")");
    return null;
  }

  /** Returns a key name without its profile, e.g. client-secret for billing.client-secret. */
  private static String secretPart(String name) {
    int dot = name.indexOf('.');
    if (dot > 0 && ConfigKey.byName(name) == null && !ConfigKey.isMapKey(name)) {
      return name.substring(dot + 1);
    }
    return name;
  }

  private static String trimTrailingNewlines(String text) {
    int end = text.length();
    while (end > 0 && (text.charAt(end - 1) == '\n' || text.charAt(end - 1) == '\r')) {
      end--;
    }
    return text.substring(0, end);
  }
}
