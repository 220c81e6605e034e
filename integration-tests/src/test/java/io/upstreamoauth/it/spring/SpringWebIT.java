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
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The common real-world stack, untouched: Spring's RestTemplate and RestClient on each request
 * factory (HttpURLConnection, java.net.http, Apache HttpClient 5, OkHttp 4). Each request's
 * User-Agent, the client library's own, shows which client really sent it.
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

  /** The factory's class and the User-Agent its client library sends by default. */
  private static final Map<String, String[]> FACTORIES = Map.of(
      "simple", new String[] {"SimpleClientHttpRequestFactory", "Java/\\d.*"},
      "jdk", new String[] {"JdkClientHttpRequestFactory", "Java-http-client/\\d.*"},
      "apache5", new String[] {"HttpComponentsClientHttpRequestFactory", "Apache-HttpClient/5\\..*"},
      "okhttp", new String[] {"OkHttp3ClientHttpRequestFactory", "okhttp/4\\..*"});

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

    // every factory here follows redirects (the app gives the JDK one a client that does)
    AppRun redirect = app(api, factory).run("--url", url("/api/redirect-away"));
    assertThat(redirect.results()).as(redirect.toString()).containsExactly("200 other");
    // a new JVM: its own token
    assertThat(authorizations(SpringWebIT.api, "/api/redirect-away")).containsExactly("Bearer " + idp.issued().get(1));
    assertThat(authorizations(other, "/landing")).as("the other host was reached, without the token")
        .containsExactly("<none>");

    String userAgent = FACTORIES.get(factory)[1];
    for (WireMockServer server : List.of(SpringWebIT.api, other)) {
      assertThat(server.getAllServeEvents()).hasSizeGreaterThan(0).allSatisfy(event ->
          assertThat(event.getRequest().getHeader("User-Agent")).as("the factory's client sent it").matches(userAgent));
    }
  }

  @ParameterizedTest(name = "app.factory={0}")
  @CsvSource({"typo", "''"})
  void unknownFactory_appRefusesToStart_ratherThanTestAnother(String factory) throws Exception {
    AppRun run = app("rest-template", factory).expectExitCode(1).run("--url", url("/api/data"));

    assertThat(run.stderr()).contains("unknown app.factory '" + factory + "'");
    assertThat(authorizations(api, "/api/data")).isEmpty();
  }

  private static AgentApp app(String restApi, String factory) {
    AgentApp app = AgentApp.of("spring-web");
    if (FACTORIES.containsKey(factory)) {
      String factoryClass = "org\\.springframework\\.http\\.client\\." + FACTORIES.get(factory)[0];
      app.check(run -> assertThat(run.via()).as(run.toString())
          .hasSize(run.ok() + run.other())
          .allSatisfy(via -> assertThat(via).matches("Rest(Template|Client) " + factoryClass)));
    }
    return app
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
