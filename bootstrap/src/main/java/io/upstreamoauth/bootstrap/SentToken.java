package io.upstreamoauth.bootstrap;

/**
 * What the agent put on one exchange, for clients that carry per-exchange state in a context of
 * their own (Apache HttpClient 5): read back when the response comes, to purge a rejected token
 * or replay the request. Immutable; {@link #toString()} shows no token.
 */
public final class SentToken {

  public final String scheme;
  public final String host;
  public final int port;
  public final String path;
  public final AuthHeader header;
  /** The request method, or null where nothing reads it. */
  public final String method;
  /**
   * The request's headers as they were before the token was set (in the client's own type), when
   * the request may be replayed with a new token; null when it may not.
   */
  public final Object replayFrom;

  public SentToken(
      String scheme, String host, int port, String path, AuthHeader header, String method, Object replayFrom) {
    this.scheme = scheme;
    this.host = host;
    this.port = port;
    this.path = path;
    this.header = header;
    this.method = method;
    this.replayFrom = replayFrom;
  }

  /** Returns the same exchange with another header sent (a new token after a re-send). */
  public SentToken withHeader(AuthHeader newHeader) {
    return new SentToken(scheme, host, port, path, newHeader, method, replayFrom);
  }

  @Override
  public String toString() {
    return "SentToken{" + scheme + "://" + host + ":" + port + path + ", " + header + "}";
  }
}
