package io.upstreamoauth.agent.instrumentation;

import io.upstreamoauth.agent.util.AgentLog;
import io.upstreamoauth.bootstrap.UpstreamOAuth;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.Method;
import java.util.Collections;
import java.util.Map;
import java.util.Set;

/**
 * Lets JDK modules whose classes carry advice read the agent's bootstrap classes (JDK 9+).
 *
 * <p>Advice woven into {@code java.base} or {@code java.net.http} calls classes that premain
 * appended to the bootstrap class path; those live in the boot loader's unnamed module, which
 * named modules do not read unless told to. Reflection, because the agent is Java 8 bytecode.
 */
final class ModuleAccess {

  private ModuleAccess() {}

  /** Adds a read edge from each named JDK module to the agent's bootstrap classes. */
  static void openJdkModules(Instrumentation instrumentation, String... moduleNames) {
    try {
      Method getModule = Class.class.getMethod("getModule");
      Object bootstrapModule = getModule.invoke(UpstreamOAuth.class);
      Class<?> moduleClass = Class.forName("java.lang.Module");
      Class<?> layerClass = Class.forName("java.lang.ModuleLayer");
      Object bootLayer = layerClass.getMethod("boot").invoke(null);
      Method findModule = layerClass.getMethod("findModule", String.class);
      Method redefineModule =
          Instrumentation.class.getMethod(
              "redefineModule", moduleClass, Set.class, Map.class, Map.class, Set.class, Map.class);
      for (String name : moduleNames) {
        Object optional = findModule.invoke(bootLayer, name);
        Object module = ((java.util.Optional<?>) optional).orElse(null);
        if (module == null) {
          continue; // e.g. java.net.http in a jlinked runtime without it
        }
        redefineModule.invoke(
            instrumentation,
            module,
            Collections.singleton(bootstrapModule),
            Collections.emptyMap(),
            Collections.emptyMap(),
            Collections.emptySet(),
            Collections.emptyMap());
      }
    } catch (ClassNotFoundException | NoSuchMethodException e) {
      // Java 8: no modules, nothing to open
    } catch (ReflectiveOperationException | RuntimeException e) {
      AgentLog.warn("could not let JDK modules read the agent's classes: " + AgentLog.describe(e));
    }
  }
}
