package io.upstreamoauth.bootstrap;

/**
 * What advice woven into an HTTP client asks of the agent.
 *
 * <p>Only JDK types cross this boundary: the classes that call it live in every class loader,
 * the bootstrap one included, and can see nothing of the agent but this package.
 */
public interface OAuthBridge {

  /**
   * Decides what one physical request gets: called once per request, redirect hop and retry,
   * before the request is written.
   *
   * @param scheme the URL scheme, {@code http} or {@code https}
   * @param host the target host as written in the URL
   * @param port the port, or -1 for the scheme's default
   * @param path the raw (still percent-encoded) request path; a query or fragment after it is
   *     ignored; may be null or empty
   * @param method the request method, or null where the client does not tell
   * @param mayWait whether the calling thread may wait for a token request; false on I/O threads,
   *     event loops and async callers, which get a {@link Decision#WAIT} instead
   * @return the decision; never null
   */
  Decision decide(String scheme, String host, int port, String path, String method, boolean mayWait);

  /**
   * Returns true when {@code value} is a header value this agent issued recently, under any
   * profile: a request whose route does not set it must not carry it.
   */
  boolean isIssued(String value);

  /**
   * Returns the decision that set {@code value} on a request, for clients that cannot keep the
   * decision with the exchange (it is found by the value they sent, never by matching the target
   * again); null when the agent did not issue it.
   */
  Decision issuedBy(String value);

  /** Returns the names of the headers the agent manages; the caller must not modify the array. */
  String[] headerNames();

  /** Handles an upstream's answer to a request a SEND decision was applied to (purge). */
  void onResponse(Decision decision, int status);

  /** Returns true when the decision's route uses DPoP, so responses' DPoP headers matter. */
  boolean readsDpopHeaders(Decision decision);

  /**
   * Like {@link #onResponse(Decision, int)} for a DPoP route, with the response's {@code
   * DPoP-Nonce} and {@code WWW-Authenticate} headers (either may be null) and the request's target:
   * keeps the server's nonce; a request for a nonce does not purge the token.
   */
  void onResponse(Decision decision, int status, String scheme, String host, int port, String dpopNonce, String wwwAuthenticate);

  /** Returns true when the decision's route replays a rejected request sent with {@code method}. */
  boolean replays(Decision decision, String method);

  /**
   * Returns true when a request sent under {@code decision} and answered {@code status} should be
   * sent once more with a new token, and purges the rejected token.
   */
  boolean shouldReplay(Decision decision, String method, int status);

  /**
   * Like {@link #shouldReplay(Decision, String, int)} for a DPoP route: also true, once, for a
   * server's request for a nonce (RFC 9449 §9) to an idempotent request, which goes again with it.
   */
  boolean shouldReplay(
      Decision decision, String method, int status, String scheme, String host, int port, String dpopNonce,
      String wwwAuthenticate);

  /** Reports an unexpected error inside advice; the request goes on without the agent's help. */
  void onAdviceError(Throwable error);
}
