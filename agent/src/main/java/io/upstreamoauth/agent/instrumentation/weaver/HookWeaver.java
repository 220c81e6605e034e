package io.upstreamoauth.agent.instrumentation.weaver;

import java.util.List;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.Label;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.jar.asm.Type;

/**
 * Weaves {@link MethodHook}s into one class with ASM alone.
 *
 * <p>Byte Buddy's agent builder and advice cost 0.6-1 s and tens of MiB at start-up (some 1,200
 * classes to load), which an application that makes one HTTP call would pay in full. The JDK's own
 * HTTP clients only need a couple of static calls inserted, so they get this: about twenty ASM
 * classes, no type pool, no class loading while transforming. Methods without hooks are copied
 * byte for byte.
 */
public final class HookWeaver {

  private HookWeaver() {}

  /**
   * Returns the class with the hooks woven in.
   *
   * @throws IllegalStateException if a required hook cannot be woven (no method matches, or a
   *     field or method it needs is missing): the JDK changed and the instrumentation must not
   *     half-apply. An optional hook that cannot be woven is left out.
   */
  public static byte[] weave(byte[] classFile, List<MethodHook> hooks) {
    ClassReader reader = new ClassReader(classFile);
    Members members = Members.of(reader); // first the members alone: which hooks this class can take
    List<MethodHook> applicable = new java.util.ArrayList<MethodHook>();
    for (MethodHook hook : hooks) {
      String missing = members.missingFor(hook);
      if (missing == null) {
        applicable.add(hook);
      } else if (!hook.optional()) {
        throw new IllegalStateException(reader.getClassName() + " " + missing + " for " + hook);
      }
    }
    ClassWriter writer = new ClassWriter(reader, ClassWriter.COMPUTE_MAXS);
    reader.accept(new HookingClassVisitor(writer, applicable), 0);
    return writer.toByteArray();
  }

  /**
   * Returns, for each hook this class cannot take, what it lacks: empty when every hook, optional
   * ones included, would be woven. For tests that check the JDK at hand.
   */
  public static List<String> unavailable(byte[] classFile, List<MethodHook> hooks) {
    ClassReader reader = new ClassReader(classFile);
    Members members = Members.of(reader);
    List<String> missing = new java.util.ArrayList<String>();
    for (MethodHook hook : hooks) {
      String lack = members.missingFor(hook);
      if (lack != null) {
        missing.add(hook + ": " + reader.getClassName() + " " + lack);
      }
    }
    return missing;
  }

  /** The fields and concrete methods of a class, as {@code name:descriptor}. */
  private static final class Members extends ClassVisitor {
    private final java.util.Set<String> fields = new java.util.HashSet<String>();
    private final java.util.List<String[]> methods = new java.util.ArrayList<String[]>();

    private Members() {
      super(Opcodes.ASM9);
    }

    static Members of(ClassReader reader) {
      Members members = new Members();
      reader.accept(members, ClassReader.SKIP_CODE | ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
      return members;
    }

    @Override
    public net.bytebuddy.jar.asm.FieldVisitor visitField(
        int access, String name, String descriptor, String signature, Object value) {
      fields.add(name + ":" + descriptor);
      return null;
    }

    @Override
    public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
      if ((access & Opcodes.ACC_ABSTRACT) == 0) {
        methods.add(new String[] {name, descriptor});
      }
      return null;
    }

    /** Returns what the class lacks for the hook ("has no field x"), or null. */
    String missingFor(MethodHook hook) {
      boolean matched = false;
      for (String[] method : methods) {
        matched |= hook.matches(method[0], method[1]);
      }
      if (!matched) {
        return "has no method matching";
      }
      for (String field : hook.requiredFields()) {
        if (!fields.contains(field)) {
          return "has no field " + field;
        }
      }
      for (String required : hook.requiredMethods()) {
        boolean found = false;
        for (String[] method : methods) {
          found |= required.equals(method[0] + ":" + method[1]);
        }
        if (!found) {
          return "has no method " + required;
        }
      }
      return null;
    }
  }

  /**
   * Reads and rewrites a small class once, so that ASM's classes are loaded and initialised before
   * the first JDK class needs weaving. Meant for a background thread at start-up: on a machine with
   * more than one core it takes this work off the application's first HTTP call.
   */
  public static void warmUp() {
    try (java.io.InputStream in = HookWeaver.class.getResourceAsStream("HookWeaver.class")) {
      if (in == null) {
        return;
      }
      java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
      byte[] buffer = new byte[4096];
      int n;
      while ((n = in.read(buffer)) != -1) {
        bytes.write(buffer, 0, n);
      }
      ClassReader reader = new ClassReader(bytes.toByteArray());
      ClassWriter writer = new ClassWriter(reader, ClassWriter.COMPUTE_MAXS);
      reader.accept(new HookingClassVisitor(writer, java.util.Collections.<MethodHook>emptyList()), 0);
      writer.toByteArray();
    } catch (Throwable ignored) {
      // only an optimisation
    }
  }

  private static final class HookingClassVisitor extends ClassVisitor {
    private final List<MethodHook> hooks;
    private String owner;

    HookingClassVisitor(ClassVisitor next, List<MethodHook> hooks) {
      super(Opcodes.ASM9, next);
      this.hooks = hooks;
    }

    @Override
    public void visit(int version, int access, String name, String signature, String superName, String[] interfaces) {
      owner = name;
      super.visit(version, access, name, signature, superName, interfaces);
    }

    @Override
    public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
      MethodVisitor next = super.visitMethod(access, name, descriptor, signature, exceptions);
      for (MethodHook hook : hooks) {
        if (hook.matches(name, descriptor) && (access & Opcodes.ACC_ABSTRACT) == 0) {
          return new HookingMethodVisitor(next, hook, owner, name, descriptor);
        }
      }
      return next;
    }
  }

  private static final class HookingMethodVisitor extends MethodVisitor {
    private final MethodHook hook;
    private final String owner;
    private final boolean constructor;
    private final Type[] arguments;
    private final Label tryStart = new Label();

    HookingMethodVisitor(MethodVisitor next, MethodHook hook, String owner, String name, String descriptor) {
      super(Opcodes.ASM9, next);
      this.hook = hook;
      this.owner = owner;
      this.constructor = name.equals("<init>");
      this.arguments = Type.getArgumentTypes(descriptor);
    }

    private boolean wrapsThrows() {
      return hook.hasExit() && hook.exitOnThrow() && !constructor;
    }

    @Override
    public void visitCode() {
      super.visitCode();
      hook.onEnter(mv, new MethodHook.EnterContext(arguments));
      if (wrapsThrows()) {
        super.visitLabel(tryStart);
      }
    }

    @Override
    public void visitInsn(int opcode) {
      if (hook.hasExit() && opcode >= Opcodes.IRETURN && opcode <= Opcodes.RETURN) {
        hook.onExit(mv, arguments);
      }
      super.visitInsn(opcode);
    }

    @Override
    public void visitMaxs(int maxStack, int maxLocals) {
      if (wrapsThrows()) {
        // a catch-all registered last, so the method's own handlers keep precedence: the exit
        // hook runs for exceptions thrown by callees too, then the exception goes on. Not in
        // constructors, where `this` is unusable before the super call.
        Label tryEnd = new Label();
        Label handler = new Label();
        super.visitTryCatchBlock(tryStart, tryEnd, handler, null);
        super.visitLabel(tryEnd);
        super.visitLabel(handler);
        super.visitFrame(Opcodes.F_FULL, 1, new Object[] {owner}, 1, new Object[] {"java/lang/Throwable"});
        hook.onExit(mv, arguments);
        super.visitInsn(Opcodes.ATHROW);
      }
      super.visitMaxs(maxStack, maxLocals);
    }
  }
}
