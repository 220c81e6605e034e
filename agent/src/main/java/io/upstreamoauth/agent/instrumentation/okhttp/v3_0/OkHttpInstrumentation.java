package io.upstreamoauth.agent.instrumentation.okhttp.v3_0;

import static net.bytebuddy.matcher.ElementMatchers.declaresMethod;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.returns;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.upstreamoauth.agent.instrumentation.AdviceSupport;
import io.upstreamoauth.agent.instrumentation.ClientInstrumentation;
import io.upstreamoauth.bootstrap.Decision;
import io.upstreamoauth.bootstrap.OAuthBridge;
import io.upstreamoauth.bootstrap.UpstreamOAuth;
import java.io.IOException;
import java.net.ProtocolException;
import java.util.Arrays;
import java.util.List;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.matcher.ElementMatcher;
import okhttp3.HttpUrl;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okhttp3.internal.http.RetryAndFollowUpInterceptor;

/**
 * OkHttp 3.x, 4.x and 5.x ({@code okhttp-jvm}), {@code execute} and {@code enqueue}, HTTP/1.1 and
 * HTTP/2.
 *
 * <p>No interceptor class is added: it would have to implement {@code okhttp3.Interceptor} and so
 * be defined in the application's class loader, which needs class injection (reflective
 * {@code defineClass}, which JDK 24+ warns about through {@code sun.misc.Unsafe}). Instead advice
 * on OkHttp's own chain, {@code RealInterceptorChain.proceed}, acts on two of its steps:
 *
 * <ul>
 *   <li>into the last interceptor, {@code CallServerInterceptor}: the token goes on the request
 *       written to the wire, once per physical request (every redirect hop and retry), after the
 *       application's and network interceptors and below {@code BridgeInterceptor}, which puts the
 *       caller's request back on the response, so {@code RetryAndFollowUpInterceptor} builds a
 *       redirect from a request that never carried the token. A hop to a host that is not
 *       configured gets nothing (OkHttp strips only {@code Authorization} on a cross-host
 *       redirect, never a custom header name).
 *   <li>into {@code RetryAndFollowUpInterceptor}: a check that a token can be had, so a failure is
 *       thrown above the retry loop, as the plain IOException, before anything connects. Thrown
 *       inside it, OkHttp before 3.14 would retry it for ever ({@code recover} sees untried
 *       routes); {@code followUpRequest} gets the same check for redirect hops, and the rare
 *       failure left at the wire step is a {@code ProtocolException}, which no version retries.
 * </ul>
 */
public final class OkHttpInstrumentation implements ClientInstrumentation {

  private static final String CHAIN = "okhttp3.internal.http.RealInterceptorChain";
  private static final String RETRY = "okhttp3.internal.http.RetryAndFollowUpInterceptor";

  @Override
  public String name() {
    return "okhttp-3.0";
  }

  @Override
  public List<String> targetClasses() {
    return Arrays.asList(CHAIN.replace('.', '/'), RETRY.replace('.', '/'));
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
        .type(named(RETRY))
        .transform(
            advice.advice(
                named("followUpRequest")
                    .and(takesArgument(0, named("okhttp3.Response")))
                    .and(returns(named("okhttp3.Request"))),
                self + "$FollowUpAdvice"));
  }

  /**
   * Fails a redirect to a configured host that has no token, before it is followed; and, with
   * replay-after-purge, answers a rejected request (no follow-up of OkHttp's own) with the same
   * request once more, which the wire step sends with a new token. Never twice: a response whose
   * prior response was the same rejection of the same URL is not replayed.
   */
  public static final class FollowUpAdvice {
    private FollowUpAdvice() {}

    @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
    public static void exit(
        @Advice.Argument(0) Response response,
        @Advice.Return(readOnly = false) Request followUp,
        @Advice.Thrown(readOnly = false) Throwable thrown) {
      if (thrown != null) {
        return;
      }
      if (followUp == null) {
        Request rejected = response.request();
        Response prior = response.priorResponse();
        if (prior != null && prior.code() == response.code() && prior.request().url().equals(rejected.url())) {
          return; // already replayed
        }
        // the request as written to the wire (the response's own is the caller's, without the token)
        Response network = response.networkResponse();
        Request wire = network != null ? network.request() : rejected;
        OAuthBridge bridge = UpstreamOAuth.bridge();
        String[] names = bridge.headerNames();
        for (int i = 0; i < names.length; i++) {
          Decision sent = bridge.issuedBy(wire.header(names[i]));
          if (sent == null || !sent.keepsForReplay(rejected.method())) {
            continue;
          }
          boolean again;
          if (sent.readsDpopHeaders()) {
            HttpUrl url = rejected.url();
            List<String> challenges = response.headers("WWW-Authenticate");
            again =
                sent.replayAfter(
                    rejected.method(), response.code(), url.scheme(), url.host(), url.port(), response.header("DPoP-Nonce"),
                    challenges.isEmpty() ? null : challenges.toString());
          } else {
            again = sent.replayAfter(rejected.method(), response.code());
          }
          if (again) {
            followUp = rejected;
            return;
          }
        }
        return;
      }
      HttpUrl url = followUp.url();
      Decision decision = UpstreamOAuth.bridge().decide(url.scheme(), url.host(), url.port(), url.encodedPath(), followUp.method(), true);
      if (decision.action() == Decision.FAIL) {
        ResponseBody body = response.body();
        if (body != null) {
          body.close(); // as OkHttp does before it gives up on a follow-up
        }
        thrown = decision.failure();
      }
    }
  }

  /**
   * On the chain's step into {@code RetryAndFollowUpInterceptor}, fails a call that can have no
   * token; on its step into the last interceptor ({@code CallServerInterceptor}), applies the
   * decision to the request written to the wire and reports the response status.
   */
  public static final class ProceedAdvice {
    private ProceedAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class, skipOn = Advice.OnNonDefaultValue.class)
    public static IOException enter(
        @Advice.FieldValue("index") int index,
        @Advice.FieldValue("interceptors") List<?> interceptors,
        @Advice.Argument(value = 0, readOnly = false) Request request,
        @Advice.Local("decision") Decision decision) {
      boolean retryStep = index < interceptors.size() && interceptors.get(index) instanceof RetryAndFollowUpInterceptor;
      if (!retryStep && index != interceptors.size() - 1) {
        return null;
      }
      HttpUrl url = request.url();
      Decision decided = UpstreamOAuth.bridge().decide(url.scheme(), url.host(), url.port(), url.encodedPath(), request.method(), true);
      if (decided.action() == Decision.FAIL) {
        if (retryStep) {
          return decided.failure();
        }
        // thrown here, inside the retry loop: a ProtocolException, which no version retries
        ProtocolException failure = new ProtocolException(decided.failure().getMessage());
        failure.initCause(decided.failure());
        return failure;
      }
      if (retryStep) {
        return null; // the wire step applies the decision for each physical request
      }
      decision = decided;
      Request.Builder changed = null;
      for (int i = 0; i < decided.size(); i++) {
        String name = decided.name(i);
        String value = decided.value(i);
        if (value != null) {
          // Builder.header replaces every value of that name: the application's one goes
          changed = (changed == null ? request.newBuilder() : changed).header(name, value);
        } else if (decided.removes(i, request.header(name))) {
          changed = (changed == null ? request.newBuilder() : changed).removeHeader(name);
        }
      }
      if (changed != null) {
        request = changed.build();
      }
      return null;
    }

    @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
    public static void exit(
        @Advice.Enter IOException failure,
        @Advice.Argument(0) Request request,
        @Advice.Local("decision") Decision decision,
        @Advice.Return Response response,
        @Advice.Thrown(readOnly = false) Throwable thrown) {
      if (failure != null) {
        thrown = failure;
        return;
      }
      if (decision == null || response == null) {
        return;
      }
      if (decision.readsDpopHeaders()) {
        HttpUrl url = request.url();
        List<String> challenges = response.headers("WWW-Authenticate");
        decision.onResponse(
            response.code(), url.scheme(), url.host(), url.port(), response.header("DPoP-Nonce"),
            challenges.isEmpty() ? null : challenges.toString());
      } else {
        decision.onResponse(response.code());
      }
    }
  }
}
