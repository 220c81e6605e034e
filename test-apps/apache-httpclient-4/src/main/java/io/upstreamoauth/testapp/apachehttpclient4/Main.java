package io.upstreamoauth.testapp.apachehttpclient4;

import io.upstreamoauth.testapp.support.Driver;
import io.upstreamoauth.testapp.support.HttpCaller;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.http.HttpEntity;
import org.apache.http.HttpResponse;
import org.apache.http.client.ResponseHandler;
import org.apache.http.client.config.RequestConfig;
import org.apache.http.client.methods.CloseableHttpResponse;
import org.apache.http.client.methods.HttpUriRequest;
import org.apache.http.client.methods.RequestBuilder;
import org.apache.http.client.protocol.HttpClientContext;
import org.apache.http.client.utils.URIUtils;
import org.apache.http.entity.ContentType;
import org.apache.http.entity.StringEntity;
import org.apache.http.impl.client.CloseableHttpClient;
import org.apache.http.impl.client.HttpClients;
import org.apache.http.util.EntityUtils;

/**
 * Calls an API with Apache HttpClient 4.x, one pooled client shared by all threads. Requests take
 * turns through three {@code execute} overloads, as different parts of a real application would.
 *
 * <p>With {@code -Dapp.client=legacy} the client is a {@code DefaultHttpClient} set up the way code
 * written for HttpClient 4.0–4.2 does it (deprecated since 4.3, still common in old services).
 */
public final class Main implements HttpCaller {


  private final CloseableHttpClient client =
      "legacy".equals(System.getProperty("app.client")) ? legacyClient() : builtClient();
  private final AtomicInteger calls = new AtomicInteger();
  private final ResponseHandler<Response> read = this::read;

  private static CloseableHttpClient builtClient() {
    return HttpClients.custom()
        .useSystemProperties()
        .setMaxConnPerRoute(32)
        .setMaxConnTotal(64)
        .setDefaultRequestConfig(
            RequestConfig.custom().setConnectTimeout(10000).setSocketTimeout(30000).build())
        .build();
  }

  @SuppressWarnings("deprecation")
  private static CloseableHttpClient legacyClient() {
    org.apache.http.impl.conn.PoolingClientConnectionManager connections =
        new org.apache.http.impl.conn.PoolingClientConnectionManager(
            org.apache.http.impl.conn.SchemeRegistryFactory.createSystemDefault());
    connections.setMaxTotal(64);
    connections.setDefaultMaxPerRoute(32);
    org.apache.http.impl.client.DefaultHttpClient legacy =
        new org.apache.http.impl.client.DefaultHttpClient(connections);
    org.apache.http.params.HttpConnectionParams.setConnectionTimeout(legacy.getParams(), 10000);
    org.apache.http.params.HttpConnectionParams.setSoTimeout(legacy.getParams(), 30000);
    return legacy;
  }

  public static void main(String[] args) throws Exception {
    Driver.run(args, new Main());
  }

  @Override
  public Response call(String method, String url, String body, Map<String, String> headers)
      throws Exception {
    RequestBuilder builder = RequestBuilder.create(method).setUri(url);
    for (Map.Entry<String, String> header : headers.entrySet()) {
      builder.addHeader(header.getKey(), header.getValue());
    }
    if (body != null) {
      builder.setEntity(new StringEntity(body, ContentType.create("text/plain", StandardCharsets.UTF_8)));
    }
    HttpUriRequest request = builder.build();
    switch (calls.getAndIncrement() % 3) {
      case 0:
        return client.execute(request, read);
      case 1:
        try (CloseableHttpResponse response = client.execute(request)) {
          return read(response);
        }
      default:
        return client.execute(URIUtils.extractHost(URI.create(url)), request, read, HttpClientContext.create());
    }
  }

  private Response read(HttpResponse response) throws IOException {
    HttpEntity entity = response.getEntity();
    String text = entity == null ? "" : EntityUtils.toString(entity, StandardCharsets.UTF_8);
    return new Response(response.getStatusLine().getStatusCode(), text,
        client.getClass().getName() + " " + response.getStatusLine().getProtocolVersion());
  }
}
