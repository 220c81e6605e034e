package io.upstreamoauth.agent.instrumentation;

import io.upstreamoauth.agent.util.AgentLog;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.IllegalClassFormatException;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.dynamic.scaffold.TypeValidation;
import net.bytebuddy.matcher.ElementMatchers;
import net.bytebuddy.utility.JavaModule;

/**
 * Installs the instrumentations behind a cheap gate: a plain {@link ClassFileTransformer} that
 * looks at the class name only, and builds Byte Buddy's transformer the first time a target class
 * actually appears. Loading Byte Buddy costs hundreds of milliseconds; an application that never
 * loads an instrumented class never pays it.
 */
public final class Instrumenter implements ClassFileTransformer {

  private final Instrumentation instrumentation;
  private final List<ClientInstrumentation> instrumentations;
  private final Set<String> targets = new HashSet<String>();
  private final ClassLoader agentLoader;
  private volatile ClassFileTransformer byteBuddy;

  Instrumenter(Instrumentation instrumentation, List<ClientInstrumentation> instrumentations) {
    this.instrumentation = instrumentation;
    this.instrumentations = instrumentations;
    this.agentLoader = Instrumenter.class.getClassLoader();
    for (ClientInstrumentation each : instrumentations) {
      targets.addAll(each.targetClasses());
    }
  }

  /** Registers the gate and instruments target classes that are already loaded. */
  public static void install(Instrumentation instrumentation, List<ClientInstrumentation> all) {
    ModuleAccess.openJdkModules(instrumentation, "java.base", "java.net.http");
    Instrumenter gate = new Instrumenter(instrumentation, all);
    instrumentation.addTransformer(gate, true);
    gate.retransformLoaded();
  }

  private void retransformLoaded() {
    List<Class<?>> loaded = new ArrayList<Class<?>>();
    for (Class<?> type : instrumentation.getAllLoadedClasses()) {
      if (targets.contains(type.getName().replace('.', '/')) && instrumentation.isModifiableClass(type)) {
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
    if (className == null || !targets.contains(className)) {
      return null;
    }
    try {
      long start = System.nanoTime();
      byte[] transformed =
          byteBuddy().transform(loader, className, classBeingRedefined, protectionDomain, classfileBuffer);
      AgentLog.debug(
          "transformed " + className.replace('/', '.') + " in " + (System.nanoTime() - start) / 1_000_000 + " ms");
      return transformed;
    } catch (Throwable e) {
      AgentLog.error("could not instrument " + className.replace('/', '.'), e);
      return null;
    }
  }

  private ClassFileTransformer byteBuddy() throws NoSuchMethodException {
    ClassFileTransformer transformer = byteBuddy;
    if (transformer == null) {
      synchronized (this) {
        transformer = byteBuddy;
        if (transformer == null) {
          long start = System.nanoTime();
          transformer = build();
          byteBuddy = transformer;
          AgentLog.debug("Byte Buddy ready in " + (System.nanoTime() - start) / 1_000_000 + " ms");
        }
      }
    }
    return transformer;
  }

  private ClassFileTransformer build() throws NoSuchMethodException {
    AdviceSupport advice = new AdviceSupport(agentLoader);
    AgentBuilder builder =
        new AgentBuilder.Default(new ByteBuddy().with(TypeValidation.DISABLED))
            .disableClassFormatChanges()
            .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
            .with(AgentBuilder.InitializationStrategy.NoOp.INSTANCE)
            .with(AgentBuilder.PoolStrategy.Default.FAST)
            .with(AgentBuilder.DescriptionStrategy.Default.POOL_ONLY)
            // the gate already chose the classes; Byte Buddy's default ignores JDK classes
            .ignore(ElementMatchers.none())
            .with(new LoggingListener());
    for (ClientInstrumentation each : instrumentations) {
      builder = each.extend(builder, advice);
    }
    return builder.makeRaw();
  }

  /** Logs what was instrumented at debug level, and failures as warnings. */
  private static final class LoggingListener extends AgentBuilder.Listener.Adapter {
    @Override
    public void onTransformation(
        TypeDescription type,
        ClassLoader loader,
        JavaModule module,
        boolean loaded,
        DynamicType dynamicType) {
      AgentLog.debug("instrumented " + type.getName());
    }

    @Override
    public void onError(
        String typeName, ClassLoader loader, JavaModule module, boolean loaded, Throwable error) {
      AgentLog.warn("could not instrument " + typeName + ": " + AgentLog.describe(error));
    }
  }
}
