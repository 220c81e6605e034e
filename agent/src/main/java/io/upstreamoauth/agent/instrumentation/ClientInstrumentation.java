package io.upstreamoauth.agent.instrumentation;

import java.util.List;
import net.bytebuddy.agent.builder.AgentBuilder;

/** The instrumentation of one HTTP client library: which classes, which methods, which advice. */
public interface ClientInstrumentation {

  /** Returns a short name for logs, after the library and oldest version, e.g. {@code apache-httpclient-4.3}. */
  String name();

  /**
   * Returns the internal names ({@code a/b/C}) of every class this instrumentation transforms. A
   * plain name check on these decides whether Byte Buddy is needed at all, so an application
   * that never loads them never pays for it.
   */
  List<String> targetClasses();

  /** Adds this instrumentation's type matchers and advice to the builder. */
  AgentBuilder extend(AgentBuilder builder, AdviceSupport advice);
}
