package io.upstreamoauth.agent.instrumentation;

import io.upstreamoauth.agent.instrumentation.weaver.HookWeaver;
import io.upstreamoauth.agent.instrumentation.weaver.MethodHook;
import io.upstreamoauth.agent.util.AgentLog;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.IllegalClassFormatException;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Installs the instrumentations behind a cheap gate: a plain {@link ClassFileTransformer} that
 * looks at the class name only. JDK classes get their hooks from the {@link HookWeaver}; library
 * classes get Byte Buddy advice, and Byte Buddy's transformer is built the first time one of them
 * actually appears. Loading Byte Buddy costs hundreds of milliseconds; an application that never
 * loads an instrumented library class never pays it.
 */
public final class Instrumenter implements ClassFileTransformer {

  private final Instrumentation instrumentation;
  private final Map<String, List<MethodHook>> jdkHooks = new HashMap<String, List<MethodHook>>();
  private final Set<String> libraryTargets = new HashSet<String>();
  private final ClassLoader agentLoader;
  private volatile ClassFileTransformer byteBuddy;

  Instrumenter(Instrumentation instrumentation, List<JdkInstrumentation> jdk) {
    this.instrumentation = instrumentation;
    this.agentLoader = Instrumenter.class.getClassLoader();
    for (JdkInstrumentation each : jdk) {
      jdkHooks.putAll(each.hooks());
    }
    libraryTargets.addAll(LibraryInstrumentations.targetClasses());
  }

  /** Registers the gate and instruments target classes that are already loaded. */
  public static void install(Instrumentation instrumentation, List<JdkInstrumentation> jdk) {
    Map<String, List<String>> packages = new LinkedHashMap<String, List<String>>();
    for (JdkInstrumentation each : jdk) {
      for (Map.Entry<String, List<String>> entry : each.modulePackages().entrySet()) {
        List<String> list = packages.get(entry.getKey());
        if (list == null) {
          list = new ArrayList<String>();
          packages.put(entry.getKey(), list);
        }
        list.addAll(entry.getValue());
      }
    }
    ModuleAccess.open(instrumentation, packages);
    Instrumenter gate = new Instrumenter(instrumentation, jdk);
    instrumentation.addTransformer(gate, true);
    gate.retransformLoaded();
  }

  private void retransformLoaded() {
    List<Class<?>> loaded = new ArrayList<Class<?>>();
    for (Class<?> type : instrumentation.getAllLoadedClasses()) {
      String name = type.getName().replace('.', '/');
      if ((jdkHooks.containsKey(name) || libraryTargets.contains(name))
          && instrumentation.isModifiableClass(type)) {
        loaded.add(type);
      }
    }
    if (loaded.isEmpty()) {
      return;
    }
    try {
      instrumentation.retransformClasses(loaded.toArray(new Class<?>[0]));
    } catch (Throwable e) {
      AgentLog.warn("could not instrument already loaded classes " + loaded + ": " + AgentLog.describe(e));
    }
  }

  @Override
  public byte[] transform(
      ClassLoader loader,
      String className,
      Class<?> classBeingRedefined,
      ProtectionDomain protectionDomain,
      byte[] classfileBuffer)
      throws IllegalClassFormatException {
    if (className == null) {
      return null;
    }
    List<MethodHook> hooks = jdkHooks.get(className);
    if (hooks == null && !libraryTargets.contains(className)) {
      return null;
    }
    try {
      long start = System.nanoTime();
      byte[] transformed =
          hooks != null
              ? HookWeaver.weave(classfileBuffer, hooks)
              : byteBuddy().transform(loader, className, classBeingRedefined, protectionDomain, classfileBuffer);
      AgentLog.debug(
          "instrumented " + className.replace('/', '.') + " in " + (System.nanoTime() - start) / 1_000_000 + " ms");
      return transformed;
    } catch (Throwable e) {
      AgentLog.warn(
          "could not instrument " + className.replace('/', '.') + "; its requests get no token: "
              + AgentLog.describe(e));
      return null;
    }
  }

  private ClassFileTransformer byteBuddy() throws ReflectiveOperationException {
    ClassFileTransformer transformer = byteBuddy;
    if (transformer == null) {
      synchronized (this) {
        transformer = byteBuddy;
        if (transformer == null) {
          long start = System.nanoTime();
          transformer = ByteBuddyTransformer.build(LibraryInstrumentations.create(agentLoader), agentLoader);
          byteBuddy = transformer;
          AgentLog.debug("Byte Buddy ready in " + (System.nanoTime() - start) / 1_000_000 + " ms");
        }
      }
    }
    return transformer;
  }

}
