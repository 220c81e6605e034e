package io.upstreamoauth.agent.cli.kong;

import static io.upstreamoauth.agent.cli.kong.KongNodes.list;
import static io.upstreamoauth.agent.cli.kong.KongNodes.map;
import static io.upstreamoauth.agent.cli.kong.KongNodes.text;

import io.upstreamoauth.agent.config.ConfigKey;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Writes one plugin instance as one agent profile. */
final class KongProfile {

  /** Header and form-field names whose literal values are treated as secrets. */
  private static final Pattern SECRET_NAME =
      Pattern.compile("(?i).*(auth|secret|token|key|password|passwd|credential|assertion|signature).*");

  private final KongInstance instance;
  private final String profile;
  private final KongVaults vaults;
  private final List<String> variables; // environment variables the user must set
  private final Map<String, String> values = new LinkedHashMap<String, String>(); // key -> value
  private final List<String> notes = new ArrayList<String>();
  private final List<String> unmapped = new ArrayList<String>();

  KongProfile(KongInstance instance, String profile, KongVaults vaults, List<String> variables) {
    this.instance = instance;
    this.profile = profile;
    this.vaults = vaults;
    this.variables = variables;
  }

  /**
   * Writes the profile's lines; hosts already taken by an earlier profile are left out.
   *
   * @return false when no hosts entry was written, only the placeholder
   */
  boolean write(PropertiesText out, Set<String> takenHosts) {
    Map<String, Object> config = map(instance.plugin, "config");
    Map<String, Object> flat = new LinkedHashMap<String, Object>();
    flatten("", config, flat);
    boolean redis = "redis".equals(text(flat.get("cache.strategy")));
    for (Map.Entry<String, Object> field : flat.entrySet()) {
      String name = field.getKey();
      if (name.startsWith("cache.redis.") && !redis) {
        continue; // Kong ignores them too; the Admin API lists them all, mostly null
      }
      convert(name, field.getValue(), flat);
    }
    kongDefaults(flat);

    out.blank();
    out.comment("profile " + profile + ": plugin upstream-oauth"
        + (text(instance.plugin, "id") != null ? " " + text(instance.plugin, "id") : "")
        + " on " + instance.attachedTo);
    List<String> hosts = new ArrayList<String>();
    for (String host : instance.hosts) {
      if (takenHosts.add(host.toLowerCase(Locale.ROOT))) {
        hosts.add(host);
      } else {
        notes.add("hosts entry " + host + " left out: an earlier profile has it, and a request must map"
            + " to exactly one profile");
      }
    }
    for (String note : instance.hostNotes) {
      out.comment(note);
    }
    String hostsKey = ConfigKey.HOSTS.fullName(profile);
    if (hosts.isEmpty()) {
      out.comment("hosts must be filled in before the agent will start:");
      out.placeholder(hostsKey, "FILL-IN-host[:port][/path]");
    } else {
      out.property(hostsKey, String.join(",", hosts));
    }
    for (Map.Entry<String, String> value : values.entrySet()) {
      out.property(ConfigKey.PREFIX + profile + "." + value.getKey(), value.getValue());
    }
    for (String note : notes) {
      out.comment(note);
    }
    if (!unmapped.isEmpty()) {
      out.comment("Kong fields with no equivalent, and what happens instead:");
      for (String line : unmapped) {
        out.comment("  " + line);
      }
    }
    return !hosts.isEmpty();
  }

  private static void flatten(String prefix, Map<String, Object> node, Map<String, Object> flat) {
    for (Map.Entry<String, Object> entry : node.entrySet()) {
      String name = prefix + entry.getKey();
      Object value = entry.getValue();
      boolean leafMap = name.equals("oauth.token_headers") || name.equals("oauth.token_post_args")
          || name.equals("cache.redis.cloud_authentication");
      if (value instanceof Map && !leafMap) {
        flatten(name + ".", map(value), flat);
      } else if (value != null && !(leafMap && allNull(map(value)))) {
        flat.put(name, value); // the Admin API lists unset fields as null, maps of them too
      }
    }
  }

  private static boolean allNull(Map<String, Object> map) {
    for (Object value : map.values()) {
      if (value != null) {
        return false;
      }
    }
    return true;
  }

  private void convert(String name, Object value, Map<String, Object> flat) {
    ConfigKey key = KongFields.MAPPED.get(name);
    if (key != null) {
      String text = scalarOrList(name, value);
      if (text != null) {
        values.put(key.key(), secretOrReference(name, text, KongFields.secretSuffix(name)));
      }
      return;
    }
    if (name.equals("oauth.token_headers") || name.equals("oauth.token_post_args")) {
      boolean headers = name.equals("oauth.token_headers");
      for (Map.Entry<String, Object> entry : map(value).entrySet()) {
        String text = text(entry.getValue());
        if (text == null) {
          continue;
        }
        String suffix = SECRET_NAME.matcher(entry.getKey()).matches()
            ? (headers ? "TOKEN_HEADER_" : "TOKEN_POST_ARG_") + entry.getKey().toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_")
            : null;
        String field = "config." + name + "." + entry.getKey();
        values.put((headers ? ConfigKey.TOKEN_HEADERS : ConfigKey.TOKEN_POST_ARGS) + entry.getKey(),
            secretOrReference(field.substring("config.".length()), text, suffix));
      }
      return;
    }
    if (name.equals("cache.redis.timeout")) {
      String text = text(value);
      if (!flat.containsKey("cache.redis.connect_timeout")) {
        values.put(ConfigKey.CACHE_REDIS_CONNECT_TIMEOUT.key(), text);
      }
      if (!flat.containsKey("cache.redis.read_timeout")) {
        values.put(ConfigKey.CACHE_REDIS_READ_TIMEOUT.key(), text);
      }
    }
    String instead = KongFields.UNMAPPED.get(name);
    if (instead != null) {
      if (value instanceof List && list(value).isEmpty() || value instanceof Map && map(value).isEmpty()) {
        return; // an empty cloud_authentication etc. asks for nothing
      }
      String shown = KongFields.hidesValue(name) ? "(value not shown)" : String.valueOf(value);
      unmapped.add("config." + name + " = " + shown + ": " + instead);
      return;
    }
    unmapped.add("config." + name + ": not known to from-kong (a newer plugin version?): not converted");
  }

  /** Kong's defaults where the agent's differ, so the profile behaves as the plugin did. */
  private void kongDefaults(Map<String, Object> flat) {
    if (!flat.containsKey("oauth.scopes")) {
      values.put(ConfigKey.SCOPES.key(), "openid");
      notes.add("scopes=openid is Kong's default (the agent's is none); some IdPs reject openid"
          + " with client_credentials: remove it if yours does");
    }
    String method = text(flat.get("client.auth_method"));
    if (method == null) {
      values.put(ConfigKey.AUTH_METHOD.key(), "client_secret_post");
      method = "client_secret_post";
    }
    if ("client_secret_jwt".equals(method) && !flat.containsKey("client.client_secret_jwt_alg")) {
      values.put(ConfigKey.CLIENT_SECRET_JWT_ALG.key(), "HS512");
    }
    if (!flat.containsKey("client.ssl_verify")) {
      notes.add("ssl-verify is true: Kong before 3.14 did not verify the IdP's certificate by default;"
          + " trust its CA with ca-file if the JVM's trust store does not");
    }
  }

  private String scalarOrList(String name, Object value) {
    if (value instanceof List) {
      List<String> parts = new ArrayList<String>();
      for (Object item : list(value)) {
        if (item instanceof Map) {
          Map<String, Object> node = map(item);
          String host = text(node, "host") != null ? text(node, "host") : text(node, "ip");
          parts.add(host + (text(node, "port") != null ? ":" + text(node, "port") : ""));
        } else if (text(item) != null) {
          parts.add(text(item));
        }
      }
      return String.join(",", parts);
    }
    return text(value);
  }

  /**
   * Returns the value to write: references rewritten, and a literal secret replaced by an
   * environment variable reference (the secret itself is never written).
   */
  private String secretOrReference(String field, String text, String secretSuffix) {
    KongVaults.Resolved resolved = vaults.resolve(text, "config." + field);
    if (resolved != null) {
      notes.add("config." + field + " was a reference: now " + resolved.value
          + (resolved.note != null ? "; " + resolved.note : ""));
      variables.addAll(variablesIn(resolved.value));
      return resolved.value;
    }
    if (secretSuffix == null) {
      if (text.contains("${")) {
        notes.add("config." + field + " holds '${', which the agent reads as the start of a ${env:...} or"
            + " ${file:...} reference: give the value through ${env:NAME} instead");
      }
      return text;
    }
    String variable = environmentPrefix(profile) + secretSuffix;
    notes.add("config." + field + " held a literal secret in the Kong file; it is not copied here:"
        + " set the environment variable " + variable + " to it (or use ${file:/path})");
    variables.add(variable);
    return "${env:" + variable + "}";
  }

  private static List<String> variablesIn(String value) {
    List<String> names = new ArrayList<String>();
    java.util.regex.Matcher matcher = Pattern.compile("\\$\\{env:([^}]+)\\}").matcher(value);
    while (matcher.find()) {
      names.add(matcher.group(1));
    }
    return names;
  }

  /** BILLING_ for profile billing; never UPSTREAM_OAUTH_, which the agent reads as its own keys. */
  static String environmentPrefix(String profile) {
    String prefix = profile.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_") + "_";
    return prefix.startsWith("UPSTREAM_OAUTH") ? "KONG_" + prefix : prefix;
  }
}
