package io.upstreamoauth.it.okhttp;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import io.upstreamoauth.it.client.AbstractClientIT;
import io.upstreamoauth.it.support.AppRun;
import org.junit.jupiter.api.Test;

/**
 * The client suite for one OkHttp version, plus what is particular to OkHttp: the application's
 * own interceptors keep working, and HTTPS goes over HTTP/2.
 */
abstract class AbstractOkHttpIT extends AbstractClientIT {

  @Override
  protected String expectedClient(boolean async) {
    return "okhttp3\\.OkHttpClient (http/1\\.1|h2)";
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
  void appInterceptor_stillRuns_besideTheToken() throws Exception {
    AppRun run = launch().run("--url", apiUrl("/api/data"), "--count", "4", "--threads", "2");
    AppRun async = launch().run("--url", apiUrl("/api/data"), "--count", "4", "--threads", "2", "--async");

    assertThat(run.ok()).as(run.toString()).isEqualTo(4);
    assertThat(async.ok()).as(async.toString()).isEqualTo(4);
    assertThat(api.findAll(anyRequestedFor(urlPathEqualTo("/api/data"))))
        .hasSize(8)
        .allSatisfy(request -> {
          assertThat(request.getHeader("X-App-Interceptor")).isEqualTo("yes");
          assertThat(request.getHeader("Authorization")).startsWith("Bearer tok-");
        });
  }

  @Test
  void https_goesOverHttp2_andCarriesToken() throws Exception {
    AppRun run = launch().run("--url", "https://localhost:" + api.httpsPort() + "/api/data", "--count", "4", "--threads", "2");

    assertThat(run.ok()).as(run.toString()).isEqualTo(4);
    assertThat(api.findAll(anyRequestedFor(urlPathEqualTo("/api/data"))))
        .allSatisfy(request -> {
          assertThat(request.getProtocol()).isEqualTo("HTTP/2.0");
          assertThat(request.getHeader("Authorization")).isEqualTo("Bearer " + idp.issued().get(0));
        });
  }
}
