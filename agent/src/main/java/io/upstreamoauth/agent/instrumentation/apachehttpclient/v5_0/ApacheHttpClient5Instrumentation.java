package io.upstreamoauth.agent.instrumentation.apachehttpclient.v5_0;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.upstreamoauth.agent.instrumentation.AdviceSupport;
import io.upstreamoauth.agent.instrumentation.ClientInstrumentation;
import io.upstreamoauth.bootstrap.Decision;
import io.upstreamoauth.bootstrap.UpstreamOAuth;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import org.apache.hc.client5.http.classic.ExecChain;
import org.apache.hc.client5.http.classic.ExecChainHandler;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.protocol.HttpContext;

/**
 * Apache HttpClient 5.0 to 5.6, the classic client that {@code HttpClients}/{@code
 * HttpClientBuilder} build, every {@code execute} overload including the response-handler ones;
 * {@link ApacheHttpAsyncClient5Instrumentation} does the async client the same way.
 *
 * <p>The token goes in at {@code ProtocolExec.execute} ({@code ChainElement.PROTOCOL}), below
 * {@code RedirectExec} and {@code HttpRequestRetryExec}: once per physical request, every hop and
 * retry included, on the chain's own copy of the request. The caller's request (the scope's
 * "original") is never changed, so {@code RedirectExec} builds each hop without the token (5.1
 * would forward it to any host; 5.5+ refuses to follow a redirect when the original carries
 * {@code Authorization}, which would change the application's behaviour).
 *
 * <p>The response status reaches the agent from {@code DefaultHttpProcessor.process(HttpResponse,
 * ...)}, which every 5.x client (classic and async, HTTP/1.1 and HTTP/2) runs on each response
 * with the exchange's context; {@code ProtocolExec} leaves the target and the value it sent in
 * that context under {@link #SENT}. A missing token fails {@code doExecute} up front: thrown inside
 * the chain, the IOException would be retried by {@code HttpRequestRetryExec}.
 *
 * <p>With {@code replay-after-purge}, a GET, HEAD or OPTIONS that carried the token and was
 * rejected with a purge status is sent once more by the classic {@code ProtocolExec}: the rejected
 * response is closed, the request's headers are put back as they were before the stage ran and
 * {@code execute} runs again, which sets a new token. The context attribute {@link #REPLAYED}
 * marks the second run, so it is never replayed itself. The async client replays through its own
 * challenge loop ({@link ApacheHttpAsyncClient5Instrumentation}).
 */
public final class ApacheHttpClient5Instrumentation implements ClientInstrumentation {

  /**
   * The context attribute holding the {@code Decision} applied to the exchange's last physical
   * request. A compile-time constant, so advice carries the literal and never loads this class.
   */
  static final String SENT = "io.upstreamoauth.sent";

  /** Context attribute set while a replay runs. A constant: advice carries the literal. */
  static final String REPLAYED = "io.upstreamoauth.replayed";

  /**
   * Context attribute holding the {@code HttpHost} of a request whose decision reads DPoP headers:
   * the response side keeps the server's nonce by origin. A constant: advice carries the literal.
   */
  static final String TARGET = "io.upstreamoauth.target";

  private static final String CLIENT = "org.apache.hc.client5.http.impl.classic.InternalHttpClient";
  private static final String PROTOCOL_EXEC = "org.apache.hc.client5.http.impl.classic.ProtocolExec";
  private static final String PROCESSOR = "org.apache.hc.core5.http.protocol.DefaultHttpProcessor";

  @Override
  public String name() {
    return "apache-httpclient-5.0";
  }

  @Override
  public List<String> targetClasses() {
    return Arrays.asList(CLIENT.replace('.', '/'), PROTOCOL_EXEC.replace('.', '/'), PROCESSOR.replace('.', '/'));
  }

  @Override
  public AgentBuilder extend(AgentBuilder builder, AdviceSupport advice) {
    String self = ApacheHttpClient5Instrumentation.class.getName();
    return builder
        .type(named(CLIENT))
        .transform(
            advice.advice(
                named("doExecute")
                    .and(takesArguments(3))
                    .and(takesArgument(0, named("org.apache.hc.core5.http.HttpHost")))
                    .and(takesArgument(1, named("org.apache.hc.core5.http.ClassicHttpRequest")))
                    .and(takesArgument(2, named("org.apache.hc.core5.http.protocol.HttpContext"))),
                self + "$DoExecuteAdvice"))
        .type(named(PROTOCOL_EXEC))
        .transform(
            advice.advice(
                named("execute")
                    .and(takesArguments(3))
                    .and(takesArgument(0, named("org.apache.hc.core5.http.ClassicHttpRequest")))
                    .and(takesArgument(1, named("org.apache.hc.client5.http.classic.ExecChain$Scope")))
                    .and(takesArgument(2, named("org.apache.hc.client5.http.classic.ExecChain"))),
                self + "$ProtocolExecAdvice"))
        .type(named(PROCESSOR))
        .transform(
            advice.advice(
                named("process")
                    .and(takesArguments(3))
                    .and(takesArgument(0, named("org.apache.hc.core5.http.HttpResponse")))
                    .and(takesArgument(1, named("org.apache.hc.core5.http.EntityDetails")))
                    .and(takesArgument(2, named("org.apache.hc.core5.http.protocol.HttpContext"))),
                self + "$ResponseAdvice"));
  }

  /** Fails the call before anything is sent when the target is configured and has no token. */
  public static final class DoExecuteAdvice {
    private DoExecuteAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class, skipOn = Advice.OnNonDefaultValue.class)
    public static IOException enter(@Advice.Argument(0) HttpHost target, @Advice.Argument(1) ClassicHttpRequest request) {
      if (target == null) {
        return null; // the chain works the target out; ProtocolExecAdvice still checks it
      }
      Decision decision =
          UpstreamOAuth.bridge()
              .decide(target.getSchemeName(), target.getHostName(), target.getPort(), request.getPath(), request.getMethod(), true);
      return decision.action() == Decision.FAIL ? decision.failure() : null;
    }

    @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
    public static void exit(@Advice.Enter IOException failure, @Advice.Thrown(readOnly = false) Throwable thrown) {
      if (failure != null) {
        thrown = failure;
      }
    }
  }

  /** Applies the decision for each physical request, keeps it for the response, replays if due. */
  public static final class ProtocolExecAdvice {
    private ProtocolExecAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class, skipOn = Advice.OnNonDefaultValue.class)
    public static IOException enter(
        @Advice.Argument(0) ClassicHttpRequest request,
        @Advice.Argument(1) ExecChain.Scope scope,
        @Advice.Local("headersBefore") Header[] headersBefore) {
      HttpHost target = scope.route.getTargetHost();
      Decision decision =
          UpstreamOAuth.bridge()
              .decide(target.getSchemeName(), target.getHostName(), target.getPort(), request.getPath(), request.getMethod(), true);
      if (decision.action() == Decision.FAIL) {
        return decision.failure();
      }
      if (decision.keepsForReplay(request.getMethod())) {
        headersBefore = request.getHeaders(); // a copy: what a replay starts from
      }
      for (int i = 0; i < decision.size(); i++) {
        String name = decision.name(i);
        String value = decision.value(i);
        Header current = request.getFirstHeader(name);
        if (value != null) {
          // removeHeaders + addHeader: setHeader replaces only the first of several same-named ones
          request.removeHeaders(name);
          request.addHeader(name, value);
        } else if (current != null && decision.removes(i, current.getValue())) {
          request.removeHeaders(name);
        }
      }
      // for the response processor, which reports the status with the exchange's context
      scope.clientContext.setAttribute(SENT, decision);
      if (decision.readsDpopHeaders()) {
        scope.clientContext.setAttribute(TARGET, target);
      }
      return null;
    }

    @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
    public static void exit(
        @Advice.This ExecChainHandler self,
        @Advice.Enter IOException failure,
        @Advice.Argument(0) ClassicHttpRequest request,
        @Advice.Argument(1) ExecChain.Scope scope,
        @Advice.Argument(2) ExecChain chain,
        @Advice.Local("headersBefore") Header[] headersBefore,
        @Advice.Return(readOnly = false) ClassicHttpResponse response,
        @Advice.Thrown(readOnly = false) Throwable thrown) {
      if (failure != null) {
        thrown = failure;
        return;
      }
      if (thrown != null || response == null || headersBefore == null) {
        return;
      }
      HttpContext context = scope.clientContext;
      Object sent = context.getAttribute(SENT);
      if (!(sent instanceof Decision) || context.getAttribute(REPLAYED) != null) {
        return; // the replay itself
      }
      // the response processor has run: a purge status has already purged the token sent
      Decision decision = (Decision) sent;
      boolean again;
      if (decision.readsDpopHeaders()) {
        HttpHost target = scope.route.getTargetHost();
        Header nonce = response.getFirstHeader("DPoP-Nonce");
        String challenge = null;
        Header[] challenges = response.getHeaders("WWW-Authenticate");
        for (int i = 0; i < challenges.length; i++) {
          challenge = (challenge == null ? "" : challenge + ", ") + challenges[i].getValue();
        }
        again =
            decision.replayAfter(
                request.getMethod(), response.getCode(), target.getSchemeName(), target.getHostName(), target.getPort(),
                nonce == null ? null : nonce.getValue(), challenge);
      } else {
        again = decision.replayAfter(request.getMethod(), response.getCode());
      }
      if (!again) {
        return;
      }
      HttpEntity entity = request.getEntity();
      if (entity != null && !entity.isRepeatable()) {
        return; // a body that cannot be sent twice
      }
      context.setAttribute(REPLAYED, Boolean.TRUE);
      try {
        response.close(); // frees the connection the rejection came on
        request.setHeaders(headersBefore);
        response = self.execute(request, scope, chain);
      } catch (Throwable replayFailure) {
        thrown = replayFailure; // what the application would see had it sent the request again
      } finally {
        context.removeAttribute(REPLAYED);
      }
    }
  }

  /** Tells the agent the status of a response to a request the agent decided for. */
  public static final class ResponseAdvice {
    private ResponseAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(@Advice.Argument(0) HttpResponse response, @Advice.Argument(2) HttpContext context) {
      Object sent = context == null ? null : context.getAttribute(SENT);
      if (!(sent instanceof Decision)) {
        return;
      }
      Decision decision = (Decision) sent;
      Object target = context.getAttribute(TARGET);
      if (decision.readsDpopHeaders() && target instanceof HttpHost) {
        HttpHost host = (HttpHost) target;
        Header nonce = response.getFirstHeader("DPoP-Nonce");
        String challenge = null;
        Header[] challenges = response.getHeaders("WWW-Authenticate");
        for (int i = 0; i < challenges.length; i++) {
          challenge = (challenge == null ? "" : challenge + ", ") + challenges[i].getValue();
        }
        decision.onResponse(
            response.getCode(), host.getSchemeName(), host.getHostName(), host.getPort(), nonce == null ? null : nonce.getValue(),
            challenge);
      } else {
        decision.onResponse(response.getCode());
      }
    }
  }
}
