package io.upstreamoauth.agent.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.HashMap;
import java.util.Map;

/**
 * Any mix of keys and values gives either a configuration or a {@link ConfigException} whose
 * problems each name an {@code upstream.oauth.} key (or the unknown key), never another exception
 * and never a secret's value. Replays its corpus in every build; {@code JAZZER_FUZZ=1} fuzzes.
 */
class ConfigLoaderFuzzTest {

  private static final String SECRET = "zzSECRETzz";

  @FuzzTest(maxDuration = "10s")
  void load_anyKeysAndValues_givesAConfigOrProblemsNamingKeys(FuzzedDataProvider data) {
    Map<String, String> properties = new HashMap<>();
    properties.put("upstream.oauth.client-secret", SECRET);
    ConfigKey[] keys = ConfigKey.values();
    int count = data.consumeInt(0, 12);
    for (int i = 0; i < count; i++) {
      String key;
      switch (data.consumeInt(0, 3)) {
        case 0:
          key = "upstream.oauth." + data.pickValue(keys).key();
          break;
        case 1:
          key = "upstream.oauth.p." + data.pickValue(keys).key();
          break;
        case 2:
          key = "upstream.oauth.token-headers." + data.consumeString(8);
          break;
        default:
          key = "upstream.oauth." + data.consumeString(16);
      }
      properties.put(key, data.consumeString(64));
    }
    Map<String, String> environment = new HashMap<>();
    if (data.consumeBoolean()) {
      environment.put("UPSTREAM_OAUTH_" + data.consumeString(12), data.consumeString(32));
    }
    try {
      AgentConfig config = ConfigLoader.load(properties, environment, null);
      assertThat(config.toString()).doesNotContain(SECRET);
    } catch (ConfigException e) {
      assertThat(e.problems()).isNotEmpty();
      assertThat(e.getMessage()).doesNotContain(SECRET);
    }
  }
}
