package io.upstreamoauth.testapp.openfeign;

import feign.Client;
import feign.Feign;
import feign.HeaderMap;
import feign.RequestLine;
import feign.Retryer;
import feign.Target;
import io.upstreamoauth.testapp.support.Driver;
import io.upstreamoauth.testapp.support.HttpCaller;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * An application calling APIs through a Feign interface, as Feign's README writes one, on the
 * client named by {@code -Dapp.client=default|okhttp}; any other value stops the app, so a typo
 * cannot quietly test another client. The methods return {@code feign.Response}, so an error
 * status is read, not thrown; an I/O failure comes as Feign's own {@code RetryableException}.
 *
 * <p>The app retries nothing ({@code Retryer.NEVER_RETRY}, which Spring Cloud OpenFeign sets by
 * default): each call is one request, as the shared suite counts them. With {@code
 * -Dapp.retryer=feign-default} it keeps the retryer {@code Feign.builder()} comes with, which
 * sends a call that failed with an IOException up to five times.
 */
public final class Main implements HttpCaller {

  /** The API, called at any URL: a {@code URI} argument replaces the target's. */
  interface Api {
    @RequestLine("GET")
    feign.Response get(URI url, @HeaderMap Map<String, String> headers);

    @RequestLine("POST")
    feign.Response post(URI url, @HeaderMap Map<String, String> headers, String body);
  }

  private final Api api;
  private final String via;

  private Main(Client client, Retryer retryer) {
    this.api = Feign.builder().client(client).retryer(retryer).target(Target.EmptyTarget.create(Api.class));
    this.via = client.getClass().getName();
  }

  public static void main(String[] args) throws Exception {
    Driver.run(args, new Main(client(System.getProperty("app.client", "default")),
        retryer(System.getProperty("app.retryer", "never"))));
  }

  private static Retryer retryer(String name) {
    switch (name) {
      case "never":
        return Retryer.NEVER_RETRY;
      case "feign-default":
        return new Retryer.Default(); // what Feign.builder() uses when given none
      default:
        throw new IllegalArgumentException("unknown app.retryer '" + name + "': never or feign-default");
    }
  }

  private static Client client(String name) {
    switch (name) {
      case "default":
        return new Client.Default(null, null); // what Feign.builder() uses when given none
      case "okhttp":
        return new feign.okhttp.OkHttpClient();
      default:
        throw new IllegalArgumentException("unknown app.client '" + name + "': default or okhttp");
    }
  }

  @Override
  public Response call(String method, String url, String body, Map<String, String> headers) throws Exception {
    URI uri = URI.create(url);
    feign.Response response;
    if (method.equals("GET")) {
      response = api.get(uri, headers);
    } else if (method.equals("POST")) {
      response = api.post(uri, headers, body == null ? "" : body);
    } else {
      throw new IllegalArgumentException("the Feign app knows GET and POST, not " + method);
    }
    try (feign.Response closing = response) {
      return new Response(response.status(), read(response), via + " " + response.protocolVersion());
    }
  }

  private static String read(feign.Response response) throws IOException {
    if (response.body() == null) {
      return "";
    }
    try (InputStream in = response.body().asInputStream()) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buffer = new byte[8192];
      for (int n; (n = in.read(buffer)) > 0; ) {
        out.write(buffer, 0, n);
      }
      return new String(out.toByteArray(), StandardCharsets.UTF_8);
    }
  }
}
