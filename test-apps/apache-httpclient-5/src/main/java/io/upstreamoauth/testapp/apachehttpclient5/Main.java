package io.upstreamoauth.testapp.apachehttpclient5;

import io.upstreamoauth.testapp.support.Driver;
import io.upstreamoauth.testapp.support.HttpCaller;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hc.client5.http.async.methods.SimpleHttpRequest;
import org.apache.hc.client5.http.async.methods.SimpleHttpResponse;
import org.apache.hc.client5.http.async.methods.SimpleRequestProducer;
import org.apache.hc.client5.http.async.methods.SimpleResponseConsumer;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClientBuilder;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.CloseableHttpResponse;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.ParseException;
import org.apache.hc.core5.http.io.HttpClientResponseHandler;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.apache.hc.core5.http2.HttpVersionPolicy;

/**
 * Calls an API with Apache HttpClient 5.x: the classic client, or the async one ({@code --async},
 * or {@code -Dapp.async=true} for every call; {@code -Dapp.http.version=HTTP_2} or {@code
 * HTTP_1_1} builds it for that version only). One client of each kind is shared by all threads, and calls take turns through
 * several {@code execute} overloads, as different parts of a real application would. With {@code
 * -Dapp.client=minimal} the classic client is {@code HttpClients.createMinimal()}.
 */
public final class Main implements HttpCaller {

  private static final ContentType TEXT = ContentType.create("text/plain", StandardCharsets.UTF_8);

  private final CloseableHttpClient client =
      "minimal".equals(System.getProperty("app.client"))
          ? HttpClients.createMinimal()
          : HttpClients.custom().useSystemProperties().build();
  private final CloseableHttpAsyncClient async = asyncClient(System.getProperty("app.http.version", ""));
  private final AtomicInteger calls = new AtomicInteger();
  private final HttpClientResponseHandler<Response> read = this::read;

  public static void main(String[] args) throws Exception {
    if (Boolean.getBoolean("app.async")) {
      args = Arrays.copyOf(args, args.length + 1);
      args[args.length - 1] = "--async";
    }
    Main app = new Main();
    app.async.start();
    try {
      Driver.run(args, app);
    } finally {
      app.client.close();
      app.async.close();
    }
  }

  /** HTTP_2: HTTP/2 only; HTTP_1_1: HTTP/1.1 only; otherwise the default (ALPN over TLS). */
  private static CloseableHttpAsyncClient asyncClient(String version) {
    if (version.equals("HTTP_2")) {
      return HttpAsyncClients.customHttp2().useSystemProperties().build();
    }
    HttpAsyncClientBuilder builder = HttpAsyncClients.custom().useSystemProperties();
    if (version.equals("HTTP_1_1")) {
      builder.setVersionPolicy(HttpVersionPolicy.FORCE_HTTP_1);
    }
    return builder.build();
  }

  @Override
  public Response call(String method, String url, String body, Map<String, String> headers)
      throws Exception {
    URI uri = URI.create(url);
    HttpUriRequestBase request = new HttpUriRequestBase(method, uri);
    headers.forEach(request::addHeader);
    if (body != null) {
      request.setEntity(new StringEntity(body, TEXT));
    }
    switch (calls.getAndIncrement() % 3) {
      case 0:
        return client.execute(request, read);
      case 1:
        try (CloseableHttpResponse response = client.execute(request)) {
          return read(response);
        }
      default:
        HttpHost target = new HttpHost(uri.getScheme(), uri.getHost(), uri.getPort());
        return client.execute(target, request, HttpClientContext.create(), read);
    }
  }

  private Response read(ClassicHttpResponse response) throws IOException, ParseException {
    HttpEntity entity = response.getEntity();
    return new Response(response.getCode(), entity == null ? "" : EntityUtils.toString(entity, StandardCharsets.UTF_8),
        client.getClass().getName() + " " + response.getVersion());
  }

  @Override
  public CompletableFuture<Response> callAsync(
      String method, String url, String body, Map<String, String> headers) {
    SimpleHttpRequest request = new SimpleHttpRequest(method, URI.create(url));
    headers.forEach(request::addHeader);
    if (body != null) {
      request.setBody(body, TEXT);
    }
    CompletableFuture<Response> result = new CompletableFuture<>();
    FutureCallback<SimpleHttpResponse> callback =
        new FutureCallback<SimpleHttpResponse>() {
          @Override
          public void completed(SimpleHttpResponse response) {
            String text = response.getBodyText();
            result.complete(new Response(response.getCode(), text == null ? "" : text,
                async.getClass().getName() + " " + response.getVersion()));
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
    if (calls.getAndIncrement() % 2 == 0) {
      async.execute(request, callback);
    } else {
      async.execute(SimpleRequestProducer.create(request), SimpleResponseConsumer.create(), callback);
    }
    return result;
  }
}
