package io.upstreamoauth.testapp.apachehttpasyncclient4;

import io.upstreamoauth.testapp.support.Driver;
import io.upstreamoauth.testapp.support.HttpCaller;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.http.HttpEntity;
import org.apache.http.HttpHost;
import org.apache.http.HttpResponse;
import org.apache.http.client.methods.HttpUriRequest;
import org.apache.http.client.methods.RequestBuilder;
import org.apache.http.concurrent.FutureCallback;
import org.apache.http.entity.ContentType;
import org.apache.http.entity.StringEntity;
import org.apache.http.impl.client.LaxRedirectStrategy;
import org.apache.http.impl.nio.client.CloseableHttpAsyncClient;
import org.apache.http.impl.nio.client.HttpAsyncClients;
import org.apache.http.nio.client.methods.HttpAsyncMethods;
import org.apache.http.util.EntityUtils;

/**
 * Calls an API with Apache HttpAsyncClient 4.1: one client shared by all threads, blocking on
 * the returned {@code Future} ({@link #call}) or completing through a {@code FutureCallback}
 * ({@code --async}), taking turns through the {@code execute} overloads as different parts of an
 * application would. {@code -Dapp.redirects=lax} follows redirects of POST too ({@code
 * LaxRedirectStrategy}). With {@code -Dapp.client=elasticsearch} every call goes through the
 * Elasticsearch low-level {@code RestClient} instead ({@link ElasticsearchCaller}).
 */
public final class Main implements HttpCaller {

  private static final ContentType TEXT = ContentType.create("text/plain", StandardCharsets.UTF_8);

  private final CloseableHttpAsyncClient client =
      "lax".equals(System.getProperty("app.redirects"))
          ? HttpAsyncClients.custom().useSystemProperties().setRedirectStrategy(new LaxRedirectStrategy()).build()
          : HttpAsyncClients.custom().useSystemProperties().build();
  private final AtomicInteger calls = new AtomicInteger();

  public static void main(String[] args) throws Exception {
    if ("elasticsearch".equals(System.getProperty("app.client"))) {
      try (ElasticsearchCaller caller = new ElasticsearchCaller()) {
        Driver.run(args, caller);
      }
      return;
    }
    Main app = new Main();
    app.client.start();
    try {
      Driver.run(args, app);
    } finally {
      app.client.close();
    }
  }

  private HttpUriRequest request(String method, String url, String body, Map<String, String> headers) {
    RequestBuilder builder = RequestBuilder.create(method).setUri(URI.create(url));
    headers.forEach(builder::addHeader);
    if (body != null) {
      builder.setEntity(new StringEntity(body, TEXT));
    }
    return builder.build();
  }

  @Override
  public Response call(String method, String url, String body, Map<String, String> headers) throws Exception {
    HttpUriRequest request = request(method, url, body, headers);
    HttpResponse response;
    if (calls.getAndIncrement() % 2 == 0) {
      response = client.execute(request, null).get();
    } else {
      URI uri = request.getURI();
      HttpHost target = new HttpHost(uri.getHost(), uri.getPort(), uri.getScheme());
      response = client.execute(HttpAsyncMethods.create(target, request), HttpAsyncMethods.createConsumer(), null).get();
    }
    return read(response);
  }

  private Response read(HttpResponse response) throws IOException {
    HttpEntity entity = response.getEntity();
    return new Response(
        response.getStatusLine().getStatusCode(),
        entity == null ? "" : EntityUtils.toString(entity, StandardCharsets.UTF_8),
        client.getClass().getName() + " " + response.getStatusLine().getProtocolVersion());
  }

  @Override
  public CompletableFuture<Response> callAsync(String method, String url, String body, Map<String, String> headers) {
    CompletableFuture<Response> result = new CompletableFuture<>();
    FutureCallback<HttpResponse> callback =
        new FutureCallback<HttpResponse>() {
          @Override
          public void completed(HttpResponse response) {
            try {
              result.complete(read(response));
            } catch (IOException | RuntimeException e) {
              result.completeExceptionally(e);
            }
          }

          @Override
          public void failed(Exception e) {
            result.completeExceptionally(e);
          }

          @Override
          public void cancelled() {
            result.cancel(false);
          }
        };
    client.execute(request(method, url, body, headers), callback);
    return result;
  }
}
