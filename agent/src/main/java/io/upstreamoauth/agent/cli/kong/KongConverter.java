package io.upstreamoauth.agent.cli.kong;

import static io.upstreamoauth.agent.cli.kong.KongNodes.list;
import static io.upstreamoauth.agent.cli.kong.KongNodes.map;
import static io.upstreamoauth.agent.cli.kong.KongNodes.text;

import io.upstreamoauth.agent.config.ConfigKey;
import io.upstreamoauth.agent.config.ProfileConfig;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns a Kong configuration holding {@code upstream-oauth} plugin instances into the agent's
 * properties file: one profile per enabled instance.
 */
public final class KongConverter {

  /** The properties file, and what the user must still do before it works. */
  public static final class Result {
    /** The properties file's text. */
    public final String properties;
    /** The profiles written, in order. */
    public final List<String> profiles;
    /** Environment variables the file refers to. */
    public final Set<String> variables;
    /** Profiles whose hosts must be filled in. */
    public final List<String> missingHosts;

    Result(String properties, List<String> profiles, Set<String> variables, List<String> missingHosts) {
      this.properties = properties;
      this.profiles = profiles;
      this.variables = variables;
      this.missingHosts = missingHosts;
    }
  }

  private KongConverter() {}

  /**
   * Converts a decK file (YAML or JSON) or an Admin API answer.
   *
   * @param text the file's content
   * @param source the file's name, for the header comment
   * @throws IllegalArgumentException when the text cannot be parsed or holds no upstream-oauth plugin
   */
  public static Result convert(String text, String source) {
    Object document = KongTree.parse(text);
    List<KongInstance> instances = KongPlugins.find(document);
    if (instances.isEmpty()) {
      throw new IllegalArgumentException("no " + KongPlugins.PLUGIN + " plugin in " + source);
    }
    KongVaults vaults = new KongVaults();
    for (Object vault : list(map(document).get("vaults"))) {
      Map<String, Object> entity = map(vault);
      String name = text(entity, "name");
      String prefix = text(entity, "prefix");
      if (name != null && prefix != null) {
        vaults.declare(prefix, name, text(map(entity, "config"), "prefix"));
      }
    }
    List<String> profiles = new ArrayList<String>();
    List<String> missingHosts = new ArrayList<String>();
    Set<String> variables = new LinkedHashSet<String>();
    PropertiesText body = new PropertiesText();
    Set<String> taken = new HashSet<String>();
    List<String> disabled = new ArrayList<String>();
    int index = 0;
    for (KongInstance instance : instances) {
      index++;
      if (Boolean.FALSE.equals(instance.plugin.get("enabled"))) {
        disabled.add("plugin on " + instance.attachedTo + " is disabled in Kong: not converted");
        continue;
      }
      String profile = profileName(instance.nameHint, index, profiles);
      profiles.add(profile);
      List<String> needed = new ArrayList<String>();
      boolean hosts = new KongProfile(instance, profile, vaults, needed).write(body, taken);
      variables.addAll(needed);
      if (!hosts) {
        missingHosts.add(profile);
      }
    }
    PropertiesText out = new PropertiesText();
    out.comment("upstream-oauth-agent configuration converted from Kong's upstream-oauth plugin in " + source);
    out.comment("by `java -jar upstream-oauth-agent.jar from-kong`. Use it as");
    out.comment("  java -javaagent:upstream-oauth-agent.jar=<this file> ...");
    out.comment("and check it first with `java -jar upstream-oauth-agent.jar check <this file>`.");
    if (!variables.isEmpty()) {
      out.comment("Environment variables to set: " + String.join(", ", variables));
    }
    if (!missingHosts.isEmpty()) {
      out.comment("Hosts to fill in (profiles): " + String.join(", ", missingHosts));
    }
    for (String line : disabled) {
      out.comment(line);
    }
    if (!profiles.isEmpty()) {
      out.property(ConfigKey.PROFILES.fullName(null), String.join(",", profiles));
    }
    return new Result(out.toString() + body, profiles, variables, missingHosts);
  }

  /**
   * A valid, unused profile name: letters, digits, '-' and '_', not a key name (ConfigLoader
   * rejects those), from the instance name, service or route name, else kong-N.
   */
  static String profileName(String hint, int index, List<String> taken) {
    String name = hint == null ? "" : hint.replaceAll("[^A-Za-z0-9_-]", "-").replaceAll("^[^A-Za-z0-9]+", "");
    if (name.isEmpty()) {
      name = "kong-" + index;
    }
    if (reserved(name)) {
      name = "kong-" + name;
    }
    String candidate = name;
    for (int n = 2; taken.contains(candidate); n++) {
      candidate = name + "-" + n;
    }
    return candidate;
  }

  private static boolean reserved(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    if (lower.equals(ProfileConfig.DEFAULT) || lower.equals("cache") || lower.equals("token-headers")
        || lower.equals("token-post-args")) {
      return true;
    }
    for (ConfigKey key : ConfigKey.values()) {
      if (key.key().equals(lower) || key.key().startsWith(lower + ".")
          || ConfigKey.envName(key.key()).startsWith(ConfigKey.envName(lower) + "_")) {
        return true; // also: its environment variables would read as another key's
      }
    }
    return false;
  }
}
