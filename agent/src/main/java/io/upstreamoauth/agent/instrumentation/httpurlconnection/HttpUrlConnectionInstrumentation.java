package io.upstreamoauth.agent.instrumentation.httpurlconnection;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesNoArguments;

import io.upstreamoauth.agent.instrumentation.AdviceSupport;
import io.upstreamoauth.agent.instrumentation.ClientInstrumentation;
import io.upstreamoauth.bootstrap.AuthHeader;
import io.upstreamoauth.bootstrap.OAuthBridge;
import io.upstreamoauth.bootstrap.UpstreamOAuth;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URL;
import java.util.Collections;
import java.util.List;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import sun.net.www.MessageHeader;

/**
 * {@code HttpURLConnection}, HTTP and HTTPS: the HTTPS connection only delegates to a subclass of
 * {@code sun.net.www.protocol.http.HttpURLConnection}, so one class covers both.
 *
 * <p>The token goes in at {@code writeRequests()}, which runs once per physical request, after the
 * JDK has followed a redirect and before the request bytes go out, whichever public method
 * (connect, getOutputStream, getInputStream, getResponseCode, streaming modes) led there. The host
 * is checked on every hop: a redirect to a host that is not configured drops the agent's header.
 */
public final class HttpUrlConnectionInstrumentation implements ClientInstrumentation {

  private static final String TARGET = "sun.net.www.protocol.http.HttpURLConnection";

  @Override
  public String name() {
    return "http-url-connection";
  }

  @Override
  public List<String> targetClasses() {
    return Collections.singletonList(TARGET.replace('.', '/'));
  }

  @Override
  public AgentBuilder extend(AgentBuilder builder, AdviceSupport advice) {
    String self = HttpUrlConnectionInstrumentation.class.getName();
    return builder
        .type(named(TARGET))
        .transform(
            advice.advice(named("writeRequests").and(takesNoArguments()), self + "$WriteRequestsAdvice"))
        .transform(
            advice.advice(named("getInputStream").and(takesNoArguments()), self + "$GetInputStreamAdvice"));
  }

  /** Puts the token on each physical request, or fails it when the token cannot be had. */
  public static final class WriteRequestsAdvice {
    private WriteRequestsAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class, skipOn = Advice.OnNonDefaultValue.class)
    public static IOException enter(
        @Advice.This HttpURLConnection connection,
        @Advice.FieldValue("requests") MessageHeader requests,
        @Advice.FieldValue(value = "isUserServerAuth", readOnly = false) boolean userServerAuth) {
      if (requests == null) {
        return null;
      }
      OAuthBridge bridge = UpstreamOAuth.bridge();
      URL url = connection.getURL();
      AuthHeader header;
      try {
        header = bridge.headerFor(url.getProtocol(), url.getHost(), url.getPort(), url.getPath());
      } catch (IOException e) {
        return e;
      }
      if (header != null) {
        requests.set(header.name(), header.value());
        if ("Authorization".equalsIgnoreCase(header.name())) {
          // as if the application had set it: the JDK then keeps it on the request after a
          // response (where purge-on-401 reads it) instead of treating it as its own
          userServerAuth = true;
        }
        return null;
      }
      // not configured: a header the agent set on an earlier hop (same-host redirect) goes
      String[] names = bridge.headerNames();
      for (int i = 0; i < names.length; i++) {
        String value = requests.findValue(names[i]);
        if (value != null && bridge.isIssued(value)) {
          requests.remove(names[i]);
        }
      }
      return null;
    }

    @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
    public static void exit(
        @Advice.Enter IOException failure, @Advice.Thrown(readOnly = false) Throwable thrown) {
      if (failure != null) {
        thrown = failure;
      }
    }
  }

  /** Tells the agent the status of a request that carried its token, so a rejected one is purged. */
  public static final class GetInputStreamAdvice {
    private GetInputStreamAdvice() {}

    @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
    public static void exit(
        @Advice.This HttpURLConnection connection,
        @Advice.FieldValue("requests") MessageHeader requests,
        @Advice.FieldValue("responseCode") int status) {
      if (requests == null || status <= 0) {
        return;
      }
      OAuthBridge bridge = UpstreamOAuth.bridge();
      String[] names = bridge.headerNames();
      for (int i = 0; i < names.length; i++) {
        String value = requests.findValue(names[i]);
        if (value != null) {
          URL url = connection.getURL();
          bridge.onResponse(url.getProtocol(), url.getHost(), url.getPort(), url.getPath(), status, value);
        }
      }
    }
  }
}
