package io.upstreamoauth.agent.instrumentation.apachehttpclient.v5_0;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.upstreamoauth.agent.instrumentation.AdviceSupport;
import io.upstreamoauth.agent.instrumentation.ClientInstrumentation;
import io.upstreamoauth.bootstrap.Decision;
import io.upstreamoauth.bootstrap.UpstreamOAuth;
import java.io.IOException;
import java.util.Collections;
import java.util.List;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpHost;

/**
 * Apache HttpClient 5.0 to 5.6, the classic client of {@code HttpClients.createMinimal()}: no exec
 * chain, no redirects, no retries, no authentication; {@code MinimalHttpClient.doExecute} sends
 * the caller's request object itself, once.
 *
 * <p>So the token goes on that object for the one exchange and is taken off again when {@code
 * doExecute} returns or throws: the caller's own values of the header are put back, and the
 * request, if sent again elsewhere, carries nothing of the agent's. The status is reported from
 * the same advice, for purge. {@code replay-after-purge} does not apply: a client that never
 * repeats a request should not start to.
 */
public final class ApacheHttpClient5MinimalInstrumentation implements ClientInstrumentation {

  private static final String MINIMAL_CLIENT = "org.apache.hc.client5.http.impl.classic.MinimalHttpClient";

  @Override
  public String name() {
    return "apache-httpclient-5.0-minimal";
  }

  @Override
  public List<String> targetClasses() {
    return Collections.singletonList(MINIMAL_CLIENT.replace('.', '/'));
  }

  @Override
  public AgentBuilder extend(AgentBuilder builder, AdviceSupport advice) {
    return builder
        .type(named(MINIMAL_CLIENT))
        .transform(
            advice.advice(
                named("doExecute")
                    .and(takesArguments(3))
                    .and(takesArgument(0, named("org.apache.hc.core5.http.HttpHost")))
                    .and(takesArgument(1, named("org.apache.hc.core5.http.ClassicHttpRequest")))
                    .and(takesArgument(2, named("org.apache.hc.core5.http.protocol.HttpContext"))),
                ApacheHttpClient5MinimalInstrumentation.class.getName() + "$DoExecuteAdvice"));
  }

  /** Puts the token on the caller's request for one exchange, reports the status, takes it off. */
  public static final class DoExecuteAdvice {
    private DoExecuteAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class, skipOn = Advice.OnNonDefaultValue.class)
    public static IOException enter(
        @Advice.Argument(0) HttpHost target,
        @Advice.Argument(1) ClassicHttpRequest request,
        @Advice.Local("decision") Decision decision,
        @Advice.Local("callers") Header[][] callers) {
      if (target == null || request == null) {
        return null; // the client refuses it itself
      }
      decision =
          UpstreamOAuth.bridge()
              .decide(target.getSchemeName(), target.getHostName(), target.getPort(), request.getPath(), request.getMethod(), true);
      if (decision.action() == Decision.FAIL) {
        return decision.failure();
      }
      for (int i = 0; i < decision.size(); i++) {
        String name = decision.name(i);
        String value = decision.value(i);
        Header current = request.getFirstHeader(name);
        if (value != null || (current != null && decision.removes(i, current.getValue()))) {
          if (callers == null) {
            callers = new Header[decision.size()][];
          }
          callers[i] = request.getHeaders(name); // the caller's own values: put back after the exchange
          request.removeHeaders(name);
          if (value != null) {
            request.addHeader(name, value);
          }
        }
      }
      return null;
    }

    @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
    public static void exit(
        @Advice.Enter IOException failure,
        @Advice.Argument(0) HttpHost target,
        @Advice.Argument(1) ClassicHttpRequest request,
        @Advice.Local("decision") Decision decision,
        @Advice.Local("callers") Header[][] callers,
        @Advice.Return ClassicHttpResponse response,
        @Advice.Thrown(readOnly = false) Throwable thrown) {
      if (failure != null) {
        thrown = failure;
        return;
      }
      if (decision == null || callers == null) {
        return;
      }
      for (int i = 0; i < callers.length; i++) {
        if (callers[i] != null) {
          request.removeHeaders(decision.name(i));
          for (int j = 0; j < callers[i].length; j++) {
            request.addHeader(callers[i][j]);
          }
        }
      }
      if (response == null) {
        return;
      }
      if (decision.readsDpopHeaders()) {
        Header nonce = response.getFirstHeader("DPoP-Nonce");
        String challenge = null;
        Header[] challenges = response.getHeaders("WWW-Authenticate");
        for (int i = 0; i < challenges.length; i++) {
          challenge = (challenge == null ? "" : challenge + ", ") + challenges[i].getValue();
        }
        decision.onResponse(
            response.getCode(), target.getSchemeName(), target.getHostName(), target.getPort(),
            nonce == null ? null : nonce.getValue(), challenge);
      } else {
        decision.onResponse(response.getCode());
      }
    }
  }
}
