package io.upstreamoauth.agent.instrumentation;

import io.upstreamoauth.agent.instrumentation.weaver.MethodHook;
import java.util.List;
import java.util.Map;

/**
 * The instrumentation of a JDK HTTP client: a few static calls woven into JDK classes by {@link
 * io.upstreamoauth.agent.instrumentation.weaver.HookWeaver}, without Byte Buddy, so that the
 * common case costs next to nothing at start-up.
 */
public interface JdkInstrumentation {

  /** Returns a short name for logs, e.g. {@code http-url-connection}. */
  String name();

  /** Returns the hooks per class, keyed by internal class name ({@code a/b/C}). */
  Map<String, List<MethodHook>> hooks();

  /** Returns the JDK modules whose packages the hooks reach into: module name to packages. */
  Map<String, List<String>> modulePackages();
}
