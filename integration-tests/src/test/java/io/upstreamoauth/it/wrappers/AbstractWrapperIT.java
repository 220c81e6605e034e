package io.upstreamoauth.it.wrappers;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

import io.upstreamoauth.it.client.AbstractClientIT;
import io.upstreamoauth.it.support.AppRun;
import org.junit.jupiter.api.Test;

/**
 * The client suite for a wrapper left unchanged over a client the agent covers (Feign, Retrofit,
 * a JAX-RS client, the Google HTTP Client), plus what is particular to a wrapper: the agent's
 * failure reaches the app as the wrapper's own exception, the agent's IOException under it.
 */
abstract class AbstractWrapperIT extends AbstractClientIT {

  /** Returns the class of the exception the wrapper throws (or fails its future with) on an I/O failure. */
  protected abstract String expectedException();

  @Test
  void idpFails_callFailsWithTheWrappersOwnException_theAgentsIoExceptionUnderIt() throws Exception {
    idp.fail(401, "application/json", "{\"error\":\"invalid_client\"}");

    AppRun run = launch().run("--url", apiUrl("/api/data"), "--count", "2", "--threads", "2");

    assertThat(run.errors()).as(run.toString()).isEqualTo(2);
    assertThat(run.thrown()).as(run.toString()).containsOnly(expectedException()).hasSize(2);
    assertThat(run.results()).allSatisfy(result ->
        assertThat(result).startsWith("ERROR java.io.IOException").contains("upstream-oauth-agent").contains("invalid_client"));
    assertThat(api.findAll(anyRequestedFor(urlPathMatching("/api/.*")))).isEmpty();
  }
}
