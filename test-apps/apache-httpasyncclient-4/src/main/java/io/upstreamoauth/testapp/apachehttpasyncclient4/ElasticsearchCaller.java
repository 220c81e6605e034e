package io.upstreamoauth.testapp.apachehttpasyncclient4;

import io.upstreamoauth.testapp.support.HttpCaller;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.http.HttpEntity;
import org.apache.http.HttpHost;
import org.apache.http.entity.ContentType;
import org.apache.http.nio.entity.NStringEntity;
import org.apache.http.util.EntityUtils;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.RequestOptions;
import org.elasticsearch.client.ResponseException;
import org.elasticsearch.client.ResponseListener;
import org.elasticsearch.client.RestClient;

/**
 * Calls an API through the Elasticsearch low-level {@code RestClient} (on HttpAsyncClient 4.1):
 * {@code performRequest}, or {@code performRequestAsync} with {@code --async}. One client per
 * host, as an application has one per cluster. An error status comes as {@code ResponseException},
 * whose response the app reads like any other.
 */
final class ElasticsearchCaller implements HttpCaller, AutoCloseable {

  private final Map<String, RestClient> clients = new ConcurrentHashMap<>();

  private RestClient client(URI uri) {
    return clients.computeIfAbsent(
        uri.getScheme() + "://" + uri.getAuthority(),
        key -> RestClient.builder(new HttpHost(uri.getHost(), uri.getPort(), uri.getScheme())).build());
  }

  private static Request request(URI uri, String method, String body, Map<String, String> headers) {
    Request request = new Request(method, uri.getRawPath());
    if (uri.getRawQuery() != null) {
      for (String pair : uri.getRawQuery().split("&")) {
        int equals = pair.indexOf('=');
        request.addParameter(equals < 0 ? pair : pair.substring(0, equals), equals < 0 ? "" : pair.substring(equals + 1));
      }
    }
    RequestOptions.Builder options = RequestOptions.DEFAULT.toBuilder();
    headers.forEach(options::addHeader);
    request.setOptions(options);
    if (body != null) {
      request.setEntity(new NStringEntity(body, ContentType.create("text/plain", StandardCharsets.UTF_8)));
    }
    return request;
  }

  @Override
  public Response call(String method, String url, String body, Map<String, String> headers) throws Exception {
    URI uri = URI.create(url);
    try {
      return read(client(uri).performRequest(request(uri, method, body, headers)));
    } catch (ResponseException e) {
      return read(e.getResponse());
    }
  }

  @Override
  public CompletableFuture<Response> callAsync(String method, String url, String body, Map<String, String> headers) {
    URI uri = URI.create(url);
    CompletableFuture<Response> result = new CompletableFuture<>();
    client(uri).performRequestAsync(
        request(uri, method, body, headers),
        new ResponseListener() {
          @Override
          public void onSuccess(org.elasticsearch.client.Response response) {
            complete(response);
          }

          @Override
          public void onFailure(Exception e) {
            if (e instanceof ResponseException) {
              complete(((ResponseException) e).getResponse());
            } else {
              result.completeExceptionally(e);
            }
          }

          private void complete(org.elasticsearch.client.Response response) {
            try {
              result.complete(read(response));
            } catch (IOException | RuntimeException e) {
              result.completeExceptionally(e);
            }
          }
        });
    return result;
  }

  private static Response read(org.elasticsearch.client.Response response) throws IOException {
    HttpEntity entity = response.getEntity();
    return new Response(
        response.getStatusLine().getStatusCode(),
        entity == null ? "" : EntityUtils.toString(entity, StandardCharsets.UTF_8),
        RestClient.class.getName() + " " + response.getStatusLine().getProtocolVersion());
  }

  @Override
  public void close() throws IOException {
    for (RestClient client : clients.values()) {
      client.close();
    }
  }
}
