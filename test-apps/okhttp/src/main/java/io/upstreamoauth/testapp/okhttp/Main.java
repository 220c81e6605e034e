package io.upstreamoauth.testapp.okhttp;

import io.upstreamoauth.testapp.support.Driver;
import io.upstreamoauth.testapp.support.HttpCaller;
import java.io.IOException;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;

/**
 * Calls an API with OkHttp, {@code execute} or {@code enqueue} ({@code --async}, or
 * {@code -Dapp.async=true} for every call), through an application interceptor of its own that
 * marks each request with {@code X-App-Interceptor: yes}.
 */
public final class Main implements HttpCaller {

  private static final MediaType TEXT = MediaType.parse("text/plain; charset=utf-8");

  private final OkHttpClient client =
      new OkHttpClient.Builder()
          .addInterceptor(
              chain -> chain.proceed(chain.request().newBuilder().header("X-App-Interceptor", "yes").build()))
          .connectTimeout(10, TimeUnit.SECONDS)
          .readTimeout(30, TimeUnit.SECONDS)
          .build();

  public static void main(String[] args) throws Exception {
    if (Boolean.getBoolean("app.async")) {
      args = Arrays.copyOf(args, args.length + 1);
      args[args.length - 1] = "--async";
    }
    Main app = new Main();
    Driver.run(args, app);
    // OkHttp's dispatcher threads are not daemons: an application shuts them down to exit at once
    app.client.dispatcher().executorService().shutdown();
    app.client.connectionPool().evictAll();
  }

  private static Request request(String method, String url, String body, Map<String, String> headers) {
    Request.Builder builder = new Request.Builder().url(url);
    for (Map.Entry<String, String> header : headers.entrySet()) {
      builder.header(header.getKey(), header.getValue());
    }
    return builder.method(method, body == null ? null : RequestBody.create(TEXT, body)).build();
  }

  /** The client's class and the protocol the exchange really used (http/1.1, h2). */
  private Response response(okhttp3.Response response) throws IOException {
    return new Response(response.code(), response.body().string(), client.getClass().getName() + " " + response.protocol());
  }

  @Override
  public Response call(String method, String url, String body, Map<String, String> headers)
      throws Exception {
    try (okhttp3.Response response = client.newCall(request(method, url, body, headers)).execute()) {
      return response(response);
    }
  }

  @Override
  public CompletableFuture<Response> callAsync(
      String method, String url, String body, Map<String, String> headers) {
    CompletableFuture<Response> result = new CompletableFuture<>();
    client
        .newCall(request(method, url, body, headers))
        .enqueue(
            new Callback() {
              @Override
              public void onFailure(Call call, IOException e) {
                result.completeExceptionally(e);
              }

              @Override
              public void onResponse(Call call, okhttp3.Response response) {
                try (okhttp3.Response closing = response) {
                  result.complete(response(closing));
                } catch (IOException e) {
                  result.completeExceptionally(e);
                }
              }
            });
    return result;
  }
}
