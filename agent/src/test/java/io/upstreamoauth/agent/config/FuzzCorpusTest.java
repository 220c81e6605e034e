package io.upstreamoauth.agent.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The fuzz tests' committed corpora cover what they must, so that every build's replay means
 * something: each configuration key in every form, and each IdP's response shapes. A key added
 * without seeds fails here (docs/resilience.md says how to add them).
 */
class FuzzCorpusTest {

  static final List<String> KEY_FORMS = List.of(
      "good", "bad", "empty", "huge", "env-reference", "file-reference", "environment-variable", "profile");

  private static Set<String> seeds(String directory) throws IOException, URISyntaxException {
    URL url = FuzzCorpusTest.class.getResource(directory);
    assertThat(url).as("corpus directory %s on the test class path", directory).isNotNull();
    try (Stream<Path> files = Files.list(Path.of(url.toURI()))) {
      return files.map(file -> file.getFileName().toString()).collect(Collectors.toSet());
    }
  }

  @Test
  void configCorpus_everyKey_inEveryForm() throws Exception {
    Set<String> seeds = seeds("ConfigLoaderFuzzTestInputs/load_anyPropertiesFile_givesAConfigOrProblemsNamingKeys");
    List<String> missing = new ArrayList<>();
    for (ConfigKey key : ConfigKey.values()) {
      for (String form : KEY_FORMS) {
        if (!seeds.contains(key.key() + "--" + form)) {
          missing.add(key.key() + "--" + form);
        }
      }
    }
    assertThat(missing).as("config fuzz seeds missing").isEmpty();
  }

  @Test
  void parserCorpus_everyIdp_andEveryBrokenShape() throws Exception {
    Set<String> seeds = seeds("/io/upstreamoauth/agent/oauth/TokenResponseParserFuzzTestInputs/"
        + "parse_anyHttpAnswer_givesATokenOrTheDocumentedException");
    for (String kind : List.of("keycloak--", "okta--", "entra--", "auth0--", "cognito--", "kong-identity--",
        "shape--missing-token-type", "entra--v1-string-numbers", "shape--extra-fields", "status--302", "status--301-html",
        "status--200-html", "huge--")) {
      assertThat(seeds).as("seeds for " + kind).anyMatch(seed -> seed.startsWith(kind));
    }
  }
}
