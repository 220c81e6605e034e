package io.upstreamoauth.it.apache;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.upstreamoauth.it.client.AbstractClientIT;
import io.upstreamoauth.it.support.AgentApp;
import io.upstreamoauth.it.support.AppRun;
import org.junit.jupiter.api.Test;

/**
 * The client suite for one Apache HttpClient 5 version, classic by default or async when {@link
 * #async()} says so, plus the async client over HTTP/2.
 */
abstract class AbstractApacheHttpClient5IT extends AbstractClientIT {

  @Override
  protected String expectedClient(boolean async) {
    return async || async()
        ? "org\\.apache\\.hc\\.client5\\.http\\.impl\\.async\\.Internal(Http|H2)AsyncClient HTTP/(1\\.1|2\\.0)"
        : "org\\.apache\\.hc\\.client5\\.http\\.impl\\.classic\\.InternalHttpClient HTTP/1\\.1";
  }

  /** Returns true to send every call of the shared suite through the async client. */
  protected boolean async() {
    return false;
  }

  @Override
  public boolean supportsAsync() {
    return true;
  }

  @Override
  public boolean supportsReplay() {
    return true;
  }

  @Override
  protected AgentApp app() {
    return super.app().property("app.async", async());
  }

  private String httpsUrl(String path) {
    return "https://localhost:" + api.httpsPort() + path;
  }

  @Test
  void asyncHttp2_overTls_carriesToken() throws Exception {
    AppRun run =
        launch().property("app.http.version", "HTTP_2").run("--url", httpsUrl("/api/data"), "--async", "--count", "6", "--threads", "3");

    assertThat(run.ok()).as(run.toString()).isEqualTo(6);
    assertThat(idp.tokenRequests()).hasSize(1);
    assertThat(api.findAll(anyRequestedFor(urlPathEqualTo("/api/data"))))
        .hasSize(6)
        .allSatisfy(request -> {
          assertThat(request.getProtocol()).isEqualTo("HTTP/2.0");
          assertThat(request.getHeader("Authorization")).isEqualTo("Bearer " + idp.issued().get(0));
        });
  }

  @Test
  void asyncHttp2_upstreamRejectsToken_tokenPurged() throws Exception {
    api.stubFor(
        any(urlPathEqualTo("/api/flaky"))
            .inScenario("purge-h2")
            .whenScenarioStateIs(Scenario.STARTED)
            .willReturn(aResponse().withStatus(401))
            .willSetStateTo("rejected-once"));
    api.stubFor(
        any(urlPathEqualTo("/api/flaky"))
            .inScenario("purge-h2")
            .whenScenarioStateIs("rejected-once")
            .willReturn(aResponse().withStatus(200).withBody("ok")));

    AppRun run = launch().property("app.http.version", "HTTP_2").run("--url", httpsUrl("/api/flaky"), "--async", "--count", "2");

    assertThat(run.results()).as(run.toString()).containsExactly("401 ", "200 ok");
    assertThat(authorizations(api, "/api/flaky"))
        .containsExactly("Bearer " + idp.issued().get(0), "Bearer " + idp.issued().get(1));
  }
}
