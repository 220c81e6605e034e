package io.upstreamoauth.it.jdk;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.upstreamoauth.it.client.AbstractClientIT;
import io.upstreamoauth.it.support.AgentApp;
import io.upstreamoauth.it.support.AppRun;
import java.util.List;
import org.junit.jupiter.api.Test;

/** java.net.http.HttpClient preferring HTTP/2 (h2 over TLS, h2c upgrade over cleartext). */
class JavaHttpClientHttp2IT extends AbstractClientIT {

  @Override
  protected String appName() {
    return "java-http-client";
  }

  @Override
  protected String expectedUserAgent() {
    return "Java-http-client/\\d.*";
  }

  @Override
  protected String expectedClient(boolean async) {
    // a request with a body, or from a client built without HTTP_2 (app()), stays on HTTP/1.1
    return "jdk\\.internal\\.net\\.http\\.HttpClientFacade HTTP_(2|1_1)";
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
  public AgentApp launch() throws Exception {
    return super.launch().property("app.http.version", "HTTP_2");
  }

  @Test
  void cleartext_upgradesToH2c_andEveryRequestCarriesToken() throws Exception {
    AppRun run = launch().run("--url", apiUrl("/api/data"), "--count", "4", "--threads", "1");

    assertThat(run.ok()).as(run.toString()).isEqualTo(4);
    // the client read every response as HTTP/2 (the VIA check), over http://: h2c
    assertThat(run.via()).hasSize(4).allSatisfy(via -> assertThat(via).endsWith(" HTTP_2"));
    List<LoggedRequest> requests = api.findAll(anyRequestedFor(urlPathEqualTo("/api/data")));
    // RFC 7540 §3.2: the first request asks for the upgrade, the next ones go over HTTP/2
    assertThat(requests.get(0).getHeader("Upgrade")).isEqualTo("h2c");
    assertThat(requests.subList(1, requests.size())).hasSize(3)
        .allSatisfy(request -> assertThat(request.getProtocol()).isEqualTo("HTTP/2.0"));
    assertThat(requests).allSatisfy(request ->
        assertThat(request.getHeader("Authorization")).isEqualTo("Bearer " + idp.issued().get(0)));
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
