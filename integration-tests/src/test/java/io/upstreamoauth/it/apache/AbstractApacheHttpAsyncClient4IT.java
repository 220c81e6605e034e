package io.upstreamoauth.it.apache;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import io.upstreamoauth.it.client.AbstractClientIT;
import io.upstreamoauth.it.support.AppRun;
import org.junit.jupiter.api.Test;

/**
 * The client suite for one Apache HttpAsyncClient 4.1 version: through the Future (blocking on
 * {@code get()}) and, with --async, through a FutureCallback.
 */
abstract class AbstractApacheHttpAsyncClient4IT extends AbstractClientIT {

  @Override
  protected String expectedClient(boolean async) {
    return "org\\.apache\\.http\\.impl\\.nio\\.client\\.InternalHttpAsyncClient HTTP/1\\.1";
  }

  @Override
  public boolean supportsAsync() {
    return true;
  }

  @Override
  public boolean supportsReplay() {
    return true;
  }

  @Test
  void redirect307ToAnotherHost_clientCopiesTheHopsHeaders_tokenDoesNotGoThere() throws Exception {
    // on 307 the client copies the previous hop's request, headers and all (302 starts from the
    // caller's): the token the agent put on that hop comes off before the next host sees it
    api.stubFor(
        any(urlPathEqualTo("/api/temporary"))
            .willReturn(aResponse().withStatus(307).withHeader("Location", "http://127.0.0.1:" + other.port() + "/landing")));

    AppRun run = launch().run("--url", apiUrl("/api/temporary"), "--header", "X-App:kept");

    assertThat(run.results()).as(run.toString()).containsExactly("200 other");
    assertThat(authorizations(api, "/api/temporary")).containsExactly("Bearer " + idp.issued().get(0));
    assertThat(authorizations(other, "/landing")).containsExactly("<none>");
    assertThat(other.findAll(com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor(urlPathEqualTo("/landing"))))
        .singleElement()
        .satisfies(request -> assertThat(request.getHeader("X-App")).as("the copied hop").isEqualTo("kept"));
  }
}
