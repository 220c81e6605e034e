package io.upstreamoauth.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class HostPatternTest {

  private static boolean matches(String pattern, String url) {
    java.net.URI uri = java.net.URI.create(url);
    return HostPattern.parse(pattern).matches(uri.getScheme(), uri.getHost(), uri.getPort(), uri.getRawPath());
  }

  // ---- parse ----

  @Test
  void parse_plainHost_keepsTextAndLowerCasesCanonical() {
    HostPattern pattern = HostPattern.parse("  API.Example.com ");

    assertThat(pattern.text()).isEqualTo("API.Example.com");
    assertThat(pattern.toString()).isEqualTo("API.Example.com");
    assertThat(pattern.canonical()).isEqualTo("api.example.com");
    assertThat(pattern.httpsOnly()).isFalse();
  }

  @Test
  void parse_everyPart_isInCanonicalForm() {
    assertThat(HostPattern.parse("HTTPS://*.Example.COM:8443/Api/V1/").canonical())
        .isEqualTo("https://*.example.com:8443/Api/V1");
  }

  @Test
  void parse_httpsScheme_isHttpsOnly() {
    assertThat(HostPattern.parse("https://api.example.com").httpsOnly()).isTrue();
    assertThat(HostPattern.parse("HTTPS://api.example.com").httpsOnly()).isTrue();
    assertThat(HostPattern.parse("http://api.example.com").httpsOnly()).isFalse();
  }

  @Test
  void parse_trailingSlashes_meanNoPath() {
    assertThat(HostPattern.parse("api.example.com/").canonical()).isEqualTo("api.example.com");
    assertThat(HostPattern.parse("api.example.com/api//").canonical()).isEqualTo("api.example.com/api");
  }

  @Test
  void parse_trailingDot_isSameHost() {
    HostPattern pattern = HostPattern.parse("api.example.com.");

    assertThat(pattern).isEqualTo(HostPattern.parse("api.example.com"));
    assertThat(pattern.matches("https", "api.example.com", -1, "/")).isTrue();
    assertThat(HostPattern.parse("*.example.com.").matches("https", "a.example.com", -1, "/")).isTrue();
  }

  @Test
  void parse_bracketedIpv6WithPort_isParsed() {
    HostPattern pattern = HostPattern.parse("[::1]:8080");

    assertThat(pattern.matches("http", "::1", 8080, "/")).isTrue();
    assertThat(pattern.matches("http", "[::1]", 8080, "/")).isTrue();
    assertThat(pattern.matches("http", "::1", 8081, "/")).isFalse();
    assertThat(pattern.matches("http", "::2", 8080, "/")).isFalse();
  }

  @Test
  void parse_bracketedIpv6WithoutPort_matchesAnyPort() {
    HostPattern pattern = HostPattern.parse("[2001:DB8::1]");

    assertThat(pattern.matches("https", "2001:db8::1", -1, "")).isTrue();
    assertThat(pattern.matches("http", "[2001:db8::1]", 9000, "")).isTrue();
  }

  @Test
  void parse_ipv6PortAndAddressEndingInPort_areDifferentPatterns() {
    assertThat(HostPattern.parse("[::1]:8080")).isNotEqualTo(HostPattern.parse("[::1:8080]"));
  }

  @Test
  void parse_ipv4WithPort_isParsed() {
    HostPattern pattern = HostPattern.parse("10.0.0.1:8080");

    assertThat(pattern.matches("http", "10.0.0.1", 8080, "/x")).isTrue();
    assertThat(pattern.matches("http", "10.0.0.1", -1, "/x")).isFalse();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "''|empty host entry",
        "'   '|empty host entry",
        "ftp://api.example.com|scheme must be http or https in 'ftp://api.example.com'",
        "://api.example.com|scheme must be http or https in '://api.example.com'",
        "*.|wildcard without a domain in '*.'",
        "*|'*' is not a host name, *.domain or IP",
        "*example.com|'*example.com' is not a host name, *.domain or IP",
        "a.*.example.com|'a.*.example.com' is not a host name, *.domain or IP",
        "*.*.example.com|'*.*.example.com' is not a host name, *.domain or IP",
        "api example.com|'api example.com' is not a host name, *.domain or IP",
        "https://|'https://' is not a host name, *.domain or IP",
        ":8080|':8080' is not a host name, *.domain or IP",
        "/api|'/api' is not a host name, *.domain or IP",
        "api.example.com:0|port must be 1-65535 in 'api.example.com:0'",
        "api.example.com:65536|port must be 1-65535 in 'api.example.com:65536'",
        "api.example.com:|port must be 1-65535 in 'api.example.com:'",
        "api.example.com:http|port must be 1-65535 in 'api.example.com:http'",
        "api.example.com:-1|port must be 1-65535 in 'api.example.com:-1'",
        "user@api.example.com|'user@api.example.com' is not host[:port][/path]",
        "api.example.com?x=1|'api.example.com?x=1' is not host[:port][/path]",
        "api.example.com#x|'api.example.com#x' is not host[:port][/path]",
      })
  void parse_invalidEntry_throwsWithMessage(String entry, String message) {
    assertThatThrownBy(() -> HostPattern.parse(entry))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
  }

  @ParameterizedTest
  @ValueSource(strings = {"::1", "2001:db8::1", "[::1", "::1]", "[::1]x", "a:b:c", "[example.com]"})
  void parse_malformedIpv6_isRejected(String entry) {
    assertThatThrownBy(() -> HostPattern.parse(entry))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(entry);
  }

  @ParameterizedTest
  @ValueSource(strings = {"api.example.com/api?x=1", "api.example.com/api#top"})
  void parse_pathWithQueryOrFragment_isRejected(String entry) {
    assertThatThrownBy(() -> HostPattern.parse(entry))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("'" + entry + "' is not host[:port][/path]");
  }

  @Test
  void parse_atSignInPath_isAccepted() {
    HostPattern pattern = HostPattern.parse("registry.example.com/@scope");

    assertThat(pattern.matches("https", "registry.example.com", -1, "/@scope/pkg")).isTrue();
    assertThat(pattern.matches("https", "registry.example.com", -1, "/@other/pkg")).isFalse();
  }

  @Test
  void parse_portAtLimit_isAccepted() {
    assertThat(HostPattern.parse("h:65535").matches("http", "h", 65535, null)).isTrue();
    assertThat(HostPattern.parse("h:1").matches("http", "h", 1, null)).isTrue();
  }

  // ---- host matching ----

  @ParameterizedTest
  @CsvSource({
    "api.example.com, https://api.example.com/x, true",
    "api.example.com, http://API.EXAMPLE.COM/x, true",
    "API.Example.Com, https://api.example.com/, true",
    "api.example.com, https://api.example.com./x, true",
    "api.example.com, https://api.example.com:9443/x, true",
    "api.example.com, https://example.com/x, false",
    "api.example.com, https://xapi.example.com/x, false",
    "api.example.com, https://api.example.com.evil.com/x, false",
    "api.example.com, https://a.api.example.com/x, false",
    "*.example.com, https://a.example.com/x, true",
    "*.example.com, https://a.b.example.com/x, true",
    "*.example.com, https://A.EXAMPLE.COM./x, true",
    "*.Example.com, https://a.example.com/x, true",
    "*.example.com, https://example.com/x, false",
    "*.example.com, https://badexample.com/x, false",
    "*.example.com, https://example.com.evil.com/x, false",
    "*.example.com, https://a.example.org/x, false",
  })
  void matches_host(String pattern, String url, boolean expected) {
    assertThat(matches(pattern, url)).isEqualTo(expected);
  }

  @Test
  void matches_hostEdgeCases() {
    HostPattern wildcard = HostPattern.parse("*.example.com");

    assertThat(wildcard.matches("https", ".example.com", -1, "/")).isFalse();
    assertThat(wildcard.matches("https", "example.com.", -1, "/")).isFalse();
    assertThat(wildcard.matches("https", null, -1, "/")).isFalse();
    assertThat(HostPattern.parse("api.example.com").matches("https", "", -1, "/")).isFalse();
  }

  // ---- ports ----

  @ParameterizedTest
  @CsvSource({
    "api.example.com:443, https://api.example.com/x, true",
    "api.example.com:443, https://api.example.com:443/x, true",
    "api.example.com:443, http://api.example.com/x, false",
    "api.example.com:443, http://api.example.com:443/x, true",
    "api.example.com:443, https://api.example.com:8443/x, false",
    "api.example.com:80, http://api.example.com/x, true",
    "api.example.com:80, HTTP://api.example.com/x, true",
    "api.example.com:80, https://api.example.com/x, false",
    "api.example.com:8443, https://api.example.com:8443/x, true",
    "api.example.com:8443, https://api.example.com/x, false",
    "*.example.com:8443, https://a.example.com:8443/x, true",
    "*.example.com:8443, https://a.example.com:8444/x, false",
  })
  void matches_port_usesEffectivePort(String pattern, String url, boolean expected) {
    assertThat(matches(pattern, url)).isEqualTo(expected);
  }

  @Test
  void effectivePort_defaultsBySchemeWhenAbsent() {
    assertThat(HostPattern.effectivePort("https", -1)).isEqualTo(443);
    assertThat(HostPattern.effectivePort("HTTPS", -1)).isEqualTo(443);
    assertThat(HostPattern.effectivePort("http", -1)).isEqualTo(80);
    assertThat(HostPattern.effectivePort("https", 8443)).isEqualTo(8443);
  }

  // ---- scheme ----

  @ParameterizedTest
  @CsvSource({
    "https://api.example.com, https://api.example.com/x, true",
    "https://api.example.com, HTTPS://api.example.com/x, true",
    "https://api.example.com, http://api.example.com/x, false",
    "http://api.example.com, http://api.example.com/x, true",
    "http://api.example.com, https://api.example.com/x, false",
    "api.example.com, http://api.example.com/x, true",
  })
  void matches_scheme(String pattern, String url, boolean expected) {
    assertThat(matches(pattern, url)).isEqualTo(expected);
  }

  // ---- paths ----

  @ParameterizedTest
  @CsvSource({
    "api.example.com/api, /api, true",
    "api.example.com/api, /api/, true",
    "api.example.com/api, /api/x/y, true",
    "api.example.com/api, /apis, false",
    "api.example.com/api, /api-v2, false",
    "api.example.com/api, /, false",
    "api.example.com/api, /API, false",
    "api.example.com/api, /x/api, false",
    "api.example.com/api/, /api, true",
    "api.example.com/api/, /apis, false",
    "api.example.com/api/v1, /api/v1/users, true",
    "api.example.com/api/v1, /api/v2/users, false",
    "api.example.com, /anything, true",
  })
  void matches_pathPrefix_onSegmentBoundaries(String pattern, String path, boolean expected) {
    assertThat(HostPattern.parse(pattern).matches("https", "api.example.com", -1, path))
        .isEqualTo(expected);
  }

  @Test
  void matches_pathPrefixWithoutRequestPath_isFalse() {
    HostPattern pattern = HostPattern.parse("api.example.com/api");

    assertThat(pattern.matches("https", "api.example.com", -1, null)).isFalse();
    assertThat(pattern.matches("https", "api.example.com", -1, "")).isFalse();
    assertThat(HostPattern.parse("api.example.com").matches("https", "api.example.com", -1, null)).isTrue();
  }

  // ---- equality and order ----

  @Test
  void equals_sameCanonicalForm_isEqualWithSameHash() {
    HostPattern a = HostPattern.parse("HTTPS://API.example.com:443/v1/");
    HostPattern b = HostPattern.parse("https://api.example.com:443/v1");

    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
    assertThat(a).isNotEqualTo(HostPattern.parse("https://api.example.com/v1"));
    assertThat(a).isNotEqualTo(HostPattern.parse("api.example.com:443/v1"));
    assertThat(a).isNotEqualTo("https://api.example.com:443/v1");
  }

  @Test
  void compareTo_exactHostBeforeWildcard() {
    assertThat(sorted("*.example.com", "z.example.com")).containsExactly("z.example.com", "*.example.com");
    assertThat(sorted("*.a.example.com", "example.com")).containsExactly("example.com", "*.a.example.com");
  }

  @Test
  void compareTo_longerWildcardSuffixFirst() {
    assertThat(sorted("*.com", "*.example.com", "*.api.example.com"))
        .containsExactly("*.api.example.com", "*.example.com", "*.com");
  }

  @Test
  void compareTo_withPortBeforeWithout() {
    assertThat(sorted("api.example.com", "api.example.com:8443"))
        .containsExactly("api.example.com:8443", "api.example.com");
    assertThat(sorted("*.example.com", "*.example.com:8443"))
        .containsExactly("*.example.com:8443", "*.example.com");
  }

  @Test
  void compareTo_withSchemeBeforeWithout() {
    assertThat(sorted("api.example.com", "https://api.example.com"))
        .containsExactly("https://api.example.com", "api.example.com");
  }

  @Test
  void compareTo_longerPathFirst() {
    assertThat(sorted("api.example.com", "api.example.com/api", "api.example.com/api/v1"))
        .containsExactly("api.example.com/api/v1", "api.example.com/api", "api.example.com");
  }

  @Test
  void compareTo_equalPatterns_isZero() {
    assertThat(HostPattern.parse("API.example.com").compareTo(HostPattern.parse("api.example.com")))
        .isZero();
  }

  @Test
  void compareTo_isConsistentTotalOrder() {
    List<HostPattern> patterns = manyPatterns();
    for (HostPattern a : patterns) {
      assertThat(a.compareTo(a)).isZero();
      for (HostPattern b : patterns) {
        int ab = Integer.signum(a.compareTo(b));
        assertThat(ab).as("%s vs %s", a, b).isEqualTo(-Integer.signum(b.compareTo(a)));
        assertThat(ab == 0).as("%s vs %s consistent with equals", a, b).isEqualTo(a.equals(b));
        if (ab >= 0) {
          continue;
        }
        for (HostPattern c : patterns) {
          // c <= a < b must give c < b
          if (a.compareTo(c) >= 0 && b.compareTo(c) <= 0) {
            fail("not transitive: " + c + " <= " + a + " < " + b + " but not " + c + " < " + b);
          }
        }
      }
    }
  }

  @Test
  void compareTo_sortingShuffledLists_neverThrowsAndAlwaysGivesSameOrder() {
    List<HostPattern> expected = new ArrayList<>(manyPatterns());
    Collections.sort(expected);
    Random random = new Random(42);
    for (int round = 0; round < 50; round++) {
      List<HostPattern> shuffled = new ArrayList<>(manyPatterns());
      Collections.shuffle(shuffled, random);
      Collections.sort(shuffled);
      assertThat(shuffled).containsExactlyElementsOf(expected);
    }
  }

  private static List<HostPattern> manyPatterns() {
    List<HostPattern> patterns = new ArrayList<>();
    String[] hosts = {"a.example.com", "b.example.com", "*.example.com", "*.a.example.com", "*.com", "[::1]", "10.0.0.1"};
    String[] ports = {"", ":443", ":8443"};
    String[] schemes = {"", "https://"};
    String[] paths = {"", "/api", "/api/v1", "/b"};
    for (String host : hosts) {
      for (String port : ports) {
        for (String scheme : schemes) {
          for (String path : paths) {
            patterns.add(HostPattern.parse(scheme + host + port + path));
          }
        }
      }
    }
    return patterns;
  }

  private static List<String> sorted(String... entries) {
    List<HostPattern> patterns = new ArrayList<>();
    for (int i = entries.length - 1; i >= 0; i--) {
      patterns.add(HostPattern.parse(entries[i]));
    }
    Collections.sort(patterns);
    List<String> texts = new ArrayList<>();
    for (HostPattern pattern : patterns) {
      texts.add(pattern.text());
    }
    return texts;
  }
}
