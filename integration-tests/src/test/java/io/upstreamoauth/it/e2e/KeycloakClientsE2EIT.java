package io.upstreamoauth.it.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.upstreamoauth.it.support.AgentApp;
import io.upstreamoauth.it.support.AppRun;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every client's unchanged test app, on every JDK of e2e.java.homes, makes one call with a token
 * from the real Keycloak (client_secret_basic): the call carries a real token, and the client
 * that sent it is the intended one (the app's VIA line and the request's own User-Agent).
 */
class KeycloakClientsE2EIT extends AbstractKeycloakE2EIT {

  /** name, app, app properties (name=value,...), VIA pattern, User-Agent pattern. */
  private static final String[][] CLIENTS = {
    {"HttpURLConnection", "http-url-connection", "", "sun\\.net\\.www\\.protocol\\.http\\.HttpURLConnection .*", "Java/\\d.*"},
    {"java.net.http", "java-http-client", "", "jdk\\.internal\\.net\\.http\\.HttpClientFacade HTTP_1_1", "Java-http-client/\\d.*"},
    {"java.net.http h2c", "java-http-client", "app.http.version=HTTP_2", "jdk\\.internal\\.net\\.http\\.HttpClientFacade HTTP_2", "Java-http-client/\\d.*"},
    {"Apache 4.3", "apache-httpclient-4/apache-httpclient-4.3", "", "org\\.apache\\.http\\.impl\\.client\\.InternalHttpClient .*", "Apache-HttpClient/4\\.3\\.6 .*"},
    {"Apache 4.3 legacy", "apache-httpclient-4/apache-httpclient-4.3", "app.client=legacy", "org\\.apache\\.http\\.impl\\.client\\.DefaultHttpClient .*", "Apache-HttpClient/4\\.3\\.6 .*"},
    {"Apache 4.5", "apache-httpclient-4/apache-httpclient-4.5", "", "org\\.apache\\.http\\.impl\\.client\\.InternalHttpClient .*", "Apache-HttpClient/4\\.5\\.14 .*"},
    {"Apache 4.5 legacy", "apache-httpclient-4/apache-httpclient-4.5", "app.client=legacy", "org\\.apache\\.http\\.impl\\.client\\.DefaultHttpClient .*", "Apache-HttpClient/4\\.5\\.14 .*"},
    {"Apache 5.0", "apache-httpclient-5/apache-httpclient-5.0", "", "org\\.apache\\.hc\\.client5\\.http\\.impl\\.classic\\.InternalHttpClient .*", "Apache-HttpClient/5\\.0\\.4 .*"},
    {"Apache 5.0 minimal", "apache-httpclient-5/apache-httpclient-5.0", "app.client=minimal", "org\\.apache\\.hc\\.client5\\.http\\.impl\\.classic\\.MinimalHttpClient .*", "Apache-HttpClient/5\\.0\\.4 .*"},
    {"Apache 5.0 async", "apache-httpclient-5/apache-httpclient-5.0", "app.async=true,app.http.version=HTTP_1_1", "org\\.apache\\.hc\\.client5\\.http\\.impl\\.async\\.InternalHttpAsyncClient .*", "Apache-HttpAsyncClient/5\\.0\\.4 .*"},
    {"Apache 5.6", "apache-httpclient-5/apache-httpclient-5.6", "", "org\\.apache\\.hc\\.client5\\.http\\.impl\\.classic\\.InternalHttpClient .*", "Apache-HttpClient/5\\.6\\.5 .*"},
    {"Apache 5.6 minimal", "apache-httpclient-5/apache-httpclient-5.6", "app.client=minimal", "org\\.apache\\.hc\\.client5\\.http\\.impl\\.classic\\.MinimalHttpClient .*", "Apache-HttpClient/5\\.6\\.5 .*"},
    {"Apache 5.6 async", "apache-httpclient-5/apache-httpclient-5.6", "app.async=true", "org\\.apache\\.hc\\.client5\\.http\\.impl\\.async\\.InternalHttpAsyncClient .*", "Apache-HttpAsyncClient/5\\.6\\.5 .*"},
    {"HttpAsyncClient 4.1", "apache-httpasyncclient-4/apache-httpasyncclient-4.1.0", "", "org\\.apache\\.http\\.impl\\.nio\\.client\\.InternalHttpAsyncClient .*", "Apache-HttpAsyncClient/4\\.1 .*"},
    {"HttpAsyncClient 4.1.5", "apache-httpasyncclient-4/apache-httpasyncclient-4.1.5", "", "org\\.apache\\.http\\.impl\\.nio\\.client\\.InternalHttpAsyncClient .*", "Apache-HttpAsyncClient/4\\.1\\.5 .*"},
    {"Elasticsearch RestClient 9", "apache-httpasyncclient-4/apache-httpasyncclient-4.1.5", "app.client=elasticsearch", "org\\.elasticsearch\\.client\\.RestClient .*", "elasticsearch-java/9\\.5\\.6 .*"},
    {"OkHttp 3.12", "okhttp/okhttp-3.12", "", "okhttp3\\.OkHttpClient .*", "okhttp/3\\.12\\.13"},
    {"OkHttp 3.14", "okhttp/okhttp-3", "", "okhttp3\\.OkHttpClient .*", "okhttp/3\\.14\\.9"},
    {"OkHttp 4", "okhttp/okhttp-4", "app.async=true", "okhttp3\\.OkHttpClient .*", "okhttp/4\\.12\\.0"},
    {"OkHttp 5", "okhttp/okhttp-5", "", "okhttp3\\.OkHttpClient .*", "okhttp/5\\.5\\.1"},
    {"Spring RestTemplate simple", "spring-web", "app.api=rest-template,app.factory=simple", ".*SimpleClientHttpRequestFactory", "Java/\\d.*"},
    {"Spring RestClient jdk", "spring-web", "app.api=rest-client,app.factory=jdk", ".*JdkClientHttpRequestFactory", "Java-http-client/\\d.*"},
    {"Spring RestTemplate apache5", "spring-web", "app.api=rest-template,app.factory=apache5", ".*HttpComponentsClientHttpRequestFactory", "Apache-HttpClient/5\\..*"},
    {"Spring RestClient okhttp", "spring-web", "app.api=rest-client,app.factory=okhttp", ".*OkHttp3ClientHttpRequestFactory", "okhttp/4\\..*"},
  };

  static Stream<Arguments> clientsOnEveryJdk() {
    List<Arguments> cases = new ArrayList<>();
    for (Arguments jdk : jdks()) {
      for (String[] client : CLIENTS) {
        cases.add(Arguments.of(jdk.get()[0], client[0], client[1], client[2], client[3], client[4]));
      }
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("clientsOnEveryJdk")
  void oneCall_carriesARealKeycloakToken_sentByTheIntendedClient(
      Path jdk, String name, String appName, String properties, String via, String userAgent) throws Exception {
    int tokensBefore = realm.admin.countEvents(E2eRealm.NAME, E2eRealm.SECRET_CLIENT, "CLIENT_LOGIN");
    AgentApp app = app(jdk, appName, E2eRealm.SECRET_CLIENT).oauth("client-secret", E2eRealm.SECRET);
    for (String property : properties.split(",")) {
      if (!property.isEmpty()) {
        app.property(property.substring(0, property.indexOf('=')), property.substring(property.indexOf('=') + 1));
      }
    }

    AppRun run = app.run("--url", upstreamUrl());

    assertThat(run.ok()).as(run.toString()).isEqualTo(1);
    assertThat(run.via()).as(run.toString()).singleElement().asString().matches(via);
    assertThat(upstreamRequests()).hasSize(1);
    LoggedRequest request = upstreamRequests().get(0);
    // the JDK's own clients name the JDK that ran them: the app really ran on this one
    assertThat(request.getHeader("User-Agent")).matches(userAgent.replace("\\d.*", E2eJdks.featureVersion(jdk) + "(\\..*)?"));
    assertThat(request.getHeader("Authorization")).startsWith("Bearer ");
    assertThat(realm.admin.countEvents(E2eRealm.NAME, E2eRealm.SECRET_CLIENT, "CLIENT_LOGIN") - tokensBefore).isEqualTo(1);
    RealToken.verify(realm, request.getHeader("Authorization").substring("Bearer ".length()), E2eRealm.SECRET_CLIENT);
  }
}
