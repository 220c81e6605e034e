package io.upstreamoauth.it.apache;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

import io.upstreamoauth.it.client.AbstractClientIT;
import io.upstreamoauth.it.support.AgentApp;
import io.upstreamoauth.it.support.AppRun;
import org.junit.jupiter.api.Test;

/**
 * The client suite for one Apache HttpClient 5 version, run through {@code
 * HttpClients.createMinimal()} ({@code -Dapp.client=minimal}): no redirects, no retries, no replay.
 */
abstract class AbstractApacheHttpClient5MinimalIT extends AbstractClientIT {

  @Override
  protected String expectedClient(boolean async) {
    return "org\\.apache\\.hc\\.client5\\.http\\.impl\\.classic\\.MinimalHttpClient HTTP/1\\.1";
  }

  @Override
  protected AgentApp app() {
    return super.app().property("app.client", "minimal");
  }

  @Override
  public boolean followsRedirects() {
    return false;
  }

  @Test
  void minimalClient_isWhatSendsTheRequests() throws Exception {
    AppRun run = launch().oauth("log-level", "debug").run("--url", apiUrl("/api/data"), "--count", "2");

    assertThat(run.ok()).as(run.toString()).isEqualTo(2);
    assertThat(run.stderr())
        .contains("instrumented org.apache.hc.client5.http.impl.classic.MinimalHttpClient")
        .doesNotContain("instrumented org.apache.hc.client5.http.impl.classic.ProtocolExec");
  }

  @Test
  void redirect_isHandedToTheApp_andNothingGoesToTheOtherHost() throws Exception {
    api.stubFor(
        any(urlPathEqualTo("/api/redirect-away"))
            .willReturn(aResponse().withStatus(302).withHeader("Location", "http://127.0.0.1:" + other.port() + "/landing")));

    AppRun run = launch().run("--url", apiUrl("/api/redirect-away"), "--count", "3", "--threads", "1");

    assertThat(run.results()).as(run.toString()).hasSize(3).allSatisfy(result -> assertThat(result).startsWith("302"));
    assertThat(authorizations(api, "/api/redirect-away")).hasSize(3).containsOnly("Bearer " + idp.issued().get(0));
    assertThat(other.findAll(anyRequestedFor(urlPathMatching("/.*")))).isEmpty();
  }
}
