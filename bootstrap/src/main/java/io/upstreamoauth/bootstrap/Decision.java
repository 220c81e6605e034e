package io.upstreamoauth.bootstrap;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;

/**
 * What the agent decided for one physical request: the one place that says which header goes on
 * which request. Advice asks for it once per physical request ({@link OAuthBridge#decide}), applies
 * it to the client's own request type, and keeps it for the response, which never matches the
 * target again.
 *
 * <p>Applying a decision is the same loop in every client: for each header name the agent
 * manages, {@link #value(int)} non-null means "set exactly this value, replacing every value of
 * that name", and null means "remove the current value if the agent issued it" ({@link
 * #removes(int, String)}), so a value issued for another hop, host or profile never stays on a
 * request this hop's route does not serve.
 *
 * <p>Decisions for a cached token are made once per token and shared: applying one allocates
 * nothing. {@link #toString()} shows no value.
 */
public final class Decision {

  /** The target is not served (or may not be, see the log): set nothing, remove issued values. */
  public static final int PASS = 0;

  /** The target is served: set the values. */
  public static final int SEND = 1;

  /** The target is served and no token can be had: fail the request with {@link #failure()}. */
  public static final int FAIL = 2;

  /**
   * The target is served and its token is being fetched; only for callers that may not wait
   * ({@code mayWait=false}): continue the exchange when {@link #ready()} completes, by asking again.
   */
  public static final int WAIT = 3;

  private final int action;
  private final OAuthBridge bridge;
  private final String[] names;
  private final String[] values;
  private final Object route;
  private final String message;
  private final Throwable cause;
  private final CompletableFuture<?> ready;

  private Decision(
      int action,
      OAuthBridge bridge,
      String[] names,
      String[] values,
      Object route,
      String message,
      Throwable cause,
      CompletableFuture<?> ready) {
    this.action = action;
    this.bridge = bridge;
    this.names = names;
    this.values = values;
    this.route = route;
    this.message = message;
    this.cause = cause;
    this.ready = ready;
  }

  /**
   * A decision that sets nothing and removes every issued value.
   *
   * @param names every header name the agent manages; shared, never modified
   */
  public static Decision pass(OAuthBridge bridge, String[] names) {
    return new Decision(PASS, bridge, names, new String[names.length], null, null, null, null);
  }

  /**
   * A decision that sets {@code values} (aligned with {@code names}, null where nothing is set).
   *
   * @param route the agent's route for the response side; opaque here
   */
  public static Decision send(OAuthBridge bridge, String[] names, String[] values, Object route) {
    if (values.length != names.length) {
      throw new IllegalArgumentException("one value slot per name");
    }
    return new Decision(SEND, bridge, names, values, route, null, null, null);
  }

  /** A decision that fails the request with an IOException carrying {@code message}. */
  public static Decision fail(OAuthBridge bridge, String[] names, String message, Throwable cause) {
    return new Decision(FAIL, bridge, names, new String[names.length], null, message, cause, null);
  }

  /** A decision to continue once {@code ready} completes (successfully or not). */
  public static Decision waitFor(OAuthBridge bridge, String[] names, CompletableFuture<?> ready) {
    return new Decision(WAIT, bridge, names, new String[names.length], null, null, null, ready);
  }

  /** Returns {@link #PASS}, {@link #SEND}, {@link #FAIL} or {@link #WAIT}. */
  public int action() {
    return action;
  }

  /** Returns the number of header names the agent manages. */
  public int size() {
    return names.length;
  }

  /** Returns the {@code i}th header name the agent manages. */
  public String name(int i) {
    return names[i];
  }

  /** Returns the value to set under {@link #name(int)}, or null when this request gets none. */
  public String value(int i) {
    return values[i];
  }

  /**
   * Returns true when a request's current value of {@link #name(int)} must come off: this decision
   * sets no value of that name, and the agent issued {@code current} (for any profile, any hop).
   */
  public boolean removes(int i, String current) {
    return values[i] == null && current != null && bridge.isIssued(current);
  }

  /** Returns the exception to fail the request with; a new one each time (FAIL only). */
  public IOException failure() {
    IOException failure = new IOException(message);
    if (cause != null) {
      failure.initCause(cause);
    }
    return failure;
  }

  /** Returns the future to continue on (WAIT only). */
  public CompletableFuture<?> ready() {
    return ready;
  }

  /** Returns the agent's route for this request (SEND only); opaque outside the agent. */
  public Object route() {
    return route;
  }

  /**
   * Returns true when what a replay needs must be kept: a SEND on a route with {@code
   * replay-after-purge}, for a method safe to repeat (GET, HEAD, OPTIONS).
   */
  public boolean keepsForReplay(String method) {
    return action == SEND && bridge.replays(this, method);
  }

  /** Tells the agent what the upstream answered to the request this decision was applied to. */
  public void onResponse(int status) {
    if (action == SEND) {
      bridge.onResponse(this, status);
    }
  }

  /**
   * Returns true when the request should be sent once more, with a new decision: {@link
   * #keepsForReplay(String)} and the upstream answered a purge status. Purges the rejected token.
   * The caller sends at most one replay per exchange.
   */
  public boolean replayAfter(String method, int status) {
    return action == SEND && bridge.shouldReplay(this, method, status);
  }

  /**
   * Returns true when the request's route uses DPoP: the advice then reads the response's {@code
   * DPoP-Nonce} and {@code WWW-Authenticate} headers and calls the overloads that take them.
   */
  public boolean readsDpopHeaders() {
    return action == SEND && bridge.readsDpopHeaders(this);
  }

  /** {@link #onResponse(int)} with the response's DPoP headers and the request's target. */
  public void onResponse(int status, String scheme, String host, int port, String dpopNonce, String wwwAuthenticate) {
    if (action == SEND) {
      bridge.onResponse(this, status, scheme, host, port, dpopNonce, wwwAuthenticate);
    }
  }

  /**
   * {@link #replayAfter(String, int)} with the response's DPoP headers and the request's target:
   * also true for a server's request for a DPoP nonce.
   */
  public boolean replayAfter(
      String method, int status, String scheme, String host, int port, String dpopNonce, String wwwAuthenticate) {
    return action == SEND && bridge.shouldReplay(this, method, status, scheme, host, port, dpopNonce, wwwAuthenticate);
  }

  @Override
  public String toString() {
    String[] kinds = {"PASS", "SEND", "FAIL", "WAIT"};
    StringBuilder text = new StringBuilder("Decision{").append(kinds[action]);
    for (int i = 0; i < names.length; i++) {
      if (values[i] != null) {
        text.append(", ").append(names[i]).append(": ****");
      }
    }
    return text.append('}').toString();
  }
}
