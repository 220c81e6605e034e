package io.upstreamoauth.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.upstreamoauth.agent.bridge.AgentBridges;
import io.upstreamoauth.agent.config.AgentConfig;
import io.upstreamoauth.agent.config.ConfigLoader;
import io.upstreamoauth.agent.util.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UrlReportTest {

  /** Profiles billing and crm with the given hosts entries. */
  private static UrlReport report(String billingHosts, String crmHosts) throws Exception {
    Map<String, String> p = new HashMap<>();
    p.put("upstream.oauth.profiles", "billing,crm");
    p.put("upstream.oauth.token-endpoint", "https://idp.example.com/token");
    p.put("upstream.oauth.client-id", "c");
    p.put("upstream.oauth.client-secret", "s");
    p.put("upstream.oauth.billing.hosts", billingHosts);
    p.put("upstream.oauth.crm.hosts", crmHosts);
    p.put("upstream.oauth.crm.header-name", "X-Crm-Token");
    AgentConfig config = ConfigLoader.load(p, new HashMap<String, String>(), null);
    return new UrlReport(AgentBridges.create(config, Clock.SYSTEM), config.profiles());
  }

  @Test
  void servedUrl_namesProfileHeaderAndEntry() throws Exception {
    UrlReport report = report("billing.example.com", "*.crm.example.net");
    assertThat(report.explain("https://billing.example.com/v1/invoices"))
        .containsExactly(
            "url https://billing.example.com/v1/invoices: profile 'billing', header Authorization"
                + " (hosts entry 'billing.example.com')");
    assertThat(report.explain("https://eu.crm.example.net/"))
        .containsExactly(
            "url https://eu.crm.example.net/: profile 'crm', header X-Crm-Token (hosts entry '*.crm.example.net')");
  }

  @Test
  void mostSpecificEntryWins_asInTheAgent() throws Exception {
    UrlReport report = report("api.example.com/billing", "api.example.com");
    assertThat(report.explain("https://api.example.com/billing/x").get(0)).contains("profile 'billing'");
    assertThat(report.explain("https://api.example.com/other").get(0)).contains("profile 'crm'");
  }

  @Test
  void unservedUrl_saysNoProfile_withoutNearMissForOtherHosts() throws Exception {
    List<String> lines = report("billing.example.com", "crm.example.net").explain("https://other.example.org/");
    assertThat(lines).containsExactly("url https://other.example.org/: no profile, the request goes without a token");
  }

  @Test
  void schemeMiss_isExplained() throws Exception {
    List<String> lines = report("https://api.example.com", "crm.example.net").explain("http://api.example.com/x");
    assertThat(lines.get(0)).contains("no profile");
    assertThat(lines.get(1))
        .isEqualTo(
            "  near miss: profile 'billing', hosts entry 'https://api.example.com': the host matches, but"
                + " the entry is for https only, the URL is http");
  }

  @Test
  void portMiss_namesTheDefaultPort() throws Exception {
    List<String> lines = report("api.example.com:8443", "crm.example.net").explain("https://api.example.com/x");
    assertThat(lines.get(1))
        .endsWith("the host matches, but the entry is for port 8443, the URL goes to port 443 (the https default)");
  }

  @Test
  void pathMiss_isExplained() throws Exception {
    List<String> lines = report("api.example.com/v2/", "crm.example.net").explain("https://api.example.com/v1/x");
    assertThat(lines.get(1)).endsWith("the host matches, but the path /v1/x is not under /v2 (prefixes match whole segments)");
  }

  @Test
  void ambiguousPath_isExplained() throws Exception {
    List<String> lines = report("api.example.com/api", "crm.example.net").explain("https://api.example.com/api/..;x/admin");
    assertThat(lines.get(0)).contains("no profile");
    assertThat(lines.get(1)).contains("servers read the path /api/..;x/admin in ways that disagree");
  }

  @Test
  void localhostAgainst127001_isExplained() throws Exception {
    List<String> lines = report("localhost:18080", "crm.example.net").explain("http://127.0.0.1:18080/x");
    assertThat(lines.get(1))
        .contains("'localhost' and '127.0.0.1' are both this machine (loopback), but hosts entries are compared by name");
  }

  @Test
  void severalReasons_areAllGiven() throws Exception {
    List<String> lines = report("https://api.example.com:8443/v2", "crm.example.net").explain("http://api.example.com/v1");
    assertThat(lines.get(1))
        .contains("the entry is for https only, the URL is http, the entry is for port 8443, the URL goes to port 80 (the http default) and the path /v1 is not under /v2");
  }

  @Test
  void notAnHttpUrl_isRefused_withAnExample() throws Exception {
    UrlReport report = report("api.example.com", "crm.example.net");
    assertThatThrownBy(() -> report.explain("api.example.com/x"))
        .hasMessageContaining("is not an http or https URL (e.g. https://");
    assertThatThrownBy(() -> report.explain("https://exa mple.com/"))
        .hasMessageContaining("is not a URL");
  }
}
