package io.upstreamoauth.it.apache;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
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

  /** Returns false when the client itself cannot follow a 307 of a POST (agent or not). */
  protected boolean follows307OfAPost() {
    return true;
  }

  @Test
  void redirect307OfAPost_clientCopiesTheHopsRequest_tokenDoesNotGoToTheOtherHost() throws Exception {
    // a 307 of a POST (followed with LaxRedirectStrategy) is a copy of the previous hop's request
    // as the exec sent it, headers and all (RequestBuilder.copy), the agent's token included;
    // other redirects start from the caller's request. The copy must lose the token
    org.junit.jupiter.api.Assumptions.assumeTrue(follows307OfAPost(), "this version hangs on a 307 of a POST, agent or not");
    api.stubFor(
        any(urlPathEqualTo("/api/temporary"))
            .willReturn(aResponse().withStatus(307).withHeader("Location", "http://127.0.0.1:" + other.port() + "/landing")));

    AppRun run =
        launch().property("app.redirects", "lax").run("--url", apiUrl("/api/temporary"), "--method", "POST", "--body", "hello");

    assertThat(run.results()).as(run.toString()).containsExactly("200 other");
    assertThat(authorizations(api, "/api/temporary")).containsExactly("Bearer " + idp.issued().get(0));
    assertThat(other.findAll(anyRequestedFor(urlPathEqualTo("/landing"))))
        .singleElement()
        .satisfies(request -> {
          assertThat(request.getMethod().getName()).isEqualTo("POST");
          assertThat(request.getBodyAsString()).isEqualTo("hello");
          assertThat(request.containsHeader("Authorization")).as("the token on the copied hop").isFalse();
        });
  }
}
