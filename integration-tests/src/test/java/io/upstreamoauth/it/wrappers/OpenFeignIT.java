package io.upstreamoauth.it.wrappers;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.upstreamoauth.it.support.AppRun;
import org.junit.jupiter.api.Test;

/**
 * OpenFeign 13.6 on its default client (HttpURLConnection): the whole suite through a Feign
 * interface, and Feign's own default retryer over the agent.
 */
class OpenFeignIT extends AbstractWrapperIT {

  @Override
  protected String appName() {
    return "openfeign";
  }

  @Override
  protected String expectedUserAgent() {
    return "Java/\\d.*";
  }

  @Override
  protected String expectedClient(boolean async) {
    return "feign\\.Client\\$Default HTTP/1\\.1";
  }

  @Override
  protected String expectedException() {
    return "feign.RetryableException";
  }

  @Override
  public boolean supportsReplay() {
    return true;
  }

  @Test
  void idpRejectsClient_feignsDefaultRetryer_retriesFailAtOnce_idpAskedOnce_nothingSent() throws Exception {
    // Feign.builder()'s own retryer sends a failed call five times: each attempt asks the agent
    // again, and a configuration error is not asked of the IdP again
    idp.fail(401, "application/json", "{\"error\":\"invalid_client\"}");

    AppRun run = launch().property("app.retryer", "feign-default").run("--url", apiUrl("/api/data"), "--count", "2");

    assertThat(run.errors()).as(run.toString()).isEqualTo(2);
    assertThat(run.thrown()).containsExactly("feign.RetryableException", "feign.RetryableException");
    assertThat(run.results()).allSatisfy(result -> assertThat(result).startsWith("ERROR java.io.IOException").contains("invalid_client"));
    assertThat(idp.tokenRequests()).hasSize(1);
    assertThat(api.findAll(anyRequestedFor(urlPathMatching("/api/.*")))).isEmpty();
  }

  @Test
  void feignsDefaultRetryer_connectionDroppedOnce_retriedWithTheToken() throws Exception {
    // Feign.builder()'s own retryer sends the call again: the retry carries the same token
    api.stubFor(any(urlPathEqualTo("/api/drop-once")).inScenario("drop").whenScenarioStateIs(Scenario.STARTED)
        .willReturn(aResponse().withFault(Fault.EMPTY_RESPONSE)).willSetStateTo("dropped"));
    api.stubFor(any(urlPathEqualTo("/api/drop-once")).inScenario("drop").whenScenarioStateIs("dropped")
        .willReturn(aResponse().withStatus(200).withBody("ok")));

    AppRun run = launch().property("app.retryer", "feign-default").run("--url", apiUrl("/api/drop-once"));

    assertThat(run.results()).as(run.toString()).containsExactly("200 ok");
    assertThat(idp.tokenRequests()).hasSize(1);
    assertThat(authorizations(api, "/api/drop-once")).hasSizeGreaterThanOrEqualTo(2)
        .containsOnly("Bearer " + idp.issued().get(0));
  }
}
