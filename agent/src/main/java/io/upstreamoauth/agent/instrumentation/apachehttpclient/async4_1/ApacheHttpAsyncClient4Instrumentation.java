package io.upstreamoauth.agent.instrumentation.apachehttpclient.async4_1;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.returns;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.upstreamoauth.agent.instrumentation.AdviceSupport;
import io.upstreamoauth.agent.instrumentation.ClientInstrumentation;
import java.util.Collections;
import java.util.List;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * Apache HttpAsyncClient 4.1.x ({@code HttpAsyncClients.custom()}, {@code createDefault()},
 * {@code createSystem()}), the client under the Elasticsearch low-level {@code
 * RestClient}.
 *
 * <p>Every client the builder makes runs each exchange through {@code MainClientExec}, which
 * follows redirects and answers auth challenges inside the exchange. Its {@code generateRequest}
 * produces each physical request (the first, every redirect hop, every attempt on a new
 * connection) on the I/O reactor thread, as a per-hop {@code HttpRequestWrapper}: the token goes
 * on that wrapper, never on the caller's request, and each hop's host is checked. A redirect hop
 * starts from the caller's headers, except a 307/308 of a method other than GET or HEAD, which
 * copies the previous hop's request: a value the agent issued for another host comes off there.
 *
 * <p>A token not yet cached is never waited for on the reactor: the request is not produced (the
 * connection's output is suspended), and when the token request completes the exchange's own
 * {@code inputTerminated} asks for a connection again, as the client does when a connection
 * closes under it; {@code generateRequest} then runs again and decides again. A token that cannot
 * be had fails the exchange through {@code failed}, so the caller's {@code Future} and {@code
 * FutureCallback} get the IOException; nothing is thrown on the reactor.
 *
 * <p>{@code replay-after-purge} (and a DPoP nonce challenge) use the exec's own authentication
 * loop, as for the 5.x async client: {@code needAuthentication} answers "challenged" for a
 * rejected request the agent should replay, so the exec discards the response and sends the same
 * request again, where the agent sets a new token. Needs the request config's authentication on
 * (the default).
 *
 * <p>{@code HttpAsyncClients.createMinimal()} and {@code createPipelining()} do not go through
 * {@code MainClientExec} and are not covered. Advice here is inlined into Java 6 class files: no
 * lambdas.
 */
public final class ApacheHttpAsyncClient4Instrumentation implements ClientInstrumentation {

  /** Context attribute: the decision applied to the request in flight. */
  static final String SENT = "io.upstreamoauth.sent";

  /** Context attribute: the method of a request in flight that may be replayed. */
  static final String REPLAY_METHOD = "io.upstreamoauth.replay-method";

  /** Context attribute: set once the exchange has been replayed. */
  static final String REPLAYED = "io.upstreamoauth.replayed";

  /** Context attribute: set while the exchange waits for a token (a second wait fails it). */
  static final String WAITED = "io.upstreamoauth.waited";

  private static final String MAIN_EXEC = "org.apache.http.impl.nio.client.MainClientExec";
  private static final String STATE = "org.apache.http.impl.nio.client.InternalState";
  private static final String HANDLER = "org.apache.http.impl.nio.client.AbstractClientExchangeHandler";

  @Override
  public String name() {
    return "apache-httpasyncclient-4.1";
  }

  @Override
  public List<String> targetClasses() {
    return Collections.singletonList(MAIN_EXEC.replace('.', '/'));
  }

  @Override
  public AgentBuilder extend(AgentBuilder builder, AdviceSupport advice) {
    // by name: the advice classes (which name the library's types) are only read, never loaded
    String advices = ApacheHttpAsyncClient4Instrumentation.class.getName().replace("Instrumentation", "Advice");
    return builder
        .type(named(MAIN_EXEC))
        .transform(
            advice.advice(
                named("prepare")
                    .and(takesArguments(4))
                    .and(takesArgument(0, named("org.apache.http.HttpHost")))
                    .and(takesArgument(1, named("org.apache.http.HttpRequest")))
                    .and(stateAndHandler(2)),
                advices + "$PrepareAdvice"))
        .transform(
            advice.advice(
                named("generateRequest")
                    .and(takesArguments(2))
                    .and(stateAndHandler(0))
                    .and(returns(named("org.apache.http.HttpRequest"))),
                advices + "$GenerateRequestAdvice"))
        .transform(
            advice.advice(
                named("responseReceived")
                    .and(takesArguments(3))
                    .and(takesArgument(0, named("org.apache.http.HttpResponse")))
                    .and(stateAndHandler(1)),
                advices + "$ResponseReceivedAdvice"))
        .transform(
            advice.advice(
                named("needAuthentication").and(takesArguments(2)).and(stateAndHandler(0)).and(returns(boolean.class)),
                advices + "$NeedAuthenticationAdvice"));
  }

  private static ElementMatcher.Junction<MethodDescription> stateAndHandler(int first) {
    return takesArgument(first, named(STATE)).and(takesArgument(first + 1, named(HANDLER)));
  }
}
