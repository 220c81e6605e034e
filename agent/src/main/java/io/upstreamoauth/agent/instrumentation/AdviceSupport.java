package io.upstreamoauth.agent.instrumentation;

import io.upstreamoauth.bootstrap.UpstreamOAuth;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.implementation.bytecode.member.MethodInvocation;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * Builds advice transformers the same way for every instrumentation: advice classes read by name
 * from the agent jar (so the agent never loads them by accident), and an exception handler that
 * reports an advice failure to the agent instead of dropping it silently.
 */
public final class AdviceSupport {

  private final ClassFileLocator locator;
  private final Advice.ExceptionHandler exceptionHandler;

  AdviceSupport(ClassLoader agentLoader, ClassFileLocator bootstrapClasses) throws NoSuchMethodException {
    this.locator = new ClassFileLocator.Compound(ClassFileLocator.ForClassLoader.of(agentLoader), bootstrapClasses);
    this.exceptionHandler =
        new Advice.ExceptionHandler.Simple(
            MethodInvocation.invoke(
                new MethodDescription.ForLoadedMethod(
                    UpstreamOAuth.class.getMethod("adviceError", Throwable.class))));
  }

  /** Returns a transformer applying the named advice class to the matched methods. */
  public AgentBuilder.Transformer advice(
      ElementMatcher<? super MethodDescription> methods, String adviceClassName) {
    return new AgentBuilder.Transformer.ForAdvice()
        .include(locator)
        .withExceptionHandler(exceptionHandler)
        .advice(methods, adviceClassName);
  }
}
