package io.upstreamoauth.it.jdk;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import io.upstreamoauth.it.client.AbstractClientIT;
import io.upstreamoauth.it.support.AgentApp;
import io.upstreamoauth.it.support.AppRun;
import org.junit.jupiter.api.Test;

/** java.net.http.HttpClient preferring HTTP/2 (h2 over TLS, h2c upgrade over cleartext). */
class JavaHttpClientHttp2IT extends AbstractClientIT {

  @Override
  protected String appName() {
    return "java-http-client";
  }

  @Override
  protected boolean supportsAsync() {
    return true;
  }

  @Override
  protected boolean supportsReplay() {
    return true;
  }

  @Override
  public AgentApp launch() throws Exception {
    return super.launch().property("app.http.version", "HTTP_2");
  }

  @Test
  void https_http2Requests_carryToken() throws Exception {
    AppRun run = launch().run("--url", "https://localhost:" + api.httpsPort() + "/api/data", "--count", "4", "--threads", "2");

    assertThat(run.ok()).as(run.toString()).isEqualTo(4);
    assertThat(api.findAll(anyRequestedFor(urlPathEqualTo("/api/data"))))
        .allSatisfy(request -> {
          assertThat(request.getProtocol()).isEqualTo("HTTP/2.0");
          assertThat(request.getHeader("Authorization")).isEqualTo("Bearer " + idp.issued().get(0));
        });
  }
}
