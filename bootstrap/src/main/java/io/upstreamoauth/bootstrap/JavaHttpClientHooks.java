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
import java.util.function.BiPredicate;

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
   * Runs at the start of {@code HttpClientImpl.sendAsync}: fails the exchange up front when the
   * target is configured and no token can be had.
   *
   * @param request the caller's {@code java.net.http.HttpRequest}
   * @return a future failed with the reason, or null to go on
   */
  public static CompletableFuture<Object> beforeSendAsync(Object request) {
    try {
      URI uri = handles(request).uri(request);
      UpstreamOAuth.bridge().headerFor(uri.getScheme(), uri.getHost(), uri.getPort(), uri.getRawPath());
      return null;
    } catch (IOException e) {
      CompletableFuture<Object> failed = new CompletableFuture<Object>();
      failed.completeExceptionally(e);
      return failed;
    } catch (Throwable t) {
      report(t);
      return null;
    }
  }

  /**
   * Runs when the JDK has copied a request ({@code HttpRequestImpl}, once per send and per
   * redirect hop): sets the token as a system header of this copy, which the JDK does not carry
   * to the next hop.
   *
   * @param request the {@code HttpRequestImpl}
   * @param userHeaders its {@code userHeaders} ({@code java.net.http.HttpHeaders})
   * @return the user headers to keep: without the agent's header name when the agent sets it
   */
  public static Object afterRequestCopy(Object request, Object userHeaders) {
    try {
      return setToken(request, userHeaders);
    } catch (IOException e) {
      return userHeaders; // beforeSendAsync already failed the exchange if it had to
    } catch (Throwable t) {
      report(t);
      return userHeaders;
    }
  }

  /**
   * Like {@link #afterRequestCopy}, for the copy the JDK makes to follow a redirect (or answer an
   * authentication challenge): a hop to a configured host whose token cannot be had fails the
   * exchange, as the first hop would, instead of going out without a token. The JDK turns the
   * IOException into the exchange's failure (send throws it, sendAsync's future completes with it).
   *
   * @param previous the request the JDK copied ({@code other}), whose headers the agent may have changed
   * @throws IOException when the hop's host is configured and no token can be had
   */
  public static Object afterRedirectCopy(Object request, Object userHeaders, Object previous) throws IOException {
    try {
      return setToken(request, applicationHeaders(request, userHeaders, previous));
    } catch (IOException e) {
      throw e;
    } catch (Throwable t) {
      report(t);
      return userHeaders;
    }
  }

  /**
   * Returns the user headers this copy would have had without the agent. The JDK copied them from
   * the previous hop's as the agent left them; if the agent took the application's own value of
   * its header out of those, the copy starts again from the application's headers, filtered as
   * the JDK filters a cross-origin redirect (JDK 25+ drops Authorization, Cookie, ...; JDK 17
   * keeps everything), so a hop the agent does not serve gets exactly what it would get without
   * the agent.
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

  private static Object setToken(Object request, Object userHeaders) throws Throwable {
    Handles h = handles(request);
    URI uri = h.uri(request);
    AuthHeader header =
        UpstreamOAuth.bridge().headerFor(uri.getScheme(), uri.getHost(), uri.getPort(), uri.getRawPath());
    if (header == null) {
      return userHeaders;
    }
    h.setSystemHeader.invoke(request, header.name(), header.value());
    if (((Optional<?>) h.firstValue.invoke(userHeaders, header.name())).isPresent()) {
      // the agent's value replaces the application's: one header, never two
      STRIPPED.put(request, userHeaders);
      return h.headersOf.invoke(h.headersMap.invoke(userHeaders), new ExcludeHeader(header.name()));
    }
    return userHeaders;
  }

  /**
   * Request copies ({@code HttpRequestImpl}) whose user headers the agent took the application's
   * own value of its header out of, each to the application's headers. By identity of the request:
   * {@code HttpRequest} and {@code HttpHeaders} equality is by value, and the JDK shares one empty
   * {@code HttpHeaders} instance, so keying on either could hand one request's credentials to
   * another.
   */
  private static final WeakIdentityMap<Object, Object> STRIPPED = new WeakIdentityMap<Object, Object>();

  /** Runs when a response arrives: tells the agent the status of a request that carried its token. */
  public static void afterResponse(Object request, int status) {
    try {
      OAuthBridge bridge = UpstreamOAuth.bridge();
      String[] names = bridge.headerNames();
      if (names.length == 0 || request == null) {
        return;
      }
      Handles h = handles(request);
      @SuppressWarnings("unchecked")
      Map<String, List<String>> system =
          (Map<String, List<String>>) h.builderMap.invoke(h.systemHeaders.invoke(request));
      for (int i = 0; i < names.length; i++) {
        List<String> values = system.get(names[i]);
        if (values != null && !values.isEmpty()) {
          URI uri = h.uri(request);
          bridge.onResponse(uri.getScheme(), uri.getHost(), uri.getPort(), uri.getRawPath(), status, values.get(0));
        }
      }
    } catch (Throwable t) {
      report(t);
    }
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
      OAuthBridge bridge = UpstreamOAuth.bridge();
      String[] names = bridge.headerNames();
      if (names.length == 0) {
        return null;
      }
      Handles h = handles(response);
      Object request = h.responseRequest.invoke(response);
      if (request == null || REPLAYS.get(request) != null) {
        return null;
      }
      int status = (Integer) h.responseStatus.invoke(response);
      URI uri = h.uri(request);
      @SuppressWarnings("unchecked")
      Map<String, List<String>> system =
          (Map<String, List<String>>) h.builderMap.invoke(h.systemHeaders.invoke(request));
      boolean carried = false;
      for (int i = 0; i < names.length; i++) {
        carried |= system.get(names[i]) != null;
      }
      String method = (String) h.method.invoke(request);
      if (!carried || !bridge.shouldReplay(uri.getScheme(), uri.getHost(), uri.getPort(), uri.getRawPath(), method, status)) {
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
    /** The JDK's filter of headers on a redirect to another origin (JDK 25+), or null (none). */
    final BiPredicate<String, String> crossOriginFilter;

    private Handles() {
      uri = setSystemHeader = systemHeaders = builderMap = firstValue = headersMap = headersOf = null;
      method = copyForReplay = responseRequest = responseStatus = null;
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
