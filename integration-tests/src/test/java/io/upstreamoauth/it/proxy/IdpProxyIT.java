package io.upstreamoauth.it.proxy;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.upstreamoauth.it.support.AgentApp;
import io.upstreamoauth.it.support.AppRun;
import io.upstreamoauth.it.support.FakeIdp;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The JVM's proxy settings apply to token requests: with http.proxyHost set, the token request
 * goes through the proxy (WireMock as a forward proxy) to the IdP.
 */
class IdpProxyIT {

  private static FakeIdp idp;
  private static WireMockServer proxy;
  private static WireMockServer api;

  @BeforeAll
  static void start() {
    idp = new FakeIdp();
    proxy = new WireMockServer(options().dynamicPort().enableBrowserProxying(true));
    proxy.start();
    api = new WireMockServer(options().dynamicPort());
    api.start();
    api.stubFor(any(urlPathMatching("/api/.*")).willReturn(aResponse().withStatus(200).withBody("ok")));
  }

  @AfterAll
  static void stop() {
    idp.close();
    proxy.stop();
    api.stop();
  }

  @Test
  void tokenRequest_goesThroughTheJvmsHttpProxy() throws Exception {
    AppRun run =
        AgentApp.of("http-url-connection")
            .oauth("hosts", "localhost:" + api.port())
            .oauth("token-endpoint", idp.tokenEndpoint())
            .oauth("client-id", "proxied")
            .oauth("client-secret", "proxied-secret")
            .property("http.proxyHost", "127.0.0.1")
            .property("http.proxyPort", proxy.port())
            // the JDK appends loopback to any non-empty http.nonProxyHosts; only an empty value
            // sends loopback through the proxy (the API call then goes through it too)
            .property("http.nonProxyHosts", "")
            .run("--url", "http://localhost:" + api.port() + "/api/data");

    assertThat(run.ok()).as(run.toString()).isEqualTo(1);
    List<LoggedRequest> proxied = proxy.findAll(anyRequestedFor(urlPathEqualTo(FakeIdp.PATH)));
    assertThat(proxied).hasSize(1);
    assertThat(proxied.get(0).getAbsoluteUrl()).isEqualTo(idp.tokenEndpoint());
    assertThat(idp.tokenRequests()).hasSize(1);
    assertThat(api.findAll(anyRequestedFor(urlPathEqualTo("/api/data"))).get(0).getHeader("Authorization"))
        .isEqualTo("Bearer " + idp.issued().get(0));
  }
}
