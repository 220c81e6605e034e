package io.upstreamoauth.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.upstreamoauth.agent.config.ConfigKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * docs/configuration.md and {@link ConfigKey} (which {@code help} prints) say the same: every key
 * has one row with the same default, and no row names a key the agent does not know.
 */
class ConfigurationDocsTest {

  private static final Path DOCS = Paths.get("..", "docs", "configuration.md");
  private static final String HEADER = "| key | default | meaning |";

  /** Returns key -> default cell of every row of every key table. */
  static Map<String, String> documented(List<String> lines) {
    Map<String, String> rows = new LinkedHashMap<>();
    boolean inTable = false;
    for (String line : lines) {
      if (line.trim().equals(HEADER)) {
        inTable = true;
        continue;
      }
      if (!line.startsWith("|")) {
        inTable = false;
        continue;
      }
      if (!inTable || line.startsWith("|---")) {
        continue;
      }
      String[] cells = line.split("\\|", -1);
      String keyCell = cells[1].trim();
      assertThat(keyCell).as("a key cell is one key in backticks: " + line).matches("`[^`,]+`");
      String key = keyCell.substring(1, keyCell.length() - 1);
      assertThat(rows.put(key, cells[2].trim())).as("one row per key: " + key).isNull();
    }
    return rows;
  }

  @Test
  void everyKeyIsDocumented_withTheSameDefault() throws IOException {
    Map<String, String> rows = documented(Files.readAllLines(DOCS, StandardCharsets.UTF_8));
    for (ConfigKey key : ConfigKey.values()) {
      assertThat(rows).as("docs/configuration.md has a row for " + key.key()).containsKey(key.key());
      assertThat(rows.get(key.key()))
          .as("default of " + key.key() + " in docs/configuration.md")
          .isEqualTo(key.shownDefault());
    }
  }

  @Test
  void everyDocumentedKeyIsKnown() throws IOException {
    Map<String, String> rows = documented(Files.readAllLines(DOCS, StandardCharsets.UTF_8));
    for (String key : rows.keySet()) {
      boolean mapKey =
          key.equals(ConfigKey.TOKEN_HEADERS + "<Header-Name>") || key.equals(ConfigKey.TOKEN_POST_ARGS + "<name>");
      assertThat(ConfigKey.byName(key) != null || mapKey)
          .as("docs/configuration.md documents '" + key + "', which is no key of ConfigKey")
          .isTrue();
    }
  }

  @Test
  void parser_catchesADisagreement() {
    // the test above would pass on a parser that reads nothing: prove it reads rows
    Map<String, String> rows =
        documented(
            List.of(
                "## x",
                HEADER,
                "|---|---|---|",
                "| `timeout` | `9999` | ms |",
                "",
                "| `not-a-table` | x | y |"));
    assertThat(rows).containsExactly(Map.entry("timeout", "`9999`"));
    assertThat(rows.get("timeout")).isNotEqualTo(ConfigKey.TIMEOUT.shownDefault());
  }
}
