package io.upstreamoauth.agent.instrumentation;

import io.upstreamoauth.agent.util.AgentLog;
import java.lang.instrument.ClassFileTransformer;
import java.util.List;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.agent.builder.AgentBuilder;
import io.upstreamoauth.agent.boot.BootClasses;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.dynamic.scaffold.TypeValidation;
import net.bytebuddy.matcher.ElementMatchers;
import net.bytebuddy.utility.JavaModule;

/**
 * Byte Buddy's transformer for the library instrumentations. A class of its own so that no Byte
 * Buddy class is loaded (not even to verify {@link Instrumenter}) until a library class appears.
 */
final class ByteBuddyTransformer {

  private ByteBuddyTransformer() {}

  static ClassFileTransformer build(List<ClientInstrumentation> libraries, ClassLoader agentLoader)
      throws NoSuchMethodException {
    // the bootstrap classes are defined in the boot loader, not on its class path: Byte Buddy
    // reads their class files from the agent jar when advice refers to them
    ClassFileLocator bootstrap = bootstrapClasses();
    AdviceSupport advice = new AdviceSupport(agentLoader, bootstrap);
    AgentBuilder builder =
        new AgentBuilder.Default(new ByteBuddy().with(TypeValidation.DISABLED))
            .disableClassFormatChanges()
            .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
            .with(AgentBuilder.InitializationStrategy.NoOp.INSTANCE)
            .with(AgentBuilder.PoolStrategy.Default.FAST)
            .with(new AgentBuilder.LocationStrategy.Compound(
                AgentBuilder.LocationStrategy.ForClassLoader.STRONG, new AgentBuilder.LocationStrategy.Simple(bootstrap)))
            .with(AgentBuilder.DescriptionStrategy.Default.POOL_ONLY)
            // the gate already chose the classes
            .ignore(ElementMatchers.none())
            .with(new LoggingListener());
    for (ClientInstrumentation each : libraries) {
      builder = each.extend(builder, advice);
    }
    return builder.makeRaw();
  }

  private static ClassFileLocator bootstrapClasses() {
    try {
      return new ClassFileLocator.Simple(BootClasses.read());
    } catch (java.io.IOException e) {
      AgentLog.warn("could not read the agent's bootstrap classes: " + AgentLog.describe(e));
      return ClassFileLocator.NoOp.INSTANCE;
    }
  }

  /** Logs failures as warnings. */
  private static final class LoggingListener extends AgentBuilder.Listener.Adapter {
    @Override
    public void onError(
        String typeName, ClassLoader loader, JavaModule module, boolean loaded, Throwable error) {
      AgentLog.warn("could not instrument " + typeName + ": " + AgentLog.describe(error));
    }

    @Override
    public void onTransformation(
        TypeDescription type, ClassLoader loader, JavaModule module, boolean loaded, DynamicType dynamicType) {
      // logged by the gate with its timing
    }
  }
}
