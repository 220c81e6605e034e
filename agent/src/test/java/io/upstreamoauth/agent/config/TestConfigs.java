package io.upstreamoauth.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds configuration sources for the tests; keys are written without the prefix. */
final class TestConfigs {

  /** A distinctive secret: if it shows up in any text, a secret leaked. */
  static final String SECRET = "Zq7xK-SuperSecret-Quokka-4471-pLmN";

  static final String ENDPOINT = "https://idp.example.com/oauth2/token";

  private TestConfigs() {}

  /** Returns {@code upstream.oauth.<key>=value} pairs; a null value leaves the key out. */
  static Map<String, String> props(String... keyValues) {
    Map<String, String> map = new LinkedHashMap<>();
    put(map, keyValues);
    return map;
  }

  /** A minimal valid top-level configuration, plus (or minus, with a null value) some keys. */
  static Map<String, String> valid(String... keyValues) {
    Map<String, String> map =
        props(
            "hosts", "api.example.com",
            "token-endpoint", ENDPOINT,
            "client-id", "my-client",
            "client-secret", SECRET);
    put(map, keyValues);
    return map;
  }

  private static void put(Map<String, String> map, String... keyValues) {
    if (keyValues.length % 2 != 0) {
      throw new IllegalArgumentException("key/value pairs expected");
    }
    for (int i = 0; i < keyValues.length; i += 2) {
      String key = ConfigKey.PREFIX + keyValues[i];
      if (keyValues[i + 1] == null) {
        map.remove(key);
      } else {
        map.put(key, keyValues[i + 1]);
      }
    }
  }

  /** Returns environment variables from name/value pairs. */
  static Map<String, String> env(String... nameValues) {
    Map<String, String> map = new LinkedHashMap<>();
    for (int i = 0; i < nameValues.length; i += 2) {
      map.put(nameValues[i], nameValues[i + 1]);
    }
    return map;
  }

  static AgentConfig load(Map<String, String> props) throws ConfigException {
    return ConfigLoader.load(props, Map.of(), null);
  }

  static AgentConfig load(Map<String, String> props, Map<String, String> env)
      throws ConfigException {
    return ConfigLoader.load(props, env, null);
  }

  /** Loads a valid configuration and returns its only profile. */
  static ProfileConfig profile(Map<String, String> props) throws ConfigException {
    AgentConfig config = load(props);
    assertThat(config.profiles()).hasSize(1);
    return config.profiles().get(0);
  }

  static List<String> problems(Map<String, String> props) {
    return problems(props, Map.of(), null);
  }

  static List<String> problems(Map<String, String> props, Map<String, String> env) {
    return problems(props, env, null);
  }

  /** Loads a configuration that must be invalid and returns its problems. */
  static List<String> problems(
      Map<String, String> props, Map<String, String> env, String agentArgs) {
    ConfigException e =
        catchThrowableOfType(
            ConfigException.class, () -> ConfigLoader.load(props, env, agentArgs));
    assertThat(e).as("expected a ConfigException").isNotNull();
    assertThat(e.problems()).isNotEmpty();
    return e.problems();
  }
}
