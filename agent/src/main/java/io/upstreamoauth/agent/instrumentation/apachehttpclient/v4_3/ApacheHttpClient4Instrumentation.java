package io.upstreamoauth.agent.instrumentation.apachehttpclient.v4_3;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.upstreamoauth.agent.instrumentation.AdviceSupport;
import io.upstreamoauth.agent.instrumentation.ClientInstrumentation;
import io.upstreamoauth.bootstrap.Decision;
import io.upstreamoauth.bootstrap.UpstreamOAuth;
import java.io.IOException;
import java.net.URI;
import java.util.Arrays;
import java.util.List;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import org.apache.http.Header;
import org.apache.http.HttpEntity;
import org.apache.http.HttpEntityEnclosingRequest;
import org.apache.http.HttpHost;
import org.apache.http.HttpRequest;
import org.apache.http.client.methods.CloseableHttpResponse;
import org.apache.http.client.methods.HttpRequestWrapper;
import org.apache.http.client.methods.HttpExecutionAware;
import org.apache.http.client.methods.HttpUriRequest;
import org.apache.http.client.protocol.HttpClientContext;
import org.apache.http.conn.routing.HttpRoute;
import org.apache.http.impl.execchain.ClientExecChain;

/**
 * Apache HttpClient 4.3 to 4.5, every {@code execute} overload of the clients that
 * {@code HttpClients}/{@code HttpClientBuilder} build (the deprecated {@code DefaultHttpClient}
 * family is not covered).
 *
 * <p>The token goes in at {@code ProtocolExec.execute}, the stage of the 4.3+ exec chain below
 * {@code RedirectExec} and {@code RetryExec}: it runs once per physical request, every redirect hop
 * and retry included, on a per-request {@code HttpRequestWrapper}, never on the caller's request.
 * {@code RedirectExec} builds the next hop from the caller's original headers, which 4.5 forwards
 * to any host, so a token set on the caller's request would follow a redirect anywhere; set here,
 * each hop's host is checked. {@code MinimalClientExec} is the same stage of
 * {@code HttpClients.createMinimal()}.
 *
 * <p>A missing token fails {@code doExecute} up front: thrown inside the chain, the IOException
 * would be retried by {@code RetryExec} (the default handler retries idempotent requests).
 *
 * <p>With {@code replay-after-purge}, a GET, HEAD or OPTIONS that carried the token and was
 * rejected with a purge status is sent once more by the same stage: the rejected response is
 * closed, the request's headers are put back as they were before this stage ran (so the protocol
 * interceptors do not add a second Cookie or User-Agent) and {@code execute} runs again, which
 * sets a new token. The context attribute {@link #REPLAYED} marks the second run, so it is never
 * replayed itself.
 *
 * <p>Advice here is inlined into Java 6 class files: no lambdas, no invokedynamic.
 */
public final class ApacheHttpClient4Instrumentation implements ClientInstrumentation {

  /** Context attribute set while a replay runs. A constant: advice carries the literal. */
  static final String REPLAYED = "io.upstreamoauth.replayed";

  private static final String INTERNAL_CLIENT = "org.apache.http.impl.client.InternalHttpClient";
  private static final String MINIMAL_CLIENT = "org.apache.http.impl.client.MinimalHttpClient";
  private static final String PROTOCOL_EXEC = "org.apache.http.impl.execchain.ProtocolExec";
  private static final String MINIMAL_EXEC = "org.apache.http.impl.execchain.MinimalClientExec";

  @Override
  public String name() {
    return "apache-httpclient-4.3";
  }

  @Override
  public List<String> targetClasses() {
    return Arrays.asList(
        INTERNAL_CLIENT.replace('.', '/'),
        MINIMAL_CLIENT.replace('.', '/'),
        PROTOCOL_EXEC.replace('.', '/'),
        MINIMAL_EXEC.replace('.', '/'));
  }

  @Override
  public AgentBuilder extend(AgentBuilder builder, AdviceSupport advice) {
    String self = ApacheHttpClient4Instrumentation.class.getName();
    return builder
        .type(namedOneOf(INTERNAL_CLIENT, MINIMAL_CLIENT))
        .transform(
            advice.advice(
                named("doExecute")
                    .and(takesArguments(3))
                    .and(takesArgument(0, named("org.apache.http.HttpHost")))
                    .and(takesArgument(1, named("org.apache.http.HttpRequest")))
                    .and(takesArgument(2, named("org.apache.http.protocol.HttpContext"))),
                self + "$DoExecuteAdvice"))
        .type(namedOneOf(PROTOCOL_EXEC, MINIMAL_EXEC))
        .transform(
            advice.advice(
                named("execute")
                    .and(takesArguments(4))
                    .and(takesArgument(0, named("org.apache.http.conn.routing.HttpRoute")))
                    .and(takesArgument(1, named("org.apache.http.client.methods.HttpRequestWrapper")))
                    .and(takesArgument(2, named("org.apache.http.client.protocol.HttpClientContext")))
                    .and(takesArgument(3, named("org.apache.http.client.methods.HttpExecutionAware"))),
                self + "$ProtocolExecAdvice"));
  }

  /** Fails the call before anything is sent when the target is configured and has no token. */
  public static final class DoExecuteAdvice {
    private DoExecuteAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class, skipOn = Advice.OnNonDefaultValue.class)
    public static IOException enter(@Advice.Argument(0) HttpHost target, @Advice.Argument(1) HttpRequest request) {
      if (target == null) {
        return null; // the chain works the target out; ProtocolExecAdvice still checks it
      }
      String path = "";
      if (request instanceof HttpUriRequest) {
        URI uri = ((HttpUriRequest) request).getURI();
        if (uri != null && uri.getRawPath() != null) {
          path = uri.getRawPath();
        }
      }
      Decision decision =
          UpstreamOAuth.bridge()
              .decide(target.getSchemeName(), target.getHostName(), target.getPort(), path, request.getRequestLine().getMethod(), true);
      return decision.action() == Decision.FAIL ? decision.failure() : null;
    }

    @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
    public static void exit(@Advice.Enter IOException failure, @Advice.Thrown(readOnly = false) Throwable thrown) {
      if (failure != null) {
        thrown = failure;
      }
    }
  }

  /** Applies the decision for each physical request, reports its status and replays it if due. */
  public static final class ProtocolExecAdvice {
    private ProtocolExecAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class, skipOn = Advice.OnNonDefaultValue.class)
    public static IOException enter(
        @Advice.Argument(0) HttpRoute route,
        @Advice.Argument(1) HttpRequestWrapper request,
        @Advice.Local("decision") Decision decision,
        @Advice.Local("headersBefore") Header[] headersBefore) {
      HttpHost target = route.getTargetHost();
      URI uri = request.getURI();
      String method = request.getRequestLine().getMethod();
      decision =
          UpstreamOAuth.bridge()
              .decide(target.getSchemeName(), target.getHostName(), target.getPort(), uri == null ? null : uri.getRawPath(), method, true);
      if (decision.action() == Decision.FAIL) {
        return decision.failure();
      }
      if (decision.keepsForReplay(method)) {
        headersBefore = request.getAllHeaders(); // a copy: what a replay starts from
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
      return null;
    }

    @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
    public static void exit(
        @Advice.This ClientExecChain self,
        @Advice.Enter IOException failure,
        @Advice.Argument(0) HttpRoute route,
        @Advice.Argument(1) HttpRequestWrapper request,
        @Advice.Argument(2) HttpClientContext context,
        @Advice.Argument(3) HttpExecutionAware execAware,
        @Advice.Local("decision") Decision decision,
        @Advice.Local("headersBefore") Header[] headersBefore,
        @Advice.Return(readOnly = false) CloseableHttpResponse response,
        @Advice.Thrown(readOnly = false) Throwable thrown) {
      if (failure != null) {
        thrown = failure;
        return;
      }
      if (decision == null || response == null || response.getStatusLine() == null) {
        return;
      }
      int status = response.getStatusLine().getStatusCode();
      HttpHost target = route.getTargetHost();
      String nonce = null;
      String challenge = null;
      boolean dpop = decision.readsDpopHeaders();
      if (dpop) {
        Header header = response.getFirstHeader("DPoP-Nonce");
        nonce = header == null ? null : header.getValue();
        Header[] challenges = response.getHeaders("WWW-Authenticate");
        for (int i = 0; i < challenges.length; i++) {
          challenge = (challenge == null ? "" : challenge + ", ") + challenges[i].getValue();
        }
        decision.onResponse(status, target.getSchemeName(), target.getHostName(), target.getPort(), nonce, challenge);
      } else {
        decision.onResponse(status);
      }
      if (headersBefore == null || context == null || context.getAttribute(REPLAYED) != null) {
        return; // not a request that could be replayed, or the replay itself
      }
      String method = request.getRequestLine().getMethod();
      if (dpop
          ? !decision.replayAfter(method, status, target.getSchemeName(), target.getHostName(), target.getPort(), nonce, challenge)
          : !decision.replayAfter(method, status)) {
        return;
      }
      if (request instanceof HttpEntityEnclosingRequest) {
        HttpEntity entity = ((HttpEntityEnclosingRequest) request).getEntity();
        if (entity != null && !entity.isRepeatable()) {
          return; // a body that cannot be sent twice
        }
      }
      context.setAttribute(REPLAYED, Boolean.TRUE);
      try {
        response.close(); // frees the connection the rejection came on
        request.setHeaders(headersBefore);
        response = self.execute(route, request, context, execAware);
      } catch (Throwable replayFailure) {
        thrown = replayFailure; // what the application would see had it sent the request again
      } finally {
        context.removeAttribute(REPLAYED);
      }
    }
  }
}
