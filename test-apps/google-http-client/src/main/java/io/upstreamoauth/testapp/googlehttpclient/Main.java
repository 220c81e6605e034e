package io.upstreamoauth.testapp.googlehttpclient;

import com.google.api.client.http.ByteArrayContent;
import com.google.api.client.http.GenericUrl;
import com.google.api.client.http.HttpRequest;
import com.google.api.client.http.HttpRequestFactory;
import com.google.api.client.http.HttpResponse;
import com.google.api.client.http.HttpResponseException;
import com.google.api.client.http.HttpTransport;
import com.google.api.client.http.javanet.NetHttpTransport;
import io.upstreamoauth.testapp.support.Driver;
import io.upstreamoauth.testapp.support.HttpCaller;
import java.util.Collections;
import java.util.Map;

/**
 * An application calling APIs with the Google HTTP Client on its {@code NetHttpTransport}
 * (HttpURLConnection), as the client's guide writes it: one request factory, {@code execute()}.
 * An error status comes as the client's {@code HttpResponseException}, which the app reads.
 */
public final class Main implements HttpCaller {

  private final HttpTransport transport = new NetHttpTransport();
  private final HttpRequestFactory requests = transport.createRequestFactory();

  public static void main(String[] args) throws Exception {
    Driver.run(args, new Main());
  }

  @Override
  public Response call(String method, String url, String body, Map<String, String> headers) throws Exception {
    HttpRequest request = requests.buildRequest(method, new GenericUrl(url),
        body == null ? null : ByteArrayContent.fromString("text/plain; charset=utf-8", body));
    for (Map.Entry<String, String> header : headers.entrySet()) {
      request.getHeaders().set(header.getKey(), Collections.singletonList(header.getValue()));
    }
    String via = transport.getClass().getName() + " HTTP/1.1";
    try {
      HttpResponse response = request.execute();
      try {
        return new Response(response.getStatusCode(), response.parseAsString(), via);
      } finally {
        response.disconnect();
      }
    } catch (HttpResponseException e) {
      return new Response(e.getStatusCode(), e.getContent() == null ? "" : e.getContent(), via);
    }
  }
}
