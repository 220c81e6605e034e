package io.upstreamoauth.agent.instrumentation.weaver;

import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Type;

/**
 * Code to weave into one method: at its start, before each return, or both. The emitted code
 * is a few instructions that call a static hook in the bootstrap jar; the hook itself catches
 * everything, so the woven code needs no exception handling of its own.
 */
public abstract class MethodHook {

  private final String name;
  private final String descriptorPrefix;

  /**
   * @param name the method name ({@code <init>} for constructors)
   * @param descriptorPrefix the start of the method descriptor, e.g. {@code "()V"} or {@code
   *     "(Ljava/net/URI;Ljava/lang/String;"} to match overloads sharing their first parameters
   */
  protected MethodHook(String name, String descriptorPrefix) {
    this.name = name;
    this.descriptorPrefix = descriptorPrefix;
  }

  /**
   * Returns the fields ({@code name:descriptor}) the woven code reads or writes in the class
   * itself; if the class lacks one (another JDK build), it is not woven at all rather than fail
   * at run time with NoSuchFieldError.
   */
  protected String[] requiredFields() {
    return new String[0];
  }

  /**
   * Returns the methods ({@code name:descriptor}) of the class itself the woven code calls; like
   * a missing field, a missing one means the hook is not woven.
   */
  protected String[] requiredMethods() {
    return new String[0];
  }

  /**
   * Returns true if the class is still woven with its other hooks when this one cannot be (no
   * matching method, or a field or method it needs is missing): for hooks that add a feature the
   * rest does not depend on. A required hook (the default) that cannot be woven leaves the whole
   * class alone.
   */
  protected boolean optional() {
    return false;
  }

  final boolean matches(String methodName, String descriptor) {
    return name.equals(methodName) && descriptor.startsWith(descriptorPrefix);
  }

  /**
   * Emits code at the start of the method. The operand stack is empty and must be empty again
   * afterwards; code that branches must call {@link EnterContext#frameAfterEntryBranch}.
   */
  protected void onEnter(MethodVisitor method, EnterContext context) {}

  /**
   * Emits code that runs as the method exits, normally or (except in constructors) by an
   * exception; it must leave the operand stack as it found it.
   */
  protected void onExit(MethodVisitor method, Type[] arguments) {}

  /** Returns true if {@link #onExit} emits anything. */
  protected boolean hasExit() {
    return false;
  }

  /**
   * Returns true (the default) if the exit code also runs when the method throws. Exit code that
   * works on the return value must say false: on the throw path the stack holds the exception.
   */
  protected boolean exitOnThrow() {
    return true;
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "{" + name + descriptorPrefix + "…}";
  }

  /** What enter code may need to know about the method. */
  public static final class EnterContext {
    final Type[] arguments;

    EnterContext(Type[] arguments) {
      this.arguments = arguments;
    }

    public Type[] arguments() {
      return arguments;
    }

    /**
     * Declares the stack map frame at a label placed in the enter code, where the locals are
     * still the method's parameters and the stack holds one value of {@code stackType}.
     */
    public void frameSameLocalsOneStackItem(MethodVisitor method, String stackType) {
      method.visitFrame(net.bytebuddy.jar.asm.Opcodes.F_SAME1, 0, null, 1, new Object[] {stackType});
    }

    /**
     * Declares the stack map frame at a label placed in the enter code, where the locals are
     * still the method's parameters and the stack is empty.
     */
    public void frameSameLocalsEmptyStack(MethodVisitor method) {
      method.visitFrame(net.bytebuddy.jar.asm.Opcodes.F_SAME, 0, null, 0, null);
    }
  }
}
