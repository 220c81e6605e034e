package io.upstreamoauth.agent.instrumentation.apachehttpclient.v5_0;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.upstreamoauth.agent.instrumentation.AdviceSupport;
import io.upstreamoauth.agent.instrumentation.ClientInstrumentation;
import io.upstreamoauth.bootstrap.AuthHeader;
import io.upstreamoauth.bootstrap.OAuthBridge;
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
                ApacheHttpAsyncClient5Instrumentation.class.getName() + "$AsyncProtocolExecAdvice"));
  }

  /** Sets the token on each physical request to a configured host, or fails the exchange. */
  public static final class AsyncProtocolExecAdvice {
    private AsyncProtocolExecAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class, skipOn = Advice.OnNonDefaultValue.class)
    public static IOException enter(@Advice.Argument(0) HttpRequest request, @Advice.Argument(2) AsyncExecChain.Scope scope) {
      HttpHost target = scope.route.getTargetHost();
      HttpContext context = scope.clientContext;
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
        request.removeHeaders(header.name());
        request.addHeader(header.name(), header.value());
        context.setAttribute(
            ApacheHttpClient5Instrumentation.SENT,
            new Object[] {target.getSchemeName(), target.getHostName(), Integer.valueOf(target.getPort()), path, header.value()});
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
}
