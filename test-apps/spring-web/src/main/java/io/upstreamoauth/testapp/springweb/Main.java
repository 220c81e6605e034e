package io.upstreamoauth.testapp.springweb;

import io.upstreamoauth.testapp.support.Driver;
import io.upstreamoauth.testapp.support.HttpCaller;
import java.util.Map;
import org.springframework.http.HttpMethod;
import org.springframework.http.ResponseEntity;
import org.springframework.http.client.ClientHttpRequestFactory;
import org.springframework.http.client.HttpComponentsClientHttpRequestFactory;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.http.client.SimpleClientHttpRequestFactory;
import org.springframework.web.client.HttpStatusCodeException;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestTemplate;

/**
 * A Spring application as most are written: RestTemplate or RestClient on a request factory.
 * {@code -Dapp.api=rest-template|rest-client}, {@code -Dapp.factory=simple|jdk|apache5|okhttp};
 * any other value stops the app, so a typo cannot quietly test another factory. Every factory
 * follows redirects (the JDK one is given a client that does: by default it does not).
 */
public final class Main implements HttpCaller {

  private final RestTemplate restTemplate;
  private final RestClient restClient;
  private final String via;

  private Main(ClientHttpRequestFactory factory, boolean useRestClient) {
    this.restTemplate = useRestClient ? null : new RestTemplate(factory);
    this.restClient = useRestClient ? RestClient.builder().requestFactory(factory).build() : null;
    this.via = (useRestClient ? "RestClient" : "RestTemplate") + " " + factory.getClass().getName();
  }

  public static void main(String[] args) throws Exception {
    Driver.run(args, new Main(factory(System.getProperty("app.factory", "simple")),
        useRestClient(System.getProperty("app.api", "rest-template"))));
  }

  private static boolean useRestClient(String api) {
    switch (api) {
      case "rest-template":
        return false;
      case "rest-client":
        return true;
      default:
        throw new IllegalArgumentException("unknown app.api '" + api + "': rest-template or rest-client");
    }
  }

  @SuppressWarnings("removal")
  private static ClientHttpRequestFactory factory(String name) {
    switch (name) {
      case "simple":
        return new SimpleClientHttpRequestFactory();
      case "jdk":
        return new JdkClientHttpRequestFactory(
            java.net.http.HttpClient.newBuilder().followRedirects(java.net.http.HttpClient.Redirect.NORMAL).build());
      case "apache5":
        return new HttpComponentsClientHttpRequestFactory();
      case "okhttp":
        return new org.springframework.http.client.OkHttp3ClientHttpRequestFactory();
      default:
        throw new IllegalArgumentException("unknown app.factory '" + name + "': simple, jdk, apache5 or okhttp");
    }
  }

  @Override
  public Response call(String method, String url, String body, Map<String, String> headers) {
    HttpMethod httpMethod = HttpMethod.valueOf(method);
    if (restClient != null) {
      RestClient.RequestBodySpec spec =
          restClient.method(httpMethod).uri(url).headers(h -> headers.forEach(h::set));
      if (body != null) {
        spec.body(body);
      }
      ResponseEntity<String> entity =
          spec.exchange((request, response) -> ResponseEntity.status(response.getStatusCode())
                  .body(new String(response.getBody().readAllBytes())));
      return new Response(entity.getStatusCode().value(), entity.getBody(), via);
    }
    org.springframework.http.HttpHeaders httpHeaders = new org.springframework.http.HttpHeaders();
    headers.forEach(httpHeaders::set);
    try {
      ResponseEntity<String> entity =
          restTemplate.exchange(url, httpMethod, new org.springframework.http.HttpEntity<>(body, httpHeaders), String.class);
      return new Response(entity.getStatusCode().value(), entity.getBody() == null ? "" : entity.getBody(), via);
    } catch (HttpStatusCodeException e) {
      return new Response(e.getStatusCode().value(), e.getResponseBodyAsString(), via);
    }
  }
}
