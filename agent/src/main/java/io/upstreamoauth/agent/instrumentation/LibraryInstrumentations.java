package io.upstreamoauth.agent.instrumentation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The library instrumentations, by class name, with the classes each transforms. The gate needs
 * only these names: the instrumentation classes themselves (and through them Byte Buddy) are
 * loaded when one of the classes appears, never at start-up. {@code LibraryInstrumentationsTest}
 * checks the names against each instrumentation's own {@code targetClasses()}.
 */
final class LibraryInstrumentations {

  private static final String PACKAGE = "io.upstreamoauth.agent.instrumentation.";

  /** Instrumentation class name to the internal names of the classes it transforms. */
  static final Map<String, List<String>> TARGETS;

  static {
    Map<String, List<String>> targets = new LinkedHashMap<String, List<String>>();
    targets.put(
        PACKAGE + "apachehttpclient.v4_3.ApacheHttpClient4Instrumentation",
        Arrays.asList(
            "org/apache/http/impl/client/InternalHttpClient",
            "org/apache/http/impl/client/MinimalHttpClient",
            "org/apache/http/impl/execchain/ProtocolExec",
            "org/apache/http/impl/execchain/MinimalClientExec"));
    targets.put(
        PACKAGE + "apachehttpclient.v4_3.ApacheHttpClient4LegacyInstrumentation",
        Arrays.asList(
            "org/apache/http/impl/client/AbstractHttpClient",
            "org/apache/http/impl/client/DefaultRequestDirector"));
    targets.put(
        PACKAGE + "apachehttpclient.v5_0.ApacheHttpClient5Instrumentation",
        Arrays.asList(
            "org/apache/hc/client5/http/impl/classic/InternalHttpClient",
            "org/apache/hc/client5/http/impl/classic/ProtocolExec",
            "org/apache/hc/core5/http/protocol/DefaultHttpProcessor"));
    targets.put(
        PACKAGE + "apachehttpclient.v5_0.ApacheHttpClient5MinimalInstrumentation",
        Collections.singletonList("org/apache/hc/client5/http/impl/classic/MinimalHttpClient"));
    targets.put(
        PACKAGE + "apachehttpclient.v5_0.ApacheHttpAsyncClient5Instrumentation",
        Collections.singletonList("org/apache/hc/client5/http/impl/async/AsyncProtocolExec"));
    targets.put(
        PACKAGE + "apachehttpclient.async4_1.ApacheHttpAsyncClient4Instrumentation",
        Collections.singletonList("org/apache/http/impl/nio/client/MainClientExec"));
    targets.put(
        PACKAGE + "okhttp.v3_0.OkHttpInstrumentation",
        Arrays.asList(
            "okhttp3/internal/http/RealInterceptorChain",
            "okhttp3/internal/http/RetryAndFollowUpInterceptor"));
    TARGETS = Collections.unmodifiableMap(targets);
  }

  private LibraryInstrumentations() {}

  /** Returns the internal names of every class a library instrumentation transforms. */
  static List<String> targetClasses() {
    List<String> all = new ArrayList<String>();
    for (List<String> targets : TARGETS.values()) {
      all.addAll(targets);
    }
    return all;
  }

  /** Creates the instrumentations; this loads Byte Buddy. */
  static List<ClientInstrumentation> create(ClassLoader loader) throws ReflectiveOperationException {
    List<ClientInstrumentation> all = new ArrayList<ClientInstrumentation>();
    for (String name : TARGETS.keySet()) {
      all.add((ClientInstrumentation) Class.forName(name, true, loader).getDeclaredConstructor().newInstance());
    }
    return all;
  }
}
