package io.upstreamoauth.it.spring;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.upstreamoauth.it.support.AgentApp;
import io.upstreamoauth.it.support.AppRun;
import io.upstreamoauth.it.support.FakeIdp;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The common real-world stack, untouched: Spring's RestTemplate and RestClient on each request
 * factory (HttpURLConnection, java.net.http, Apache HttpClient 5, OkHttp 4).
 */
class SpringWebIT {

  private static FakeIdp idp;
  private static WireMockServer api;
  private static WireMockServer other;

  @BeforeAll
  static void start() {
    idp = new FakeIdp();
    api = new WireMockServer(options().dynamicPort());
    api.start();
    other = new WireMockServer(options().dynamicPort());
    other.start();
  }

  @AfterAll
  static void stop() {
    idp.close();
    api.stop();
    other.stop();
  }

  @BeforeEach
  void reset() {
    idp.issueTokens(3600);
    api.resetAll();
    other.resetAll();
    api.stubFor(any(urlPathMatching("/api/.*")).willReturn(aResponse().withStatus(200).withBody("ok")));
    api.stubFor(
        any(urlPathEqualTo("/api/redirect-away"))
            .willReturn(aResponse().withStatus(302).withHeader("Location", "http://127.0.0.1:" + other.port() + "/landing")));
    other.stubFor(any(urlPathMatching("/.*")).willReturn(aResponse().withStatus(200).withBody("other")));
  }

  @ParameterizedTest(name = "{0} on {1}")
  @CsvSource({
    "rest-template, simple", "rest-template, jdk", "rest-template, apache5", "rest-template, okhttp",
    "rest-client, simple", "rest-client, jdk", "rest-client, apache5", "rest-client, okhttp"
  })
  void calls_carryOneToken_andRedirectsToAnotherHostDoNot(String api, String factory) throws Exception {
    AppRun run =
        app(api, factory).run("--url", url("/api/data"), "--count", "20", "--threads", "4", "--method", "POST", "--body", "hello");

    assertThat(run.ok()).as(run.toString()).isEqualTo(20);
    assertThat(idp.tokenRequests()).hasSize(1);
    assertThat(authorizations(SpringWebIT.api, "/api/data")).hasSize(20).containsOnly("Bearer " + idp.issued().get(0));

    AppRun redirect = app(api, factory).run("--url", url("/api/redirect-away"));
    // RestTemplate on OkHttp and Apache follow the redirect; a 302 is also a fine outcome for the
    // others: what matters is that the other host never sees the token
    assertThat(redirect.errors()).as(redirect.toString()).isZero();
    assertThat(authorizations(other, "/landing")).doesNotContain("Bearer " + idp.issued().get(0))
        .allMatch(value -> value.equals("<none>"));
  }

  private static AgentApp app(String restApi, String factory) {
    return AgentApp.of("spring-web")
        .property("app.api", restApi)
        .property("app.factory", factory)
        .oauth("hosts", "localhost:" + api.port())
        .oauth("token-endpoint", idp.tokenEndpoint())
        .oauth("client-id", "spring-app")
        .oauth("client-secret", "spring-secret");
  }

  private static String url(String path) {
    return "http://localhost:" + api.port() + path;
  }

  private static List<String> authorizations(WireMockServer server, String path) {
    return server.findAll(anyRequestedFor(urlPathEqualTo(path))).stream()
        .map(request -> request.containsHeader("Authorization") ? request.getHeader("Authorization") : "<none>")
        .collect(Collectors.toList());
  }
}
