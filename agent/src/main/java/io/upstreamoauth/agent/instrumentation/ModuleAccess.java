package io.upstreamoauth.agent.instrumentation;

import io.upstreamoauth.agent.util.AgentLog;
import io.upstreamoauth.bootstrap.UpstreamOAuth;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.Method;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Lets the JDK modules that carry woven code and the agent's bootstrap classes reach each other
 * (JDK 9+; nothing to do on Java 8).
 *
 * <p>Woven code in {@code java.base} or {@code java.net.http} calls classes that premain put on
 * the bootstrap class path; those live in the boot loader's unnamed module, which named modules do
 * not read unless told to. The hooks in turn call JDK-internal classes of the instrumented
 * packages, which must be exported (and, for package-private members, opened) to them.
 * Reflection, because the agent is Java 8 bytecode.
 */
final class ModuleAccess {

  private ModuleAccess() {}

  /**
   * @param packagesByModule JDK module name to the packages the hooks use in it
   */
  static void open(Instrumentation instrumentation, Map<String, List<String>> packagesByModule) {
    try {
      Method getModule = Class.class.getMethod("getModule");
      Object bootstrapModule = getModule.invoke(UpstreamOAuth.class);
      Set<Object> toBootstrap = Collections.singleton(bootstrapModule);
      Class<?> moduleClass = Class.forName("java.lang.Module");
      Class<?> layerClass = Class.forName("java.lang.ModuleLayer");
      Object bootLayer = layerClass.getMethod("boot").invoke(null);
      Method findModule = layerClass.getMethod("findModule", String.class);
      Method redefineModule =
          Instrumentation.class.getMethod(
              "redefineModule", moduleClass, Set.class, Map.class, Map.class, Set.class, Map.class);
      for (Map.Entry<String, List<String>> entry : packagesByModule.entrySet()) {
        Object module = ((java.util.Optional<?>) findModule.invoke(bootLayer, entry.getKey())).orElse(null);
        if (module == null) {
          continue; // e.g. java.net.http left out of a jlinked runtime
        }
        Map<String, Set<Object>> packages = new HashMap<String, Set<Object>>();
        for (String name : entry.getValue()) {
          packages.put(name, toBootstrap);
        }
        redefineModule.invoke(
            instrumentation, module, toBootstrap, packages, packages,
            Collections.emptySet(), Collections.emptyMap());
      }
    } catch (ClassNotFoundException | NoSuchMethodException e) {
      // Java 8: no modules
    } catch (ReflectiveOperationException | RuntimeException e) {
      AgentLog.warn("could not open JDK modules to the agent's hooks: " + AgentLog.describe(e));
    }
  }
}
