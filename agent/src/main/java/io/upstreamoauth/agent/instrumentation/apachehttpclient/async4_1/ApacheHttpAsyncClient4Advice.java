package io.upstreamoauth.agent.instrumentation.apachehttpclient.async4_1;

import io.upstreamoauth.bootstrap.Decision;
import io.upstreamoauth.bootstrap.Resume;
import io.upstreamoauth.bootstrap.UpstreamOAuth;
import java.io.IOException;
import java.net.URI;
import net.bytebuddy.asm.Advice;
import org.apache.http.Header;
import org.apache.http.HttpHost;
import org.apache.http.HttpRequest;
import org.apache.http.HttpResponse;
import org.apache.http.client.methods.HttpUriRequest;
import org.apache.http.client.protocol.HttpClientContext;
import org.apache.http.conn.routing.HttpRoute;
import org.apache.http.impl.nio.client.InternalState;
import org.apache.http.nio.NHttpClientConnection;
import org.apache.http.nio.protocol.HttpAsyncClientExchangeHandler;
import org.apache.http.nio.protocol.HttpAsyncRequestProducer;

/**
 * The advice of {@link ApacheHttpAsyncClient4Instrumentation}, inlined into {@code
 * MainClientExec}. Its state and handler types are package-private there: the advice takes them
 * as {@code Object} and casts to the public interface or the compile-time stub.
 */
public final class ApacheHttpAsyncClient4Advice {
  private ApacheHttpAsyncClient4Advice() {}

  /** A new exchange: what an earlier one left in a context the application reuses goes. */
  public static final class PrepareAdvice {
    private PrepareAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(@Advice.Argument(2) Object state) {
      HttpClientContext context = ((InternalState) state).getLocalContext();
      context.removeAttribute(ApacheHttpAsyncClient4Instrumentation.SENT);
      context.removeAttribute(ApacheHttpAsyncClient4Instrumentation.REPLAY_METHOD);
      context.removeAttribute(ApacheHttpAsyncClient4Instrumentation.REPLAYED);
      context.removeAttribute(ApacheHttpAsyncClient4Instrumentation.WAITED);
    }
  }

  /**
   * Applies the decision to each physical request the exec produces; a token not cached yet
   * holds the request back until the token request completes, a token that cannot be had fails
   * the exchange.
   */
  public static final class GenerateRequestAdvice {
    private GenerateRequestAdvice() {}

    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void exit(
        @Advice.Argument(0) Object state,
        @Advice.Argument(1) Object handler,
        @Advice.Return(readOnly = false) HttpRequest request) {
      if (request == null) {
        return;
      }
      HttpClientContext context = ((InternalState) state).getLocalContext();
      String method = request.getRequestLine().getMethod();
      if ("CONNECT".equals(method)) {
        context.removeAttribute(ApacheHttpAsyncClient4Instrumentation.SENT);
        return; // the tunnel through a proxy; the request itself comes next
      }
      Object route = context.getAttribute(HttpClientContext.HTTP_ROUTE);
      if (!(route instanceof HttpRoute)) {
        return;
      }
      HttpHost target = ((HttpRoute) route).getTargetHost();
      String path = null;
      if (request instanceof HttpUriRequest) {
        URI uri = ((HttpUriRequest) request).getURI();
        path = uri == null ? null : uri.getRawPath();
      }
      Decision decision =
          UpstreamOAuth.bridge().decide(target.getSchemeName(), target.getHostName(), target.getPort(), path, method, false);
      if (decision.action() == Decision.WAIT && context.getAttribute(ApacheHttpAsyncClient4Instrumentation.WAITED) == null) {
        Object connection = context.getAttribute(HttpClientContext.HTTP_CONNECTION);
        if (connection instanceof NHttpClientConnection) {
          context.setAttribute(ApacheHttpAsyncClient4Instrumentation.WAITED, Boolean.TRUE);
          // hold this connection's output (HttpCore 4.4.1 does not, on a null request) and go on
          // as if it had closed: a new connection, and this request produced again
          ((NHttpClientConnection) connection).suspendOutput();
          Resume.when(decision, handler, "inputTerminated", new Object[0], handler, "failed");
          request = null;
          return;
        }
      }
      if (decision.action() == Decision.WAIT || decision.action() == Decision.FAIL) {
        // WAIT again right after a wait: the token request completed and its token is gone
        // already; waiting again could go on for ever
        IOException failure =
            decision.action() == Decision.FAIL
                ? decision.failure()
                : new IOException(
                    context.getAttribute(ApacheHttpAsyncClient4Instrumentation.WAITED) != null
                        ? "upstream-oauth-agent: the request's token was dropped while the request waited for it"
                        : "upstream-oauth-agent: the request's token is not ready and its connection is unknown");
        ((HttpAsyncClientExchangeHandler) handler).failed(failure);
        request = null; // nothing goes out; the exchange has failed
        return;
      }
      context.removeAttribute(ApacheHttpAsyncClient4Instrumentation.WAITED);
      HttpAsyncRequestProducer producer = ((InternalState) state).getRequestProducer();
      if (decision.keepsForReplay(method) && (producer == null || producer.isRepeatable())) {
        context.setAttribute(ApacheHttpAsyncClient4Instrumentation.REPLAY_METHOD, method);
      } else {
        context.removeAttribute(ApacheHttpAsyncClient4Instrumentation.REPLAY_METHOD);
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
      context.setAttribute(ApacheHttpAsyncClient4Instrumentation.SENT, decision);
    }
  }

  /** Tells the agent the status (and DPoP headers) of the response to a request it decided for. */
  public static final class ResponseReceivedAdvice {
    private ResponseReceivedAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(@Advice.Argument(0) HttpResponse response, @Advice.Argument(1) Object state) {
      HttpClientContext context = ((InternalState) state).getLocalContext();
      Object sent = context.getAttribute(ApacheHttpAsyncClient4Instrumentation.SENT);
      Object route = context.getAttribute(HttpClientContext.HTTP_ROUTE);
      if (!(sent instanceof Decision) || response.getStatusLine() == null) {
        return;
      }
      Decision decision = (Decision) sent;
      int status = response.getStatusLine().getStatusCode();
      if (decision.readsDpopHeaders() && route instanceof HttpRoute) {
        HttpHost target = ((HttpRoute) route).getTargetHost();
        Header nonce = response.getFirstHeader("DPoP-Nonce");
        String challenge = null;
        Header[] challenges = response.getHeaders("WWW-Authenticate");
        for (int i = 0; i < challenges.length; i++) {
          challenge = (challenge == null ? "" : challenge + ", ") + challenges[i].getValue();
        }
        decision.onResponse(
            status, target.getSchemeName(), target.getHostName(), target.getPort(), nonce == null ? null : nonce.getValue(),
            challenge);
      } else {
        decision.onResponse(status);
      }
    }
  }

  /**
   * On {@code needAuthentication} answering false: a rejected request the agent should replay
   * purges the token and is reported as a challenge, once per exchange, so the exec sends it
   * again (and {@link GenerateRequestAdvice} sets a new token).
   */
  public static final class NeedAuthenticationAdvice {
    private NeedAuthenticationAdvice() {}

    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void exit(@Advice.Argument(0) Object state, @Advice.Return(readOnly = false) boolean challenged) {
      if (challenged) {
        return;
      }
      HttpClientContext context = ((InternalState) state).getLocalContext();
      Object method = context.getAttribute(ApacheHttpAsyncClient4Instrumentation.REPLAY_METHOD);
      Object sent = context.getAttribute(ApacheHttpAsyncClient4Instrumentation.SENT);
      Object received = context.getAttribute(HttpClientContext.HTTP_RESPONSE);
      Object route = context.getAttribute(HttpClientContext.HTTP_ROUTE);
      if (!(method instanceof String) || !(sent instanceof Decision) || !(received instanceof HttpResponse)
          || context.getAttribute(ApacheHttpAsyncClient4Instrumentation.REPLAYED) != null) {
        return; // not a request that may be replayed, or the replay itself
      }
      Decision decision = (Decision) sent;
      HttpResponse response = (HttpResponse) received;
      int status = response.getStatusLine().getStatusCode();
      boolean again;
      if (decision.readsDpopHeaders() && route instanceof HttpRoute) {
        HttpHost target = ((HttpRoute) route).getTargetHost();
        Header nonce = response.getFirstHeader("DPoP-Nonce");
        String challenge = null;
        Header[] challenges = response.getHeaders("WWW-Authenticate");
        for (int i = 0; i < challenges.length; i++) {
          challenge = (challenge == null ? "" : challenge + ", ") + challenges[i].getValue();
        }
        again =
            decision.replayAfter(
                (String) method, status, target.getSchemeName(), target.getHostName(), target.getPort(),
                nonce == null ? null : nonce.getValue(), challenge);
      } else {
        again = decision.replayAfter((String) method, status);
      }
      if (again) {
        context.setAttribute(ApacheHttpAsyncClient4Instrumentation.REPLAYED, Boolean.TRUE);
        challenged = true;
      }
    }
  }
}
