package io.upstreamoauth.it.jdk;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.upstreamoauth.it.client.AbstractClientIT;
import io.upstreamoauth.it.support.AppRun;
import org.junit.jupiter.api.Test;

/**
 * java.net.http.HttpClient over HTTP/1.1, send and sendAsync; and replay-after-purge, which only
 * this client supports: a request the upstream rejects with a purge status is sent once more with
 * a new token when its method is safe to repeat, never twice.
 */
class JavaHttpClientIT extends AbstractClientIT {

  @Override
  protected String appName() {
    return "java-http-client";
  }

  @Override
  protected boolean supportsAsync() {
    return true;
  }

  // ---- replay-after-purge: java.net.http only

  private void rejectFirstRequest() {
    api.stubFor(
        any(urlPathEqualTo("/api/once"))
            .inScenario("replay")
            .whenScenarioStateIs(Scenario.STARTED)
            .willReturn(aResponse().withStatus(401))
            .willSetStateTo("rejected"));
    api.stubFor(
        any(urlPathEqualTo("/api/once"))
            .inScenario("replay")
            .whenScenarioStateIs("rejected")
            .willReturn(aResponse().withStatus(200).withBody("ok")));
    api.stubFor(any(urlPathEqualTo("/api/always")).willReturn(aResponse().withStatus(401)));
  }

  @Test
  void get_rejectedOnce_isReplayedWithANewToken() throws Exception {
    rejectFirstRequest();
    AppRun run = launch().oauth("replay-after-purge", true).run("--url", apiUrl("/api/once"));

    assertThat(run.results()).as(run.toString()).containsExactly("200 ok");
    assertThat(idp.tokenRequests()).hasSize(2);
    assertThat(authorizations(api, "/api/once"))
        .containsExactly("Bearer " + idp.issued().get(0), "Bearer " + idp.issued().get(1));
  }

  @Test
  void get_rejectedAgain_isNotReplayedTwice() throws Exception {
    rejectFirstRequest();
    AppRun run = launch().oauth("replay-after-purge", true).run("--url", apiUrl("/api/always"));

    assertThat(run.results()).as(run.toString()).containsExactly("401 ");
    assertThat(authorizations(api, "/api/always")).hasSize(2);
  }

  @Test
  void post_isNeverReplayed() throws Exception {
    rejectFirstRequest();
    AppRun run =
        launch().oauth("replay-after-purge", true).run("--url", apiUrl("/api/once"), "--method", "POST", "--body", "x");

    assertThat(run.results()).as(run.toString()).containsExactly("401 ");
    assertThat(authorizations(api, "/api/once")).hasSize(1);
  }

  @Test
  void replayIsOffByDefault() throws Exception {
    rejectFirstRequest();
    AppRun run = launch().run("--url", apiUrl("/api/once"));

    assertThat(run.results()).as(run.toString()).containsExactly("401 ");
    assertThat(authorizations(api, "/api/once")).hasSize(1);
  }
}
