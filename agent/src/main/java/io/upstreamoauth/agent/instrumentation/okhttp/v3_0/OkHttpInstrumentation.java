package io.upstreamoauth.agent.instrumentation.okhttp.v3_0;

import static net.bytebuddy.matcher.ElementMatchers.declaresMethod;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.returns;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.upstreamoauth.agent.instrumentation.AdviceSupport;
import io.upstreamoauth.agent.instrumentation.ClientInstrumentation;
import io.upstreamoauth.bootstrap.AuthHeader;
import io.upstreamoauth.bootstrap.OAuthBridge;
import io.upstreamoauth.bootstrap.UpstreamOAuth;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.matcher.ElementMatcher;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;

/**
 * OkHttp 3.x, 4.x and 5.x ({@code okhttp-jvm}), {@code execute} and {@code enqueue}, HTTP/1.1 and
 * HTTP/2.
 *
 * <p>No interceptor class is added: it would have to implement {@code okhttp3.Interceptor} and so
 * be defined in the application's class loader, which needs class injection (reflective
 * {@code defineClass}, which JDK 24+ warns about through {@code sun.misc.Unsafe}). Instead advice
 * on OkHttp's own chain does the same work:
 *
 * <ul>
 *   <li>{@code RealInterceptorChain.proceed} into the last interceptor, {@code CallServerInterceptor}
 *       (see {@link ProceedAdvice}), puts the token on the request that is written to
 *       the wire: once per physical request, every redirect hop and retry included, after the
 *       application's and network interceptors, and below {@code BridgeInterceptor}, which puts
 *       the caller's request back on the response, so {@code RetryAndFollowUpInterceptor} builds
 *       a redirect from a request that never carried the token. A hop to a host that is not
 *       configured gets nothing (OkHttp strips only {@code Authorization} on a cross-host redirect,
 *       not a custom header name).
 *   <li>{@code BridgeInterceptor.intercept} checks first that a token can be had, so a failure
 *       surfaces before a connection is opened; {@code RetryAndFollowUpInterceptor} does not retry
 *       it (no route or stream failed).
 * </ul>
 */
public final class OkHttpInstrumentation implements ClientInstrumentation {

  private static final String CHAIN = "okhttp3.internal.http.RealInterceptorChain";
  private static final String BRIDGE = "okhttp3.internal.http.BridgeInterceptor";

  @Override
  public String name() {
    return "okhttp-3.0";
  }

  @Override
  public List<String> targetClasses() {
    return Arrays.asList(CHAIN.replace('.', '/'), BRIDGE.replace('.', '/'));
  }

  @Override
  public AgentBuilder extend(AgentBuilder builder, AdviceSupport advice) {
    String self = OkHttpInstrumentation.class.getName();
    ElementMatcher.Junction<MethodDescription> proceed =
        named("proceed")
            .and(takesArgument(0, named("okhttp3.Request")))
            .and(returns(named("okhttp3.Response")));
    // OkHttp 3.x: proceed(Request) delegates to proceed(Request, <connection internals>), which
    // ConnectInterceptor also calls directly; 4.x and 5.x have proceed(Request) only
    ElementMatcher.Junction<MethodDescription> internalProceed = proceed.and(not(takesArguments(1)));
    return builder
        .type(named(CHAIN).and(declaresMethod(internalProceed)))
        .transform(advice.advice(internalProceed, self + "$ProceedAdvice"))
        .type(named(CHAIN).and(not(declaresMethod(internalProceed))))
        .transform(advice.advice(proceed.and(takesArguments(1)), self + "$ProceedAdvice"))
        .type(named(BRIDGE))
        .transform(
            advice.advice(
                named("intercept")
                    .and(takesArguments(1))
                    .and(takesArgument(0, named("okhttp3.Interceptor$Chain"))),
                self + "$BridgeAdvice"));
  }

  /** Fails a request to a configured host that has no token before OkHttp connects. */
  public static final class BridgeAdvice {
    private BridgeAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class, skipOn = Advice.OnNonDefaultValue.class)
    public static IOException enter(@Advice.Argument(0) Interceptor.Chain chain) {
      HttpUrl url = chain.request().url();
      try {
        UpstreamOAuth.bridge().headerFor(url.scheme(), url.host(), url.port(), url.encodedPath());
        return null;
      } catch (IOException e) {
        return e;
      }
    }

    @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
    public static void exit(@Advice.Enter IOException failure, @Advice.Thrown(readOnly = false) Throwable thrown) {
      if (failure != null) {
        thrown = failure;
      }
    }
  }

  /**
   * On the chain's step into its last interceptor ({@code CallServerInterceptor}), replaces the
   * request with one carrying the token, and reports the response status.
   */
  public static final class ProceedAdvice {
    private ProceedAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class, skipOn = Advice.OnNonDefaultValue.class)
    public static IOException enter(
        @Advice.FieldValue("index") int index,
        @Advice.FieldValue("interceptors") List<?> interceptors,
        @Advice.Argument(value = 0, readOnly = false) Request request) {
      if (index != interceptors.size() - 1) {
        return null;
      }
      OAuthBridge bridge = UpstreamOAuth.bridge();
      HttpUrl url = request.url();
      AuthHeader header;
      try {
        header = bridge.headerFor(url.scheme(), url.host(), url.port(), url.encodedPath());
      } catch (IOException e) {
        return e;
      }
      if (header != null) {
        // Builder.header replaces every value of that name: the application's one goes
        request = request.newBuilder().header(header.name(), header.value()).build();
        return null;
      }
      String[] names = bridge.headerNames();
      for (int i = 0; i < names.length; i++) {
        if (bridge.isIssued(request.header(names[i]))) {
          request = request.newBuilder().removeHeader(names[i]).build();
        }
      }
      return null;
    }

    @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
    public static void exit(
        @Advice.Enter IOException failure,
        @Advice.FieldValue("index") int index,
        @Advice.FieldValue("interceptors") List<?> interceptors,
        @Advice.Argument(0) Request request,
        @Advice.Return Response response,
        @Advice.Thrown(readOnly = false) Throwable thrown) {
      if (failure != null) {
        thrown = failure;
        return;
      }
      if (response == null || index != interceptors.size() - 1) {
        return;
      }
      OAuthBridge bridge = UpstreamOAuth.bridge();
      String[] names = bridge.headerNames();
      for (int i = 0; i < names.length; i++) {
        String sent = request.header(names[i]);
        if (sent != null) {
          HttpUrl url = request.url();
          bridge.onResponse(url.scheme(), url.host(), url.port(), url.encodedPath(), response.code(), sent);
        }
      }
    }
  }
}
