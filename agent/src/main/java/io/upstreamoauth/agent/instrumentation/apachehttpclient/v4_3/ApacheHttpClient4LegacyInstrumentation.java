package io.upstreamoauth.agent.instrumentation.apachehttpclient.v4_3;

import static net.bytebuddy.matcher.ElementMatchers.named;
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
import net.bytebuddy.matcher.ElementMatcher;
import org.apache.http.Header;
import org.apache.http.HttpEntity;
import org.apache.http.HttpEntityEnclosingRequest;
import org.apache.http.HttpHost;
import org.apache.http.HttpRequest;
import org.apache.http.HttpResponse;
import org.apache.http.client.methods.CloseableHttpResponse;
import org.apache.http.client.methods.HttpUriRequest;
import org.apache.http.impl.client.CloseableHttpClient;
import org.apache.http.impl.client.RequestWrapper;
import org.apache.http.impl.client.RoutedRequest;
import org.apache.http.protocol.BasicHttpContext;
import org.apache.http.protocol.HttpContext;

/**
 * Apache HttpClient 4.3 to 4.5, the deprecated {@code DefaultHttpClient} family (everything built
 * on {@code AbstractHttpClient}: {@code DefaultHttpClient}, {@code SystemDefaultHttpClient},
 * {@code ContentEncodingHttpClient}, and the wrappers around them) that code written for 4.0–4.2
 * still uses.
 *
 * <p>These clients do not have the 4.3 exec chain: {@code DefaultRequestDirector.execute} runs
 * the redirect and authentication loop itself and sends each physical request through its private
 * {@code tryExecute}, on a {@code RequestWrapper} whose headers it resets from the caller's
 * request before every hop. The token goes in there, per hop, with that hop's route checked; a
 * redirect copies the caller's original headers, never the wrapper's, so the token cannot follow
 * it. Retries inside {@code tryExecute} resend the same wrapper, token included, once each.
 *
 * <p>{@code AbstractHttpClient.doExecute} fails the call before anything is sent when the target
 * is configured and has no token, as for the builder clients. With {@code replay-after-purge} it
 * also runs the replay: the director marks the context when the final hop's answer asks for one,
 * and {@code doExecute} closes that response and executes the caller's request once more through
 * the same client, the context marked so the second run is never replayed. When the caller passed
 * no context and the target replays, the advice passes an empty one where the director can leave
 * that mark (the client treats an empty context as it treats none).
 *
 * <p>Only with the 4.3+ classes on the class path: 4.0–4.2 are outside the supported range and
 * are left alone.
 *
 * <p>Advice here is inlined into Java 5/6 class files: no lambdas, no invokedynamic.
 */
public final class ApacheHttpClient4LegacyInstrumentation implements ClientInstrumentation {

  /** Context attribute the director sets when the final hop's answer should be replayed. */
  static final String REPLAY_WANTED = "io.upstreamoauth.replay-wanted";

  private static final String ABSTRACT_CLIENT = "org.apache.http.impl.client.AbstractHttpClient";
  private static final String REQUEST_DIRECTOR = "org.apache.http.impl.client.DefaultRequestDirector";
  /** A class that 4.3 introduced: its presence tells a supported version from 4.0–4.2. */
  private static final String SINCE_4_3 = "org/apache/http/impl/execchain/ClientExecChain.class";

  @Override
  public String name() {
    return "apache-httpclient-4.3-legacy";
  }

  @Override
  public List<String> targetClasses() {
    return Arrays.asList(ABSTRACT_CLIENT.replace('.', '/'), REQUEST_DIRECTOR.replace('.', '/'));
  }

  @Override
  public AgentBuilder extend(AgentBuilder builder, AdviceSupport advice) {
    String self = ApacheHttpClient4LegacyInstrumentation.class.getName();
    ElementMatcher<ClassLoader> supported = new Since43();
    return builder
        .type(named(ABSTRACT_CLIENT), supported)
        .transform(
            advice.advice(
                named("doExecute")
                    .and(takesArguments(3))
                    .and(takesArgument(0, named("org.apache.http.HttpHost")))
                    .and(takesArgument(1, named("org.apache.http.HttpRequest")))
                    .and(takesArgument(2, named("org.apache.http.protocol.HttpContext"))),
                self + "$DoExecuteAdvice"))
        .type(named(REQUEST_DIRECTOR), supported)
        .transform(
            advice.advice(
                named("tryExecute")
                    .and(takesArguments(2))
                    .and(takesArgument(0, named("org.apache.http.impl.client.RoutedRequest")))
                    .and(takesArgument(1, named("org.apache.http.protocol.HttpContext"))),
                self + "$TryExecuteAdvice"));
  }

  /** Matches the class loaders that see httpclient 4.3 or later. */
  static final class Since43 extends ElementMatcher.Junction.AbstractBase<ClassLoader> {
    @Override
    public boolean matches(ClassLoader loader) {
      // httpclient on the boot class path: left alone
      return loader != null && loader.getResource(SINCE_4_3) != null;
    }
  }

  /**
   * Fails the call before anything is sent when the target is configured and has no token; runs
   * the replay the director asked for.
   */
  public static final class DoExecuteAdvice {
    private DoExecuteAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class, skipOn = Advice.OnNonDefaultValue.class)
    public static IOException enter(
        @Advice.Argument(0) HttpHost target,
        @Advice.Argument(1) HttpRequest request,
        @Advice.Argument(value = 2, readOnly = false) HttpContext context,
        @Advice.Local("ownContext") boolean ownContext) {
      if (target == null) {
        return null; // the director works the target out; TryExecuteAdvice still checks it
      }
      String path = "";
      if (request instanceof HttpUriRequest) {
        URI uri = ((HttpUriRequest) request).getURI();
        if (uri != null && uri.getRawPath() != null) {
          path = uri.getRawPath();
        }
      }
      String method = request.getRequestLine().getMethod();
      Decision decision =
          UpstreamOAuth.bridge().decide(target.getSchemeName(), target.getHostName(), target.getPort(), path, method, true);
      if (decision.action() == Decision.FAIL) {
        return decision.failure();
      }
      if (decision.keepsForReplay(method) && context == null) {
        context = new BasicHttpContext(); // where the director can ask for a replay
        ownContext = true;
      }
      return null;
    }

    @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
    public static void exit(
        @Advice.This CloseableHttpClient self,
        @Advice.Enter IOException failure,
        @Advice.Argument(0) HttpHost target,
        @Advice.Argument(1) HttpRequest request,
        @Advice.Argument(2) HttpContext context,
        @Advice.Local("ownContext") boolean ownContext,
        @Advice.Return(readOnly = false) CloseableHttpResponse response,
        @Advice.Thrown(readOnly = false) Throwable thrown) {
      if (failure != null) {
        thrown = failure;
        return;
      }
      if (context == null || context.getAttribute(REPLAY_WANTED) == null) {
        return;
      }
      context.removeAttribute(REPLAY_WANTED); // never left in the caller's context
      if (response == null || context.getAttribute(ApacheHttpClient4Instrumentation.REPLAYED) != null) {
        return; // the call failed after all, or this is the replay itself
      }
      if (request instanceof HttpEntityEnclosingRequest) {
        HttpEntity entity = ((HttpEntityEnclosingRequest) request).getEntity();
        if (entity != null && !entity.isRepeatable()) {
          return; // a body that cannot be sent twice
        }
      }
      // the caller's own context goes to the replay as it would had the caller sent it again
      HttpContext replayContext = ownContext ? new BasicHttpContext() : context;
      replayContext.setAttribute(ApacheHttpClient4Instrumentation.REPLAYED, Boolean.TRUE);
      try {
        response.close(); // frees the connection the rejection came on
        response = self.execute(target, request, replayContext);
      } catch (Throwable replayFailure) {
        thrown = replayFailure; // what the application would see had it sent the request again
      } finally {
        replayContext.removeAttribute(ApacheHttpClient4Instrumentation.REPLAYED);
      }
    }
  }

  /** Applies the decision for each physical request and reports its status. */
  public static final class TryExecuteAdvice {
    private TryExecuteAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class, skipOn = Advice.OnNonDefaultValue.class)
    public static IOException enter(@Advice.Argument(0) RoutedRequest routed, @Advice.Local("decision") Decision decision) {
      RequestWrapper request = routed.getRequest();
      HttpHost target = routed.getRoute().getTargetHost();
      URI uri = request.getURI();
      decision =
          UpstreamOAuth.bridge()
              .decide(target.getSchemeName(), target.getHostName(), target.getPort(), uri == null ? null : uri.getRawPath(),
                  request.getRequestLine().getMethod(), true);
      if (decision.action() == Decision.FAIL) {
        return decision.failure();
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
        @Advice.Enter IOException failure,
        @Advice.Argument(0) RoutedRequest routed,
        @Advice.Argument(1) HttpContext context,
        @Advice.Local("decision") Decision decision,
        @Advice.Return HttpResponse response,
        @Advice.Thrown(readOnly = false) Throwable thrown) {
      if (failure != null) {
        thrown = failure;
        return;
      }
      if (decision == null || response == null || response.getStatusLine() == null) {
        return;
      }
      int status = response.getStatusLine().getStatusCode();
      HttpHost target = routed.getRoute().getTargetHost();
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
      String method = routed.getRequest().getRequestLine().getMethod();
      if (!decision.keepsForReplay(method)) {
        // nothing to mark; nor to unmark: only a replayable hop marks, and the director follows a
        // hop it may mark (a 401) only with the same request to the same target, replayable too
        return;
      }
      if (dpop
          ? decision.replayAfter(method, status, target.getSchemeName(), target.getHostName(), target.getPort(), nonce, challenge)
          : decision.replayAfter(method, status)) {
        context.setAttribute(REPLAY_WANTED, Boolean.TRUE);
      } else {
        // only the last hop's answer counts: a 401 the director then answers with credentials does not
        context.removeAttribute(REPLAY_WANTED);
      }
    }
  }
}
