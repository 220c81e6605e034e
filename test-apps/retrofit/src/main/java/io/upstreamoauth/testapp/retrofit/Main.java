package io.upstreamoauth.testapp.retrofit;

import io.upstreamoauth.testapp.support.Driver;
import io.upstreamoauth.testapp.support.HttpCaller;
import java.io.IOException;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.RequestBody;
import okhttp3.ResponseBody;
import retrofit2.Call;
import retrofit2.Callback;
import retrofit2.Retrofit;
import retrofit2.http.Body;
import retrofit2.http.GET;
import retrofit2.http.HeaderMap;
import retrofit2.http.POST;
import retrofit2.http.Url;

/**
 * An application calling APIs through a Retrofit interface on the OkHttp client Retrofit builds
 * by default: {@code execute} or {@code enqueue} ({@code --async}, or {@code -Dapp.async=true}).
 * An error status is a {@code retrofit2.Response} like any other; an I/O failure is the
 * {@code IOException} Retrofit rethrows from OkHttp.
 */
public final class Main implements HttpCaller {

  private static final MediaType TEXT = MediaType.parse("text/plain; charset=utf-8");

  /** The API, called at any URL: {@code @Url} replaces the base URL. */
  interface Api {
    @GET
    Call<ResponseBody> get(@Url String url, @HeaderMap Map<String, String> headers);

    @POST
    Call<ResponseBody> post(@Url String url, @HeaderMap Map<String, String> headers, @Body RequestBody body);
  }

  private final Retrofit retrofit = new Retrofit.Builder().baseUrl("http://localhost/").build();
  private final Api api = retrofit.create(Api.class);

  public static void main(String[] args) throws Exception {
    if (Boolean.getBoolean("app.async")) {
      args = Arrays.copyOf(args, args.length + 1);
      args[args.length - 1] = "--async";
    }
    Main app = new Main();
    Driver.run(args, app);
    // the dispatcher threads of Retrofit's OkHttpClient are not daemons: shut them down to exit at once
    OkHttpClient client = (OkHttpClient) app.retrofit.callFactory();
    client.dispatcher().executorService().shutdown();
    client.connectionPool().evictAll();
  }

  private Call<ResponseBody> newCall(String method, String url, String body, Map<String, String> headers) {
    if (method.equals("GET")) {
      return api.get(url, headers);
    }
    if (method.equals("POST")) {
      return api.post(url, headers, RequestBody.create(TEXT, body == null ? "" : body));
    }
    throw new IllegalArgumentException("the Retrofit app knows GET and POST, not " + method);
  }

  /** The call factory Retrofit sends through (its OkHttpClient) and the protocol it used. */
  private Response response(retrofit2.Response<ResponseBody> response) throws IOException {
    ResponseBody body = response.isSuccessful() ? response.body() : response.errorBody();
    String text = body == null ? "" : body.string();
    return new Response(response.code(), text,
        "retrofit2.Retrofit " + retrofit.callFactory().getClass().getName() + " " + response.raw().protocol());
  }

  @Override
  public Response call(String method, String url, String body, Map<String, String> headers) throws Exception {
    return response(newCall(method, url, body, headers).execute());
  }

  @Override
  public CompletableFuture<Response> callAsync(String method, String url, String body, Map<String, String> headers) {
    CompletableFuture<Response> result = new CompletableFuture<>();
    newCall(method, url, body, headers).enqueue(new Callback<ResponseBody>() {
      @Override
      public void onResponse(Call<ResponseBody> call, retrofit2.Response<ResponseBody> response) {
        try {
          result.complete(response(response));
        } catch (IOException | RuntimeException e) {
          result.completeExceptionally(e);
        }
      }

      @Override
      public void onFailure(Call<ResponseBody> call, Throwable failure) {
        result.completeExceptionally(failure);
      }
    });
    return result;
  }
}
