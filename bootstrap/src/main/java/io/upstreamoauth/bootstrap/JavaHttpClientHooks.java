package io.upstreamoauth.bootstrap;

import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;
import java.util.function.BiPredicate;
import java.util.function.Function;

/**
 * Called by the code the agent weaves into {@code jdk.internal.net.http} (JDK 11+).
 *
 * <p>This class lives in the boot loader, which cannot see the {@code java.net.http} module's
 * classes by name, so it reaches them through method handles resolved from the request object
 * the JDK passes in (the agent exports and opens {@code jdk.internal.net.http} to it first).
 * Every hook catches everything; an agent bug sends the request without a token.
 */
public final class JavaHttpClientHooks {

  private static volatile Handles handles;

  private JavaHttpClientHooks() {}

  /**
   * Runs at the start of {@code HttpClientImpl.sendAsync(request, handler, pushHandler, executor)},
   * which {@code send} calls too, on the caller's thread: decides for the first hop, once. A
   * request whose token is not cached yet does not wait for it here: the returned future sends it
   * when the token request completes. A configured host with no token fails the returned future.
   *
   * @param client the {@code HttpClientImpl}
   * @param request the caller's {@code java.net.http.HttpRequest}
   * @return a future to return in place of the send, or null to go on
   */
  public static CompletableFuture<Object> beforeSendAsync(
      Object client, Object request, Object handler, Object pushHandler, Object executor) {
    try {
      URI uri = handles(request).uri(request);
      Decision decision =
          UpstreamOAuth.bridge()
              .decide(uri.getScheme(), uri.getHost(), uri.getPort(), uri.getRawPath(), method(request), false);
      switch (decision.action()) {
        case Decision.FAIL:
          CompletableFuture<Object> failed = new CompletableFuture<Object>();
          failed.completeExceptionally(decision.failure());
          return failed;
        case Decision.WAIT:
          return decision.ready().handle(new SendAgain(client, new Object[] {request, handler, pushHandler, executor}))
              .thenCompose(SendAgain.IDENTITY);
        default:
          // the copy the JDK makes next, on this thread, applies this decision: one per request
          FIRST_HOP.get().hold(uri, decision);
          return null;
      }
    } catch (Throwable t) {
      report(t);
      return null;
    }
  }

  /**
   * Runs when the JDK has copied the caller's request ({@code HttpRequestImpl}, once per send):
   * applies the decision {@link #beforeSendAsync} made for it; the token goes in as a system
   * header of this copy, which the JDK does not carry to the next hop.
   *
   * @param request the {@code HttpRequestImpl}
   * @param userHeaders its {@code userHeaders} ({@code java.net.http.HttpHeaders})
   * @return the user headers to keep: without the names the decision sets or removes
   */
  public static Object afterRequestCopy(Object request, Object userHeaders) {
    try {
      Handles h = handles(request);
      URI uri = h.uri(request);
      Decision decision = FIRST_HOP.get().take(uri);
      if (decision == null) {
        // not a copy sendAsync made (none is known): never waits here
        decision =
            UpstreamOAuth.bridge()
                .decide(uri.getScheme(), uri.getHost(), uri.getPort(), uri.getRawPath(), (String) h.method.invoke(request), false);
      }
      return apply(h, request, userHeaders, decision);
    } catch (Throwable t) {
      report(t);
      return userHeaders;
    }
  }

  /**
   * Like {@link #afterRequestCopy}, for the copy the JDK makes to follow a redirect (or answer an
   * authentication challenge), on one of the client's threads: a hop to a configured host whose
   * token cannot be had fails the exchange, as the first hop would, instead of going out without
   * a token. The JDK turns the IOException into the exchange's failure (send throws it, sendAsync's
   * future completes with it). A worker thread may wait for a token request; the selector thread
   * never does, and fails the hop instead.
   *
   * @param previous the request the JDK copied ({@code other}), whose headers the agent may have changed
   * @throws IOException when the hop's host is configured and no token can be had
   */
  public static Object afterRedirectCopy(Object request, Object userHeaders, Object previous) throws IOException {
    try {
      Handles h = handles(request);
      URI uri = h.uri(request);
      boolean selector = Thread.currentThread().getName().endsWith("SelectorManager");
      Decision decision =
          UpstreamOAuth.bridge()
              .decide(uri.getScheme(), uri.getHost(), uri.getPort(), uri.getRawPath(), (String) h.method.invoke(request), !selector);
      if (decision.action() == Decision.FAIL) {
        throw decision.failure();
      }
      if (decision.action() == Decision.WAIT) {
        throw new IOException(
            "upstream-oauth-agent: the redirect to " + uri.getScheme() + "://" + uri.getRawAuthority()
                + " was not followed: its token was not ready and the JDK's selector thread never waits for one");
      }
      return apply(h, request, applicationHeaders(request, userHeaders, previous), decision);
    } catch (IOException e) {
      throw e;
    } catch (Throwable t) {
      report(t);
      return userHeaders;
    }
  }

  /**
   * Returns the user headers this copy would have had without the agent. The JDK copied them from
   * the previous hop's as the agent left them; if the agent took the application's own values out
   * of those, the copy starts again from the application's headers, filtered as the JDK filters a
   * cross-origin redirect (JDK 25+ drops Authorization, Cookie, ...; JDK 17 keeps everything), so
   * a hop the agent does not serve gets exactly what it would get without the agent.
   */
  private static Object applicationHeaders(Object request, Object userHeaders, Object previous) throws Throwable {
    Object original = previous == null ? null : STRIPPED.get(previous);
    if (original == null) {
      return userHeaders;
    }
    Handles h = handles(request);
    URI from = h.uri(previous);
    URI to = h.uri(request);
    boolean sameOrigin =
        from.getScheme().equalsIgnoreCase(to.getScheme()) && String.valueOf(from.getRawAuthority()).equals(to.getRawAuthority());
    if (sameOrigin || h.crossOriginFilter == null) {
      return original;
    }
    return h.headersOf.invoke(h.headersMap.invoke(original), h.crossOriginFilter);
  }

  /**
   * Sets the decision's values as system headers of the copy, and returns its user headers without
   * every value the decision replaces or removes.
   */
  private static Object apply(Handles h, Object request, Object userHeaders, Decision decision) throws Throwable {
    boolean filter = false;
    for (int i = 0; i < decision.size(); i++) {
      String name = decision.name(i);
      String value = decision.value(i);
      if (value != null) {
        h.setSystemHeader.invoke(request, name, value);
      }
      Optional<?> current = (Optional<?>) h.firstValue.invoke(userHeaders, name);
      // the agent's value replaces the application's: one header, never two
      filter |= current.isPresent() && (value != null || decision.removes(i, (String) current.get()));
    }
    if (!filter) {
      return userHeaders;
    }
    STRIPPED.put(request, userHeaders);
    return h.headersOf.invoke(h.headersMap.invoke(userHeaders), new DecisionFilter(decision));
  }

  /**
   * Request copies ({@code HttpRequestImpl}) whose user headers the agent took application values
   * out of, each to the application's headers. By identity of the request: {@code HttpRequest}
   * and {@code HttpHeaders} equality is by value, and the JDK shares one empty {@code HttpHeaders}
   * instance, so keying on either could hand one request's credentials to another.
   */
  private static final WeakIdentityMap<Object, Object> STRIPPED = new WeakIdentityMap<Object, Object>();

  /** The decision sendAsync made, for the copy it makes next on the same thread. */
  private static final ThreadLocal<FirstHop> FIRST_HOP =
      new ThreadLocal<FirstHop>() {
        @Override
        protected FirstHop initialValue() {
          return new FirstHop();
        }
      };

  /**
   * Runs when a response arrives: tells the agent the status of a request that carried its token
   * (and, for DPoP, the server's nonce).
   *
   * @param headers the response's {@code java.net.http.HttpHeaders}
   */
  public static void afterResponse(Object request, Object headers, int status) {
    try {
      Handles h = request == null ? null : handles(request);
      Decision decision = h == null ? null : sent(h, request);
      if (decision == null) {
        return;
      }
      if (decision.readsDpopHeaders() && headers != null) {
        URI uri = h.uri(request);
        decision.onResponse(
            status, uri.getScheme(), uri.getHost(), uri.getPort(), header(h, headers, "DPoP-Nonce"),
            header(h, headers, "WWW-Authenticate"));
      } else {
        decision.onResponse(status);
      }
    } catch (Throwable t) {
      report(t);
    }
  }

  /** Returns the decision whose value this copy carries as a system header, or null. */
  private static Decision sent(Handles h, Object request) throws Throwable {
    OAuthBridge bridge = UpstreamOAuth.bridge();
    String[] names = bridge.headerNames();
    if (names.length == 0) {
      return null;
    }
    @SuppressWarnings("unchecked")
    Map<String, List<String>> system = (Map<String, List<String>>) h.builderMap.invoke(h.systemHeaders.invoke(request));
    for (int i = 0; i < names.length; i++) {
      List<String> values = system.get(names[i]);
      Decision decision = values == null || values.isEmpty() ? null : bridge.issuedBy(values.get(0));
      if (decision != null) {
        return decision;
      }
    }
    return null;
  }

  /** Replays the agent made, so a replay that is rejected again is never replayed: no loop. */
  private static final WeakIdentityMap<Object, Boolean> REPLAYS = new WeakIdentityMap<Object, Boolean>();

  /**
   * Runs when {@code MultiExchange.responseFilters} returns: when no filter of the JDK asked for
   * a new request and the agent should replay this one ({@code replay-after-purge}), returns a copy
   * of it, which the JDK sends in place of the rejected one and which gets a new token like any
   * copy. Otherwise returns what the filters returned.
   *
   * @param next the filters' new request, or null
   * @param response the {@code jdk.internal.net.http.Response}
   */
  public static Object afterResponseFilters(Object next, Object response) {
    if (next != null || response == null) {
      return next;
    }
    try {
      if (UpstreamOAuth.bridge().headerNames().length == 0) {
        return null;
      }
      Handles h = handles(response);
      Object request = h.responseRequest.invoke(response);
      if (request == null || REPLAYS.get(request) != null) {
        return null;
      }
      Decision decision = sent(h, request);
      String method = (String) h.method.invoke(request);
      if (decision == null || !decision.keepsForReplay(method)) {
        return null;
      }
      int status = (Integer) h.responseStatus.invoke(response);
      boolean again;
      if (decision.readsDpopHeaders()) {
        URI uri = h.uri(request);
        Object headers = h.responseHeaders.invoke(response);
        again =
            decision.replayAfter(
                method, status, uri.getScheme(), uri.getHost(), uri.getPort(), header(h, headers, "DPoP-Nonce"),
                header(h, headers, "WWW-Authenticate"));
      } else {
        again = decision.replayAfter(method, status);
      }
      if (!again) {
        return null;
      }
      Object replay = h.copyForReplay.invoke(request);
      REPLAYS.put(replay, Boolean.TRUE);
      return replay;
    } catch (Throwable t) {
      report(t);
      return null;
    }
  }

  /** Returns a header's first value from a {@code java.net.http.HttpHeaders}, or null. */
  private static String header(Handles h, Object headers, String name) throws Throwable {
    Optional<?> value = (Optional<?>) h.firstValue.invoke(headers, name);
    return value.isPresent() ? (String) value.get() : null;
  }

  private static String method(Object request) throws Throwable {
    return (String) handles(request).method.invoke(request);
  }

  private static void report(Throwable error) {
    if (error != Handles.UNAVAILABLE_ERROR) { // already reported once
      UpstreamOAuth.adviceError(error);
    }
  }

  private static Handles handles(Object request) throws Exception {
    Handles h = handles;
    if (h == null) {
      synchronized (JavaHttpClientHooks.class) {
        h = handles;
        if (h == null) {
          try {
            h = new Handles(request.getClass().getClassLoader()); // any java.net.http object will do
          } catch (Exception | LinkageError e) {
            // a JDK this agent does not know: report once, then stay out of the way
            h = Handles.UNAVAILABLE;
            UpstreamOAuth.adviceError(e);
          }
          handles = h;
        }
      }
    }
    if (h == Handles.UNAVAILABLE) {
      throw Handles.UNAVAILABLE_ERROR;
    }
    return h;
  }

  /** The first hop's decision, held between sendAsync and the copy it makes on the same thread. */
  private static final class FirstHop {
    private URI uri;
    private Decision decision;

    void hold(URI held, Decision made) {
      uri = held;
      decision = made;
    }

    /** Returns the decision held for exactly this URI object, once; null otherwise. */
    Decision take(URI copied) {
      Decision made = uri == copied ? decision : null;
      uri = null;
      decision = null;
      return made;
    }
  }

  /** Drops the user-header values a decision replaces or removes. */
  private static final class DecisionFilter implements BiPredicate<String, String> {
    private final Decision decision;

    DecisionFilter(Decision decision) {
      this.decision = decision;
    }

    @Override
    public boolean test(String name, String value) {
      for (int i = 0; i < decision.size(); i++) {
        if (decision.name(i).equalsIgnoreCase(name)) {
          return decision.value(i) == null && !decision.removes(i, value);
        }
      }
      return true;
    }
  }

  /** Sends the caller's request again once its token request has completed, either way. */
  private static final class SendAgain implements BiFunction<Object, Throwable, CompletableFuture<Object>> {
    static final Function<CompletableFuture<Object>, CompletableFuture<Object>> IDENTITY =
        new Function<CompletableFuture<Object>, CompletableFuture<Object>>() {
          @Override
          public CompletableFuture<Object> apply(CompletableFuture<Object> future) {
            return future;
          }
        };

    private final Object client;
    private final Object[] args;

    SendAgain(Object client, Object[] args) {
      this.client = client;
      this.args = args;
    }

    @Override
    @SuppressWarnings("unchecked")
    public CompletableFuture<Object> apply(Object token, Throwable failure) {
      try {
        // the next decision says what the outcome means: SEND, or FAIL with the IdP's error
        return (CompletableFuture<Object>) Resume.invoke(Resume.find(client.getClass(), "sendAsync", args), client, args);
      } catch (java.lang.reflect.InvocationTargetException e) {
        CompletableFuture<Object> failed = new CompletableFuture<Object>();
        failed.completeExceptionally(e.getCause());
        return failed;
      } catch (Throwable e) {
        report(e);
        CompletableFuture<Object> failed = new CompletableFuture<Object>();
        failed.completeExceptionally(new IOException("upstream-oauth-agent: could not send the request once its token was ready", e));
        return failed;
      }
    }
  }

  /** Method handles into java.net.http, resolved once from its class loader. */
  private static final class Handles {
    static final Handles UNAVAILABLE = new Handles();
    static final IllegalStateException UNAVAILABLE_ERROR =
        new IllegalStateException("java.net.http hooks unavailable on this JDK");

    final MethodHandle uri;
    final MethodHandle setSystemHeader;
    final MethodHandle systemHeaders;
    final MethodHandle builderMap;
    final MethodHandle firstValue;
    final MethodHandle headersMap;
    final MethodHandle headersOf;
    final MethodHandle method;
    final MethodHandle copyForReplay;
    final MethodHandle responseRequest;
    final MethodHandle responseStatus;
    final MethodHandle responseHeaders;
    /** The JDK's filter of headers on a redirect to another origin (JDK 25+), or null (none). */
    final BiPredicate<String, String> crossOriginFilter;

    private Handles() {
      uri = setSystemHeader = systemHeaders = builderMap = firstValue = headersMap = headersOf = null;
      method = copyForReplay = responseRequest = responseStatus = responseHeaders = null;
      crossOriginFilter = null;
    }

    Handles(ClassLoader loader) throws Exception {
      Class<?> httpRequest = Class.forName("java.net.http.HttpRequest", false, loader);
      Class<?> httpHeaders = Class.forName("java.net.http.HttpHeaders", false, loader);
      Class<?> requestImpl = Class.forName("jdk.internal.net.http.HttpRequestImpl", false, loader);
      Class<?> builder = Class.forName("jdk.internal.net.http.common.HttpHeadersBuilder", false, loader);
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      // getSystemHeadersBuilder is package-private: a private lookup (Java 9+, reflectively
      // because this class is Java 8 bytecode) in the package the agent opened to us
      MethodHandles.Lookup inPackage =
          (MethodHandles.Lookup)
              MethodHandles.class
                  .getMethod("privateLookupIn", Class.class, MethodHandles.Lookup.class)
                  .invoke(null, requestImpl, lookup);
      uri = generic(lookup.findVirtual(httpRequest, "uri", MethodType.methodType(URI.class)));
      setSystemHeader =
          generic(lookup.findVirtual(requestImpl, "setSystemHeader",
              MethodType.methodType(void.class, String.class, String.class)));
      systemHeaders = generic(inPackage.findVirtual(requestImpl, "getSystemHeadersBuilder", MethodType.methodType(builder)));
      builderMap = generic(lookup.findVirtual(builder, "map", MethodType.methodType(Map.class)));
      firstValue = generic(lookup.findVirtual(httpHeaders, "firstValue", MethodType.methodType(Optional.class, String.class)));
      headersMap = generic(lookup.findVirtual(httpHeaders, "map", MethodType.methodType(Map.class)));
      headersOf =
          generic(lookup.findStatic(httpHeaders, "of", MethodType.methodType(httpHeaders, Map.class, BiPredicate.class)));
      method = generic(lookup.findVirtual(httpRequest, "method", MethodType.methodType(String.class)));
      // the copy the JDK makes to retry after an authentication challenge: same URI, method, body
      copyForReplay =
          generic(lookup.findStatic(requestImpl, "newInstanceForAuthentication", MethodType.methodType(requestImpl, requestImpl)));
      Class<?> response = Class.forName("jdk.internal.net.http.Response", false, loader);
      responseRequest = generic(inPackage.findVirtual(response, "request", MethodType.methodType(requestImpl)));
      responseStatus = generic(inPackage.findVirtual(response, "statusCode", MethodType.methodType(int.class)));
      responseHeaders = generic(inPackage.findVirtual(response, "headers", MethodType.methodType(httpHeaders)));
      crossOriginFilter = crossOriginFilter(loader);
    }

    @SuppressWarnings("unchecked")
    private static BiPredicate<String, String> crossOriginFilter(ClassLoader loader) {
      try {
        Class<?> utils = Class.forName("jdk.internal.net.http.common.Utils", false, loader);
        return (BiPredicate<String, String>) utils.getField("ALLOWED_REDIRECT_HEADERS").get(null);
      } catch (Exception | LinkageError e) {
        return null; // JDK 11-24: a redirect copies every user header
      }
    }

    URI uri(Object request) throws Throwable {
      return (URI) uri.invoke(request);
    }

    private static MethodHandle generic(MethodHandle handle) {
      return handle.asType(handle.type().generic());
    }
  }
}
