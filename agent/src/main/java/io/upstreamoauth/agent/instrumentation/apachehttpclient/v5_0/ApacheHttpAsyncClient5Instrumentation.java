package io.upstreamoauth.agent.instrumentation.apachehttpclient.v5_0;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.returns;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.upstreamoauth.agent.instrumentation.AdviceSupport;
import io.upstreamoauth.agent.instrumentation.ClientInstrumentation;
import io.upstreamoauth.bootstrap.AuthHeader;
import io.upstreamoauth.bootstrap.OAuthBridge;
import io.upstreamoauth.bootstrap.SentToken;
import io.upstreamoauth.bootstrap.UpstreamOAuth;
import java.io.IOException;
import java.util.Collections;
import java.util.List;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
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

  /** Sets the token on each physical request to a configured host, or fails the exchange. */
  public static final class AsyncProtocolExecAdvice {
    private AsyncProtocolExecAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class, skipOn = Advice.OnNonDefaultValue.class)
    public static IOException enter(
        @Advice.Argument(0) HttpRequest request,
        @Advice.Argument(1) AsyncEntityProducer entityProducer,
        @Advice.Argument(2) AsyncExecChain.Scope scope) {
      HttpHost target = scope.route.getTargetHost();
      HttpContext context = scope.clientContext;
      context.removeAttribute(ApacheHttpClient5Instrumentation.REPLAYED); // a new exchange
      String path = request.getPath() == null ? "" : request.getPath();
      int query = path.indexOf('?');
      path = query < 0 ? path : path.substring(0, query);
      OAuthBridge bridge = UpstreamOAuth.bridge();
      AuthHeader header;
      try {
        header = bridge.headerFor(target.getSchemeName(), target.getHostName(), target.getPort(), path);
      } catch (IOException e) {
        return e;
      }
      if (header != null) {
        String method = request.getMethod();
        // what a replay starts from: the exec puts back only the caller's headers, which lack
        // those the chain above added (5.6's Accept-Encoding). Only a safe method whose body (if
        // any) can be sent again, on a route that replays.
        Header[] replayFrom =
            header.replayAfterPurge()
                    && ("GET".equals(method) || "HEAD".equals(method) || "OPTIONS".equals(method))
                    && (entityProducer == null || entityProducer.isRepeatable())
                ? request.getHeaders()
                : null;
        request.removeHeaders(header.name());
        request.addHeader(header.name(), header.value());
        context.setAttribute(
            ApacheHttpClient5Instrumentation.SENT,
            new SentToken(target.getSchemeName(), target.getHostName(), target.getPort(), path, header, method, replayFrom));
        return null;
      }
      context.removeAttribute(ApacheHttpClient5Instrumentation.SENT);
      String[] names = bridge.headerNames();
      for (int i = 0; i < names.length; i++) {
        Header sent = request.getFirstHeader(names[i]);
        if (sent != null && bridge.isIssued(sent.getValue())) {
          request.removeHeaders(names[i]);
        }
      }
      return null;
    }

    @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
    public static void exit(@Advice.Enter IOException failure, @Advice.Thrown(readOnly = false) Throwable thrown) {
      if (failure != null) {
        thrown = failure;
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
      if (response == null || context == null || context.getAttribute(ApacheHttpClient5Instrumentation.REPLAYED) != null) {
        return;
      }
      Object stored = context.getAttribute(ApacheHttpClient5Instrumentation.SENT);
      if (!(stored instanceof SentToken) || ((SentToken) stored).replayFrom == null) {
        return; // no token sent, or a request that may not be replayed
      }
      SentToken sent = (SentToken) stored;
      OAuthBridge bridge = UpstreamOAuth.bridge();
      if (bridge.shouldReplay(sent.scheme, sent.host, sent.port, sent.path, sent.method, response.getCode())) {
        bridge.onResponse(sent.scheme, sent.host, sent.port, sent.path, response.getCode(), sent.header.value());
        context.setAttribute(ApacheHttpClient5Instrumentation.REPLAYED, Boolean.TRUE);
        challenged = true;
      }
    }
  }

  /**
   * On {@code internalExecute}, which the exec runs again after a challenge with the caller's
   * headers put back: sets the token again (a new one after a replay's purge), or fails the
   * exchange when none can be had.
   */
  public static final class InternalExecuteAdvice {
    private InternalExecuteAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class, skipOn = Advice.OnNonDefaultValue.class)
    public static IOException enter(@Advice.AllArguments Object[] args) {
      HttpRequest request = null;
      AsyncExecChain.Scope scope = null;
      for (int i = 0; i < args.length; i++) {
        if (args[i] instanceof HttpRequest) {
          request = (HttpRequest) args[i];
        } else if (args[i] instanceof AsyncExecChain.Scope) {
          scope = (AsyncExecChain.Scope) args[i];
        }
      }
      if (request == null || scope == null) {
        return null;
      }
      HttpContext context = scope.clientContext;
      Object stored = context.getAttribute(ApacheHttpClient5Instrumentation.SENT);
      if (!(stored instanceof SentToken)) {
        return null; // execute set no token for this exchange
      }
      SentToken sent = (SentToken) stored;
      if (context.getAttribute(ApacheHttpClient5Instrumentation.REPLAYED) != null) {
        if (sent.replayFrom != null) {
          request.setHeaders((Header[]) sent.replayFrom); // the replay: the request as this stage first had it
        }
      } else {
        Header current = request.getFirstHeader(sent.header.name());
        if (current != null && sent.header.value().equals(current.getValue())) {
          return null; // the first run, right after execute set the token
        }
      }
      AuthHeader header;
      try {
        header = UpstreamOAuth.bridge().headerFor(sent.scheme, sent.host, sent.port, sent.path);
      } catch (IOException e) {
        return e;
      }
      if (header != null) {
        request.removeHeaders(header.name());
        request.addHeader(header.name(), header.value());
        context.setAttribute(ApacheHttpClient5Instrumentation.SENT, sent.withHeader(header));
      }
      return null;
    }

    @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
    public static void exit(@Advice.Enter IOException failure, @Advice.Thrown(readOnly = false) Throwable thrown) {
      if (failure != null) {
        thrown = failure;
      }
    }
  }
}
