package io.upstreamoauth.agent.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Any configuration gives either a configuration or a {@link ConfigException} whose problems each
 * start with the key they are about, never another exception and never a secret's value.
 *
 * <p>An input is a properties file (UTF-8), so seeds are readable and a crash file reads as the
 * configuration that broke: {@code upstream.oauth.*} lines are system properties, {@code
 * env.NAME=value} lines environment variables, {@code file.NAME=content} lines files whose path
 * replaces {@code @NAME@} in any value, and {@code agent-args=} the {@code -javaagent} argument. A
 * secret key (or its environment variable) set to {@code @SECRET@} gets a distinctive secret that
 * no message may show. The seeds, one set per key (good, bad, empty, huge, {@code ${env:}}, {@code
 * ${file:}}, environment and profile forms), are in ConfigLoaderFuzzTestInputs; every build
 * replays them, {@code JAZZER_FUZZ=1} fuzzes (docs/resilience.md).
 */
class ConfigLoaderFuzzTest {

  static final String SECRET = "zzSECRETzz";
  /** A problem leads with its key: "upstream.oauth.&lt;key&gt;: ..." or "unknown key ...". */
  private static final Pattern NAMES_A_KEY = Pattern.compile("(?s)(upstream\\.oauth\\.(.+?): .+|unknown key .+)");

  private static Path dir;

  @BeforeAll
  static void createDir() throws IOException {
    dir = Files.createTempDirectory("config-fuzz");
  }

  @AfterAll
  static void deleteDir() throws IOException {
    try (java.util.stream.Stream<Path> files = Files.list(dir)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        Files.deleteIfExists(file);
      }
    }
    Files.deleteIfExists(dir);
  }

  @FuzzTest(maxDuration = "10s")
  void load_anyPropertiesFile_givesAConfigOrProblemsNamingKeys(byte[] input) throws IOException {
    Properties lines = new Properties();
    try {
      lines.load(new StringReader(new String(input, StandardCharsets.UTF_8)));
    } catch (IllegalArgumentException notAPropertiesFile) {
      return; // a malformed unicode escape: not a configuration anyone can write
    }
    Map<String, String> files = new HashMap<>();
    for (String name : lines.stringPropertyNames()) {
      if (name.startsWith("file.") && name.length() > 5 && name.matches("file\\.[A-Za-z0-9._-]{1,40}")) {
        Path file = dir.resolve(name.substring(5));
        Files.write(file, lines.getProperty(name).getBytes(StandardCharsets.UTF_8));
        files.put("@" + name.substring(5) + "@", file.toString());
      }
    }
    Map<String, String> properties = new HashMap<>();
    Map<String, String> environment = new HashMap<>();
    String agentArgs = null;
    for (String name : lines.stringPropertyNames()) {
      String value = withFiles(lines.getProperty(name), files);
      if (name.startsWith("env.")) {
        String variable = name.substring(4);
        environment.put(variable, secretEnvironmentVariable(variable) ? withSecret(value) : value);
      } else if (name.equals("agent-args")) {
        agentArgs = value;
      } else if (!name.startsWith("file.")) {
        properties.put(name, secretProperty(name) ? withSecret(value) : value);
      }
    }

    try {
      AgentConfig config = ConfigLoader.load(properties, environment, agentArgs);
      assertThat(config.toString()).doesNotContain(SECRET);
    } catch (ConfigException e) {
      assertThat(e.problems()).isNotEmpty().allSatisfy(problem -> assertThat(problem).matches(NAMES_A_KEY));
      assertThat(e.getMessage()).doesNotContain(SECRET);
    }
  }

  private static String withFiles(String value, Map<String, String> files) {
    String result = value;
    for (Map.Entry<String, String> file : files.entrySet()) {
      result = result.replace(file.getKey(), file.getValue());
    }
    return result;
  }

  private static String withSecret(String value) {
    return value.equals("@SECRET@") ? SECRET : value;
  }

  /** upstream.oauth.[profile.]key for a secret key. */
  private static boolean secretProperty(String name) {
    if (!name.startsWith(ConfigKey.PREFIX)) {
      return false;
    }
    String key = name.substring(ConfigKey.PREFIX.length());
    for (ConfigKey candidate : ConfigKey.values()) {
      if (candidate.isSecret() && (key.equals(candidate.key()) || key.endsWith("." + candidate.key()))) {
        return true;
      }
    }
    return false;
  }

  /** UPSTREAM_OAUTH_[PROFILE_]KEY for a secret key. */
  private static boolean secretEnvironmentVariable(String variable) {
    if (!variable.startsWith(ConfigKey.envName(""))) {
      return false;
    }
    for (ConfigKey candidate : ConfigKey.values()) {
      if (candidate.isSecret() && variable.endsWith(ConfigKey.envName(candidate.key()).substring("UPSTREAM_OAUTH".length()))) {
        return true;
      }
    }
    return false;
  }
}
