package io.upstreamoauth.testapp.jaxrs;

import io.upstreamoauth.testapp.support.Driver;
import io.upstreamoauth.testapp.support.HttpCaller;
import jakarta.ws.rs.client.Client;
import jakarta.ws.rs.client.ClientBuilder;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.client.Invocation;
import jakarta.ws.rs.client.InvocationCallback;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * An application calling APIs with the standard JAX-RS client, whichever implementation is on
 * the class path: {@code ClientBuilder.newClient()}, a sync invocation or, with {@code --async}
 * (or {@code -Dapp.async=true}), an async one with a callback. An error status is a
 * {@code Response} like any other; an I/O failure is the API's {@code ProcessingException}.
 */
public final class Main implements HttpCaller {

  private final Client client = client();

  /**
   * {@code ClientBuilder.newClient()}, or a builder given the implementation's own properties
   * ({@code -Dapp.jaxrs.<name>=<value>}, e.g. RESTEasy's {@code dev.resteasy.client.follow.redirects}).
   */
  private static Client client() {
    ClientBuilder builder = ClientBuilder.newBuilder();
    boolean configured = false;
    for (String name : System.getProperties().stringPropertyNames()) {
      if (name.startsWith("app.jaxrs.")) {
        builder.property(name.substring("app.jaxrs.".length()), System.getProperty(name));
        configured = true;
      }
    }
    return configured ? builder.build() : ClientBuilder.newClient();
  }

  public static void main(String[] args) throws Exception {
    if (Boolean.getBoolean("app.async")) {
      args = Arrays.copyOf(args, args.length + 1);
      args[args.length - 1] = "--async";
    }
    Main app = new Main();
    try {
      Driver.run(args, app);
    } finally {
      app.client.close();
    }
  }

  private Invocation.Builder request(String url, Map<String, String> headers) {
    Invocation.Builder request = client.target(url).request();
    headers.forEach(request::header);
    return request;
  }

  private static Entity<String> entity(String body) {
    return body == null ? null : Entity.text(body);
  }

  /** The implementation's client class; its User-Agent tells the connector that sent the request. */
  private Response response(jakarta.ws.rs.core.Response response) {
    try (jakarta.ws.rs.core.Response closing = response) {
      String body = response.readEntity(String.class);
      return new Response(response.getStatus(), body == null ? "" : body, client.getClass().getName());
    }
  }

  @Override
  public Response call(String method, String url, String body, Map<String, String> headers) {
    Invocation.Builder request = request(url, headers);
    return response(body == null ? request.method(method) : request.method(method, entity(body)));
  }

  @Override
  public CompletableFuture<Response> callAsync(String method, String url, String body, Map<String, String> headers) {
    CompletableFuture<Response> result = new CompletableFuture<>();
    InvocationCallback<jakarta.ws.rs.core.Response> callback = new InvocationCallback<jakarta.ws.rs.core.Response>() {
      @Override
      public void completed(jakarta.ws.rs.core.Response response) {
        try {
          result.complete(response(response));
        } catch (RuntimeException e) {
          result.completeExceptionally(e);
        }
      }

      @Override
      public void failed(Throwable failure) {
        result.completeExceptionally(failure);
      }
    };
    if (body == null) {
      request(url, headers).async().method(method, callback);
    } else {
      request(url, headers).async().method(method, entity(body), callback);
    }
    return result;
  }
}
