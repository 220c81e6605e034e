package io.upstreamoauth.agent.instrumentation.javahttpclient;

import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.upstreamoauth.agent.instrumentation.AdviceSupport;
import io.upstreamoauth.agent.instrumentation.ClientInstrumentation;
import io.upstreamoauth.bootstrap.AuthHeader;
import io.upstreamoauth.bootstrap.ExcludeHeader;
import io.upstreamoauth.bootstrap.OAuthBridge;
import io.upstreamoauth.bootstrap.UpstreamOAuth;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import jdk.internal.net.http.HttpRequestImpl;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * {@code java.net.http.HttpClient} (JDK 11+), HTTP/1.1 and HTTP/2, send and sendAsync.
 *
 * <p>The JDK copies the caller's request into an {@code HttpRequestImpl} once per send, and again
 * for every redirect hop, without the "system" headers of the previous hop. The token goes in as a
 * system header of each copy whose URI is configured, so it never follows a redirect to another
 * host (JDK 17 would forward a user-set {@code Authorization}; JDK 25 drops it). A failure to get
 * a token fails {@code send} with the IOException and {@code sendAsync} with a failed future.
 */
public final class JavaHttpClientInstrumentation implements ClientInstrumentation {

  private static final String CLIENT = "jdk.internal.net.http.HttpClientImpl";
  private static final String REQUEST = "jdk.internal.net.http.HttpRequestImpl";
  private static final String RESPONSE = "jdk.internal.net.http.Response";

  @Override
  public String name() {
    return "java-http-client";
  }

  @Override
  public List<String> targetClasses() {
    return Arrays.asList(
        CLIENT.replace('.', '/'), REQUEST.replace('.', '/'), RESPONSE.replace('.', '/'));
  }

  @Override
  public AgentBuilder extend(AgentBuilder builder, AdviceSupport advice) {
    String self = JavaHttpClientInstrumentation.class.getName();
    return builder
        .type(named(CLIENT))
        .transform(
            advice.advice(
                named("sendAsync")
                    .and(takesArguments(4))
                    .and(takesArgument(0, named("java.net.http.HttpRequest"))),
                self + "$SendAsyncAdvice"))
        .type(named(REQUEST))
        .transform(
            advice.advice(
                isConstructor()
                    .and(takesArguments(2))
                    .and(takesArgument(0, named("java.net.http.HttpRequest")))
                    .and(takesArgument(1, named("java.net.ProxySelector"))),
                self + "$RequestCopyAdvice"))
        .transform(
            advice.advice(
                isConstructor()
                    .and(takesArgument(0, named("java.net.URI")))
                    .and(takesArgument(2, named(REQUEST))),
                self + "$RequestCopyAdvice"))
        .type(named(RESPONSE))
        .transform(
            advice.advice(
                isConstructor().and(takesArguments(7)).and(takesArgument(0, named(REQUEST))),
                self + "$ResponseAdvice"));
  }

  /** Fails the exchange up front when the target is configured and no token can be had. */
  public static final class SendAsyncAdvice {
    private SendAsyncAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class, skipOn = Advice.OnNonDefaultValue.class)
    public static IOException enter(@Advice.Argument(0) HttpRequest request) {
      URI uri = request.uri();
      try {
        UpstreamOAuth.bridge().headerFor(uri.getScheme(), uri.getHost(), uri.getPort(), uri.getRawPath());
        return null;
      } catch (IOException e) {
        return e;
      }
    }

    @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
    public static void exit(
        @Advice.Enter IOException failure,
        @Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object result) {
      if (failure != null) {
        CompletableFuture<Object> failed = new CompletableFuture<Object>();
        failed.completeExceptionally(failure);
        result = failed;
      }
    }
  }

  /** Sets the token as a system header of each request copy (first send and every hop). */
  public static final class RequestCopyAdvice {
    private RequestCopyAdvice() {}

    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void exit(
        @Advice.This HttpRequestImpl request,
        @Advice.FieldValue(value = "userHeaders", readOnly = false) HttpHeaders userHeaders) {
      URI uri = request.uri();
      AuthHeader header;
      try {
        header = UpstreamOAuth.bridge().headerFor(uri.getScheme(), uri.getHost(), uri.getPort(), uri.getRawPath());
      } catch (IOException e) {
        header = null; // SendAsyncAdvice already failed the exchange if it had to
      }
      if (header == null) {
        return;
      }
      request.setSystemHeader(header.name(), header.value());
      if (userHeaders.firstValue(header.name()).isPresent()) {
        // the agent's value replaces the application's: one header, never two
        userHeaders = HttpHeaders.of(userHeaders.map(), new ExcludeHeader(header.name()));
      }
    }
  }

  /** Tells the agent the status of each response to a request that carried its token. */
  public static final class ResponseAdvice {
    private ResponseAdvice() {}

    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void exit(@Advice.Argument(0) HttpRequestImpl request, @Advice.Argument(4) int status) {
      OAuthBridge bridge = UpstreamOAuth.bridge();
      String[] names = bridge.headerNames();
      if (names.length == 0) {
        return;
      }
      Map<String, List<String>> systemHeaders = request.getSystemHeadersBuilder().map();
      for (int i = 0; i < names.length; i++) {
        List<String> values = systemHeaders.get(names[i]);
        if (values != null && !values.isEmpty()) {
          URI uri = request.uri();
          bridge.onResponse(uri.getScheme(), uri.getHost(), uri.getPort(), uri.getRawPath(), status, values.get(0));
        }
      }
    }
  }
}
