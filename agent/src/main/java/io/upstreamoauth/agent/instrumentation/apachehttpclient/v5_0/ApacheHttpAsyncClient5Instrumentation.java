package io.upstreamoauth.agent.instrumentation.apachehttpclient.v5_0;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.returns;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.upstreamoauth.agent.instrumentation.AdviceSupport;
import io.upstreamoauth.agent.instrumentation.ClientInstrumentation;
import io.upstreamoauth.bootstrap.Decision;
import io.upstreamoauth.bootstrap.Resume;
import io.upstreamoauth.bootstrap.UpstreamOAuth;
import java.io.IOException;
import java.util.Collections;
import java.util.List;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import org.apache.hc.client5.http.async.AsyncExecCallback;
import org.apache.hc.client5.http.async.AsyncExecChain;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.nio.AsyncEntityProducer;
import org.apache.hc.core5.http.protocol.HttpContext;

/**
 * Apache HttpClient 5.0 to 5.6, the async client ({@code HttpAsyncClients.custom()} and {@code
 * customHttp2()}), {@code execute} with a {@code SimpleHttpRequest} or a request producer, HTTP/1.1
 * and HTTP/2.
 *
 * <p>Both builders put {@code AsyncProtocolExec} ({@code ChainElement.PROTOCOL}) below {@code
 * AsyncRedirectExec} and {@code AsyncHttpRequestRetryExec}, which hand it a copy of the caller's
 * request for every hop and attempt: the token goes on that copy, as in the classic client. A
 * missing token is thrown from here: on the first hop {@code InternalAbstractHttpAsyncClient}
 * turns it into a failed future and {@code callback.failed}, on a redirect hop {@code
 * AsyncRedirectExec} does; neither retries it. The status comes back through {@code
 * ApacheHttpClient5Instrumentation.ResponseAdvice}.
 *
 * <p>{@code replay-after-purge} uses the exec's own authentication loop: {@code
 * needAuthentication} answers "challenged" for a rejected request the agent should replay, so
 * the exec discards that response, puts back the caller's headers and runs {@code
 * internalExecute} again, where the agent sets a new token. The context attribute {@code
 * REPLAYED} (cleared when {@code execute} starts an exchange) keeps it to one replay.
 */
public final class ApacheHttpAsyncClient5Instrumentation implements ClientInstrumentation {

  private static final String PROTOCOL_EXEC = "org.apache.hc.client5.http.impl.async.AsyncProtocolExec";

  /** Context attribute: the request's headers as this stage first had them, when it may be replayed. */
  static final String REPLAY_FROM = "io.upstreamoauth.replay-from";

  /** Context attribute: the method of a request that may be replayed. */
  static final String REPLAY_METHOD = "io.upstreamoauth.replay-method";

  @Override
  public String name() {
    return "apache-httpclient-5.0-async";
  }

  @Override
  public List<String> targetClasses() {
    return Collections.singletonList(PROTOCOL_EXEC.replace('.', '/'));
  }

  @Override
  public AgentBuilder extend(AgentBuilder builder, AdviceSupport advice) {
    return builder
        .type(named(PROTOCOL_EXEC))
        .transform(
            advice.advice(
                named("execute")
                    .and(takesArguments(5))
                    .and(takesArgument(0, named("org.apache.hc.core5.http.HttpRequest")))
                    .and(takesArgument(1, named("org.apache.hc.core5.http.nio.AsyncEntityProducer")))
                    .and(takesArgument(2, named("org.apache.hc.client5.http.async.AsyncExecChain$Scope")))
                    .and(takesArgument(3, named("org.apache.hc.client5.http.async.AsyncExecChain")))
                    .and(takesArgument(4, named("org.apache.hc.client5.http.async.AsyncExecCallback"))),
                ApacheHttpAsyncClient5Instrumentation.class.getName() + "$AsyncProtocolExecAdvice"))
        .transform(
            advice.advice(
                named("needAuthentication").and(returns(boolean.class)),
                ApacheHttpAsyncClient5Instrumentation.class.getName() + "$NeedAuthenticationAdvice"))
        .transform(
            advice.advice(
                named("internalExecute").and(returns(void.class)),
                ApacheHttpAsyncClient5Instrumentation.class.getName() + "$InternalExecuteAdvice"));
  }

  /**
   * Applies the decision for each physical request, or fails the exchange; when the token is not
   * cached yet, skips the call and runs it again once the token request completes, so neither the
   * caller nor the I/O reactor ever waits for the IdP.
   */
  public static final class AsyncProtocolExecAdvice {
    private AsyncProtocolExecAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class, skipOn = Advice.OnNonDefaultValue.class)
    public static Object enter(
        @Advice.This Object self,
        @Advice.Argument(0) HttpRequest request,
        @Advice.Argument(1) AsyncEntityProducer entityProducer,
        @Advice.Argument(2) AsyncExecChain.Scope scope,
        @Advice.Argument(3) AsyncExecChain chain,
        @Advice.Argument(4) AsyncExecCallback callback) {
      HttpHost target = scope.route.getTargetHost();
      HttpContext context = scope.clientContext;
      context.removeAttribute(ApacheHttpClient5Instrumentation.REPLAYED); // a new exchange
      String method = request.getMethod();
      Decision decision =
          UpstreamOAuth.bridge()
              .decide(target.getSchemeName(), target.getHostName(), target.getPort(), request.getPath(), method, false);
      if (decision.action() == Decision.FAIL) {
        return decision.failure();
      }
      if (decision.action() == Decision.WAIT) {
        Resume.when(decision, self, "execute", new Object[] {request, entityProducer, scope, chain, callback}, callback, "failed");
        return Boolean.TRUE; // skipped: runs again when the token is ready
      }
      // what a replay starts from: the exec puts back only the caller's headers, which lack
      // those the chain above added (5.6's Accept-Encoding). Only a safe method whose body (if
      // any) can be sent again, on a route that replays.
      if (decision.keepsForReplay(method) && (entityProducer == null || entityProducer.isRepeatable())) {
        context.setAttribute(REPLAY_FROM, request.getHeaders());
        context.setAttribute(REPLAY_METHOD, method);
      } else {
        context.removeAttribute(REPLAY_FROM);
      }
      for (int i = 0; i < decision.size(); i++) {
        String name = decision.name(i);
        String value = decision.value(i);
        Header current = request.getFirstHeader(name);
        if (value != null) {
          request.removeHeaders(name);
          request.addHeader(name, value);
        } else if (current != null && decision.removes(i, current.getValue())) {
          request.removeHeaders(name);
        }
      }
      context.setAttribute(ApacheHttpClient5Instrumentation.SENT, decision);
      if (decision.readsDpopHeaders()) {
        context.setAttribute(ApacheHttpClient5Instrumentation.TARGET, target);
      }
      return null;
    }

    @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
    public static void exit(@Advice.Enter Object skipped, @Advice.Thrown(readOnly = false) Throwable thrown) {
      if (skipped instanceof IOException) {
        thrown = (IOException) skipped;
      }
    }
  }

  /**
   * On {@code needAuthentication} returning false: a response to a request that carried the
   * token, with a purge status the agent should replay on ({@code replay-after-purge}), purges the
   * token and is reported as a challenge, once per exchange.
   */
  public static final class NeedAuthenticationAdvice {
    private NeedAuthenticationAdvice() {}

    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void exit(@Advice.AllArguments Object[] args, @Advice.Return(readOnly = false) boolean challenged) {
      if (challenged) {
        return;
      }
      HttpResponse response = null;
      HttpContext context = null;
      for (int i = 0; i < args.length; i++) {
        if (args[i] instanceof HttpResponse) {
          response = (HttpResponse) args[i];
        } else if (args[i] instanceof HttpContext) {
          context = (HttpContext) args[i];
        }
      }
      if (response == null || context == null || context.getAttribute(ApacheHttpClient5Instrumentation.REPLAYED) != null
          || context.getAttribute(REPLAY_FROM) == null) {
        return; // not a request that may be replayed, or the replay itself
      }
      Object sent = context.getAttribute(ApacheHttpClient5Instrumentation.SENT);
      Object method = context.getAttribute(REPLAY_METHOD);
      if (!(sent instanceof Decision) || !(method instanceof String)) {
        return;
      }
      Decision decision = (Decision) sent;
      Object target = context.getAttribute(ApacheHttpClient5Instrumentation.TARGET);
      boolean again;
      if (decision.readsDpopHeaders() && target instanceof HttpHost) {
        HttpHost host = (HttpHost) target;
        Header nonce = response.getFirstHeader("DPoP-Nonce");
        String challenge = null;
        Header[] challenges = response.getHeaders("WWW-Authenticate");
        for (int i = 0; i < challenges.length; i++) {
          challenge = (challenge == null ? "" : challenge + ", ") + challenges[i].getValue();
        }
        again =
            decision.replayAfter(
                (String) method, response.getCode(), host.getSchemeName(), host.getHostName(), host.getPort(),
                nonce == null ? null : nonce.getValue(), challenge);
      } else {
        again = decision.replayAfter((String) method, response.getCode());
      }
      if (again) {
        context.setAttribute(ApacheHttpClient5Instrumentation.REPLAYED, Boolean.TRUE);
        challenged = true;
      }
    }
  }

  /**
   * On {@code internalExecute}, which the exec runs again after a challenge with the caller's
   * headers put back: applies a new decision (a new token after a replay's purge), or fails the
   * exchange when none can be had; a token not cached yet is waited for without blocking the
   * reactor, as in {@link AsyncProtocolExecAdvice}.
   */
  public static final class InternalExecuteAdvice {
    private InternalExecuteAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class, skipOn = Advice.OnNonDefaultValue.class)
    public static Object enter(@Advice.This Object self, @Advice.AllArguments Object[] args) {
      HttpRequest request = null;
      AsyncExecChain.Scope scope = null;
      AsyncExecCallback callback = null;
      for (int i = 0; i < args.length; i++) {
        if (args[i] instanceof HttpRequest) {
          request = (HttpRequest) args[i];
        } else if (args[i] instanceof AsyncExecChain.Scope) {
          scope = (AsyncExecChain.Scope) args[i];
        } else if (args[i] instanceof AsyncExecCallback) {
          callback = (AsyncExecCallback) args[i];
        }
      }
      if (request == null || scope == null) {
        return null;
      }
      HttpContext context = scope.clientContext;
      Object sent = context.getAttribute(ApacheHttpClient5Instrumentation.SENT);
      if (!(sent instanceof Decision) || ((Decision) sent).action() != Decision.SEND) {
        return null; // execute sent no token for this exchange
      }
      Decision previous = (Decision) sent;
      if (context.getAttribute(ApacheHttpClient5Instrumentation.REPLAYED) != null) {
        Object replayFrom = context.getAttribute(REPLAY_FROM);
        if (replayFrom instanceof Header[]) {
          request.setHeaders((Header[]) replayFrom); // the replay: the request as this stage first had it
        }
      } else {
        boolean firstRun = true;
        for (int i = 0; i < previous.size(); i++) {
          Header current = request.getFirstHeader(previous.name(i));
          if (previous.value(i) != null && (current == null || !previous.value(i).equals(current.getValue()))) {
            firstRun = false;
          }
        }
        if (firstRun) {
          return null; // right after execute applied the decision
        }
      }
      HttpHost target = scope.route.getTargetHost();
      Decision decision =
          UpstreamOAuth.bridge()
              .decide(target.getSchemeName(), target.getHostName(), target.getPort(), request.getPath(), request.getMethod(), false);
      if (decision.action() == Decision.FAIL) {
        return decision.failure();
      }
      if (decision.action() == Decision.WAIT) {
        if (callback == null) {
          // never: every version passes the callback
          return new IOException("upstream-oauth-agent: the request's token is not ready and it has no callback to wait with");
        }
        Resume.when(decision, self, "internalExecute", args, callback, "failed");
        return Boolean.TRUE;
      }
      for (int i = 0; i < decision.size(); i++) {
        String name = decision.name(i);
        String value = decision.value(i);
        Header current = request.getFirstHeader(name);
        if (value != null) {
          request.removeHeaders(name);
          request.addHeader(name, value);
        } else if (current != null && decision.removes(i, current.getValue())) {
          request.removeHeaders(name);
        }
      }
      context.setAttribute(ApacheHttpClient5Instrumentation.SENT, decision);
      if (decision.readsDpopHeaders()) {
        context.setAttribute(ApacheHttpClient5Instrumentation.TARGET, target);
      }
      return null;
    }

    @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
    public static void exit(@Advice.Enter Object skipped, @Advice.Thrown(readOnly = false) Throwable thrown) {
      if (skipped instanceof IOException) {
        thrown = (IOException) skipped;
      }
    }
  }
}
