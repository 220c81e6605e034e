package io.upstreamoauth.agent.config;

import io.upstreamoauth.agent.util.AgentLog;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Builds the {@link AgentConfig} from system properties, environment variables and the
 * configuration file, and validates all of it at once.
 */
public final class ConfigLoader {

  private static final Pattern PROFILE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]*");

  private ConfigLoader() {}

  /** Loads the configuration of this JVM. */
  public static AgentConfig load(String agentArgs) throws ConfigException {
    return load(
        ConfigSources.systemProperties(System.getProperties()), System.getenv(), agentArgs);
  }

  /**
   * Loads a configuration from the given sources.
   *
   * @param systemProperties system properties (only {@code upstream.oauth.*} ones are read)
   * @param environment environment variables
   * @param agentArgs the {@code -javaagent:jar=ARGS} argument: a configuration file path, or null
   * @throws ConfigException listing every problem, each naming its key
   */
  public static AgentConfig load(
      Map<String, String> systemProperties, Map<String, String> environment, String agentArgs)
      throws ConfigException {
    List<String> problems = new ArrayList<String>();
    RawConfig raw = new ConfigSources(systemProperties, environment, agentArgs, problems).read();

    String enabled = trimmed(raw.get(ConfigKey.ENABLED.key()));
    if (enabled != null && !enabled.equalsIgnoreCase("true") && !enabled.equalsIgnoreCase("false")) {
      problems.add(ConfigKey.ENABLED.fullName(null) + ": must be true or false, was '" + enabled + "'");
    }
    if ("false".equalsIgnoreCase(enabled)) {
      return new AgentConfig(false, AgentLog.Level.INFO, new ArrayList<ProfileConfig>());
    }
    AgentLog.Level level = AgentLog.Level.INFO;
    String levelText = trimmed(raw.get(ConfigKey.LOG_LEVEL.key()));
    if (levelText != null) {
      level = AgentLog.Level.parse(levelText);
      if (level == null) {
        problems.add(
            ConfigKey.LOG_LEVEL.fullName(null)
                + ": must be one of off, error, warn, info, debug, was '"
                + levelText
                + "'");
        level = AgentLog.Level.INFO;
      }
    }

    String jmx = trimmed(raw.get(ConfigKey.METRICS_JMX_ENABLED.key()));
    if (jmx != null && !jmx.isEmpty() && !jmx.equalsIgnoreCase("true") && !jmx.equalsIgnoreCase("false")) {
      problems.add(ConfigKey.METRICS_JMX_ENABLED.fullName(null) + ": must be true or false, was '" + jmx + "'");
    }

    List<String> profileNames = ConfigSources.profileNames(raw.get(ConfigKey.PROFILES.key()));
    checkProfileNames(profileNames, problems);
    checkEnvironmentNames(profileNames, problems);
    checkKeys(raw, profileNames, problems);

    List<ProfileConfig> profiles = new ArrayList<ProfileConfig>();
    if (raw.contains(ConfigKey.HOSTS.key()) || raw.isUnresolved(ConfigKey.HOSTS.key())) {
      profiles.add(new ProfileReader(raw, null, problems).read());
    }
    for (String name : profileNames) {
      profiles.add(new ProfileReader(raw, name, problems).read());
    }
    if (profiles.isEmpty() && !raw.names().isEmpty()) {
      problems.add(
          ConfigKey.HOSTS.fullName(null)
              + ": no host is configured; set upstream.oauth.hosts (or upstream.oauth.profiles"
              + " and upstream.oauth.<profile>.hosts)");
    }
    checkDuplicateHosts(profiles, problems);
    if (!problems.isEmpty()) {
      // a top-level value every profile inherits is checked once per profile: report it once
      throw new ConfigException(new ArrayList<String>(new LinkedHashSet<String>(problems)));
    }
    return new AgentConfig(true, level, profiles, !"false".equalsIgnoreCase(jmx));
  }

  private static void checkProfileNames(List<String> names, List<String> problems) {
    for (String name : names) {
      if (!PROFILE_NAME.matcher(name).matches()) {
        problems.add(
            ConfigKey.PROFILES.fullName(null)
                + ": '"
                + name
                + "' is not a valid profile name (letters, digits, '-' and '_')");
      } else if (isReserved(name)) {
        problems.add(
            ConfigKey.PROFILES.fullName(null) + ": '" + name + "' is reserved (it is a key name)");
      }
    }
  }

  /**
   * Reports profile names that make an environment variable stand for two keys. Variable names
   * lose case, '.' and '-': with a profile "assertion", UPSTREAM_OAUTH_ASSERTION_AUDIENCE is both
   * assertion-audience and assertion.audience, and one of them silently gets the other's value.
   */
  private static void checkEnvironmentNames(List<String> profiles, List<String> problems) {
    List<String> scopes = new ArrayList<String>();
    scopes.add("");
    for (String profile : profiles) {
      if (PROFILE_NAME.matcher(profile).matches() && !isReserved(profile)) {
        scopes.add(profile + ".");
      }
    }
    Map<String, String> keys = new HashMap<String, String>(); // variable -> key
    Map<String, String> mapPrefixes = new HashMap<String, String>(); // variable prefix -> key
    for (String scope : scopes) {
      for (String map : new String[] {ConfigKey.TOKEN_HEADERS, ConfigKey.TOKEN_POST_ARGS}) {
        mapPrefixes.put(ConfigKey.envName(scope + map), scope + map);
      }
    }
    for (String scope : scopes) {
      boolean reported = false; // once per profile is enough
      for (ConfigKey key : ConfigKey.values()) {
        if (!scope.isEmpty() && key.scope() == ConfigKey.Scope.GLOBAL) {
          continue;
        }
        String name = scope + key.key();
        String variable = ConfigKey.envName(name);
        String other = keys.put(variable, name);
        for (Map.Entry<String, String> prefix : mapPrefixes.entrySet()) {
          if (other == null && variable.startsWith(prefix.getKey())) {
            other = prefix.getValue() + "<name>";
          }
        }
        if (other != null && !reported) {
          problems.add(
              ConfigKey.PROFILES.fullName(null)
                  + ": profile name '"
                  + (scope.isEmpty() ? other.substring(0, other.indexOf('.')) : scope.substring(0, scope.length() - 1))
                  + "' makes environment variable "
                  + variable
                  + " stand for both "
                  + ConfigKey.PREFIX
                  + other
                  + " and "
                  + ConfigKey.PREFIX
                  + name
                  + "; choose another name");
          reported = true;
        }
      }
    }
  }

  private static boolean isReserved(String name) {
    if (name.equals(ProfileConfig.DEFAULT) || name.equals("cache")) {
      return true;
    }
    for (ConfigKey key : ConfigKey.values()) {
      if (key.key().equals(name) || key.key().startsWith(name + ".")) {
        return true;
      }
    }
    return name.equals("token-headers") || name.equals("token-post-args");
  }

  /** Reports keys that no profile reads: almost always a typo that would otherwise go unseen. */
  private static void checkKeys(RawConfig raw, List<String> profiles, List<String> problems) {
    for (String name : raw.names()) {
      ConfigKey key = ConfigKey.byName(name);
      if (key != null || ConfigKey.isMapKey(name)) {
        continue;
      }
      int dot = name.indexOf('.');
      String profile = dot > 0 ? name.substring(0, dot) : null;
      if (profile != null && profiles.contains(profile)) {
        String rest = name.substring(dot + 1);
        ConfigKey own = ConfigKey.byName(rest);
        if (own != null && own.scope() == ConfigKey.Scope.GLOBAL) {
          problems.add(
              ConfigKey.PREFIX
                  + name
                  + ": "
                  + rest
                  + " applies to the whole agent; set "
                  + own.fullName(null));
          continue;
        }
        if (own != null || ConfigKey.isMapKey(rest)) {
          continue;
        }
        problems.add(unknown(name, rest, profile + ".", raw.origin(name)));
        continue;
      }
      problems.add(unknown(name, name, "", raw.origin(name)));
    }
  }

  private static String unknown(String name, String keyPart, String scope, String origin) {
    String suggestion = closestKey(keyPart);
    StringBuilder message = new StringBuilder("unknown key ").append(ConfigKey.PREFIX).append(name);
    message.append(" (from ").append(origin).append(')');
    if (suggestion != null) {
      message.append("; did you mean ").append(ConfigKey.PREFIX).append(scope).append(suggestion).append('?');
    } else if (scope.isEmpty() && name.contains(".")) {
      message.append("; a profile's keys need the profile listed in ").append(ConfigKey.PROFILES.fullName(null));
    }
    return message.toString();
  }

  private static String closestKey(String name) {
    String best = null;
    int bestDistance = 4;
    for (ConfigKey key : ConfigKey.values()) {
      int distance = distance(name, key.key());
      if (distance < bestDistance) {
        best = key.key();
        bestDistance = distance;
      }
    }
    return best;
  }

  private static int distance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }

  private static void checkDuplicateHosts(List<ProfileConfig> profiles, List<String> problems) {
    Map<HostPattern, String> owners = new HashMap<HostPattern, String>();
    for (ProfileConfig profile : profiles) {
      for (HostPattern host : profile.hosts()) {
        String owner = owners.put(host, profile.name());
        if (owner != null && !owner.equals(profile.name())) {
          problems.add(
              ConfigKey.HOSTS.fullName(profile.name().equals(ProfileConfig.DEFAULT) ? null : profile.name())
                  + ": '"
                  + host.text()
                  + "' is configured in both profile '"
                  + owner
                  + "' and profile '"
                  + profile.name()
                  + "'; a request must map to exactly one IdP client");
        }
      }
    }
  }

  private static String trimmed(String value) {
    return value == null ? null : value.trim();
  }
}
