package io.upstreamoauth.testapp.javahttpclient;

import io.upstreamoauth.testapp.support.Driver;
import io.upstreamoauth.testapp.support.HttpCaller;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** Calls an API with java.net.http.HttpClient (JDK 11+), synchronously or asynchronously. */
public final class Main implements HttpCaller {

  private final HttpClient client;

  private Main(HttpClient.Version version) {
    this.client =
        HttpClient.newBuilder()
            .version(version)
            .followRedirects(HttpClient.Redirect.NORMAL)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
  }

  public static void main(String[] args) throws Exception {
    HttpClient.Version version =
        "HTTP_2".equals(System.getProperty("app.http.version"))
            ? HttpClient.Version.HTTP_2
            : HttpClient.Version.HTTP_1_1;
    Driver.run(args, new Main(version));
  }

  private HttpRequest request(String method, String url, String body, Map<String, String> headers) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(URI.create(url))
            .timeout(Duration.ofSeconds(30))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    headers.forEach(builder::header);
    return builder.build();
  }

  @Override
  public Response call(String method, String url, String body, Map<String, String> headers)
      throws Exception {
    HttpResponse<String> response =
        client.send(request(method, url, body, headers), HttpResponse.BodyHandlers.ofString());
    return response(response);
  }

  @Override
  public CompletableFuture<Response> callAsync(
      String method, String url, String body, Map<String, String> headers) {
    return client
        .sendAsync(request(method, url, body, headers), HttpResponse.BodyHandlers.ofString())
        .thenApply(this::response);
  }

  /** The client's class and the protocol version the exchange really used (h2c shows as HTTP_2). */
  private Response response(HttpResponse<String> response) {
    return new Response(response.statusCode(), response.body(), client.getClass().getName() + " " + response.version());
  }
}
