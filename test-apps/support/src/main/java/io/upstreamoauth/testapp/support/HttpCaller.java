package io.upstreamoauth.testapp.support;

import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** One HTTP client library, used the way an ordinary application uses it. */
public interface HttpCaller {

  /** Sends one request and returns the status and body, or throws what the library throws. */
  Response call(String method, String url, String body, Map<String, String> headers) throws Exception;

  /** Sends one request asynchronously; libraries without an async API return null. */
  default CompletableFuture<Response> callAsync(
      String method, String url, String body, Map<String, String> headers) {
    return null;
  }

  /**
   * A status and body, and how the response came: the client class that really sent the request
   * and the protocol it reports ({@code via}), so tests can tell the intended client did the work.
   */
  final class Response {
    public final int status;
    public final String body;
    public final String via;

    public Response(int status, String body, String via) {
      this.status = status;
      this.body = body;
      this.via = via;
    }
  }
}
