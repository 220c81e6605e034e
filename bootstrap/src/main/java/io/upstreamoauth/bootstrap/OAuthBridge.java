package io.upstreamoauth.bootstrap;

import java.io.IOException;

/**
 * What advice woven into an HTTP client asks of the agent.
 *
 * <p>Only JDK types cross this boundary: the classes that call it live in every class loader,
 * the bootstrap one included, and can see nothing of the agent but this package.
 */
public interface OAuthBridge {

  /**
   * Returns the header to put on a request to the given target.
   *
   * @param scheme the URL scheme, {@code http} or {@code https}
   * @param host the target host as written in the URL
   * @param port the port, or -1 for the scheme's default
   * @param path the request path, may be empty
   * @return the header, or null when the target is not configured or the call is the agent's own
   * @throws IOException when the target is configured, no token can be had and
   *     {@code upstream.oauth.idp-error-action} is {@code fail}
   */
  AuthHeader headerFor(String scheme, String host, int port, String path) throws IOException;

  /**
   * Returns true when {@code value} is a header value this agent put on a request, so that a hop
   * to a target that is not configured (a redirect) must drop it.
   */
  boolean isIssued(String value);

  /** Returns the names of the headers the agent may set; the caller must not modify the array. */
  String[] headerNames();

  /**
   * Tells the agent what an upstream answered to a request that carried {@code sentValue}, so a
   * rejected token can be purged.
   */
  void onResponse(String scheme, String host, int port, String path, int status, String sentValue);

  /**
   * Returns true when a request the upstream just answered with {@code status} should be sent once
   * more with a new token: {@code replay-after-purge} is on for its target, the status is a purge
   * status, and the method is safe to repeat (GET, HEAD, OPTIONS).
   */
  boolean shouldReplay(String scheme, String host, int port, String path, String method, int status);

  /** Reports an unexpected error inside advice; the request goes on without the agent's help. */
  void onAdviceError(Throwable error);
}
