package io.upstreamoauth.agent.instrumentation.weaver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.Label;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.jar.asm.Type;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Weaves hooks into {@link Target}, loads the result in its own class loader, and runs it. */
class HookWeaverTest {

  private static final String TARGET = Type.getInternalName(Target.class);
  private static final String RECORDER = Type.getInternalName(Recorder.class);

  @BeforeEach
  void reset() {
    Recorder.events.clear();
    Recorder.enterResult = null;
  }

  @Test
  void enterHook_runsBeforeTheBody() throws Exception {
    Object target = load(new RecordingEnter("plain", "()Ljava/lang/String;"));
    assertThat(call(target, "plain")).isEqualTo("body");
    assertThat(Recorder.events).containsExactly("enter", "body");
  }

  @Test
  void enterHookWithBranch_returnsEarlyWhenTheHookSaysSo() throws Exception {
    Object target = load(new ReturnIfNonNull("plain", "()Ljava/lang/String;"));
    assertThat(call(target, "plain")).isEqualTo("body");
    Recorder.enterResult = "from hook";
    assertThat(call(target, "plain")).isEqualTo("from hook");
    assertThat(Recorder.events).containsExactly("body");
  }

  @Test
  void exitHook_runsOnReturn() throws Exception {
    Object target = load(new RecordingExit("plain", "()Ljava/lang/String;"));
    assertThat(call(target, "plain")).isEqualTo("body");
    assertThat(Recorder.events).containsExactly("body", "exit");
  }

  @Test
  void exitHook_runsWhenACalleeThrows_andTheExceptionGoesOn() throws Exception {
    Object target = load(new RecordingExit("throwsFromCallee", "()V"));
    assertThatThrownBy(() -> call(target, "throwsFromCallee")).isInstanceOf(IOException.class).hasMessage("callee");
    assertThat(Recorder.events).containsExactly("exit");
  }

  @Test
  void exitHook_doesNotStealExceptionsTheMethodCatchesItself() throws Exception {
    Object target = load(new RecordingExit("catchesItself", "()Ljava/lang/String;"));
    assertThat(call(target, "catchesItself")).isEqualTo("caught");
    assertThat(Recorder.events).containsExactly("exit");
  }

  @Test
  void exitHook_inConstructor_runsAfterTheBody() throws Exception {
    Class<?> type = loadClass(new RecordingExit("<init>", "(Ljava/lang/String;)V"));
    Constructor<?> constructor = type.getDeclaredConstructor(String.class);
    constructor.setAccessible(true);
    constructor.newInstance("x");
    assertThat(Recorder.events).containsExactly("constructed x", "exit");
  }

  @Test
  void unmatchedHook_failsTheWholeClass() {
    assertThatThrownBy(() -> HookWeaver.weave(bytes(), Collections.singletonList(new RecordingEnter("missing", "()V"))))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("missing");
  }

  @Test
  void missingRequiredField_failsTheWholeClass() {
    MethodHook hook =
        new RecordingEnter("plain", "()Ljava/lang/String;") {
          @Override
          protected String[] requiredFields() {
            return new String[] {"nosuch:I"};
          }
        };
    assertThatThrownBy(() -> HookWeaver.weave(bytes(), Collections.singletonList(hook)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("nosuch:I");
  }

  @Test
  void missingRequiredMethod_failsTheWholeClass() {
    MethodHook hook =
        new RecordingEnter("plain", "()Ljava/lang/String;") {
          @Override
          protected String[] requiredMethods() {
            return new String[] {"nosuch:()V"};
          }
        };
    assertThatThrownBy(() -> HookWeaver.weave(bytes(), Collections.singletonList(hook)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("nosuch:()V");
  }

  @Test
  void optionalHookThatCannotBeWoven_isLeftOut_andTheOthersAreWoven() throws Exception {
    MethodHook needsMissingMethod =
        new RecordingExit("plain", "()Ljava/lang/String;") {
          @Override
          protected String[] requiredMethods() {
            return new String[] {"nosuch:()V"};
          }

          @Override
          protected boolean optional() {
            return true;
          }
        };
    MethodHook matchesNothing =
        new RecordingExit("missing", "()V") {
          @Override
          protected boolean optional() {
            return true;
          }
        };
    byte[] woven =
        HookWeaver.weave(bytes(), List.of(new RecordingEnter("plain", "()Ljava/lang/String;"), needsMissingMethod, matchesNothing));

    assertThat(invoke(woven, "plain")).isEqualTo("body");
    assertThat(Recorder.events).containsExactly("enter", "body");
  }

  @Test
  void requiredMethodThatExists_isWoven() throws Exception {
    MethodHook hook =
        new RecordingExit("plain", "()Ljava/lang/String;") {
          @Override
          protected String[] requiredMethods() {
            return new String[] {"catchesItself:()Ljava/lang/String;"};
          }

          @Override
          protected boolean optional() {
            return true;
          }
        };
    assertThat(invoke(HookWeaver.weave(bytes(), List.of(hook)), "plain")).isEqualTo("body");
    assertThat(Recorder.events).containsExactly("body", "exit");
  }

  @Test
  void methodsWithoutHooks_areCopiedUnchanged() throws Exception {
    byte[] original = bytes();
    byte[] woven = HookWeaver.weave(original, Collections.singletonList(new RecordingEnter("plain", "()Ljava/lang/String;")));
    assertThat(methodCode(woven, "catchesItself")).isEqualTo(methodCode(original, "catchesItself"));
    assertThat(methodCode(woven, "plain")).isNotEqualTo(methodCode(original, "plain"));
  }

  // ---- the class that gets woven, and the hooks

  /** Woven by the tests. */
  public static class Target {
    public Target() {}

    Target(String name) {
      Recorder.record("constructed " + name);
    }

    public String plain() {
      Recorder.record("body");
      return "body";
    }

    public void throwsFromCallee() throws IOException {
      fail();
    }

    public String catchesItself() {
      try {
        fail();
        return "not reached";
      } catch (IOException e) {
        return "caught";
      }
    }

    private static void fail() throws IOException {
      throw new IOException("callee");
    }
  }

  /** What the woven code calls. */
  public static final class Recorder {
    static final List<String> events = Collections.synchronizedList(new ArrayList<>());
    static volatile Object enterResult;

    public static void record(String event) {
      events.add(event);
    }

    public static Object enter() {
      return enterResult;
    }
  }

  static class RecordingEnter extends MethodHook {
    RecordingEnter(String name, String descriptor) {
      super(name, descriptor);
    }

    @Override
    protected void onEnter(MethodVisitor method, EnterContext context) {
      method.visitLdcInsn("enter");
      method.visitMethodInsn(Opcodes.INVOKESTATIC, RECORDER, "record", "(Ljava/lang/String;)V", false);
    }
  }

  static class RecordingExit extends MethodHook {
    RecordingExit(String name, String descriptor) {
      super(name, descriptor);
    }

    @Override
    protected boolean hasExit() {
      return true;
    }

    @Override
    protected void onExit(MethodVisitor method, Type[] arguments) {
      method.visitLdcInsn("exit");
      method.visitMethodInsn(Opcodes.INVOKESTATIC, RECORDER, "record", "(Ljava/lang/String;)V", false);
    }
  }

  static final class ReturnIfNonNull extends MethodHook {
    ReturnIfNonNull(String name, String descriptor) {
      super(name, descriptor);
    }

    @Override
    protected void onEnter(MethodVisitor method, EnterContext context) {
      Label proceed = new Label();
      method.visitMethodInsn(Opcodes.INVOKESTATIC, RECORDER, "enter", "()Ljava/lang/Object;", false);
      method.visitInsn(Opcodes.DUP);
      method.visitJumpInsn(Opcodes.IFNULL, proceed);
      method.visitTypeInsn(Opcodes.CHECKCAST, "java/lang/String");
      method.visitInsn(Opcodes.ARETURN);
      method.visitLabel(proceed);
      context.frameSameLocalsOneStackItem(method, "java/lang/Object");
      method.visitInsn(Opcodes.POP);
    }
  }

  // ---- plumbing

  private static byte[] bytes() throws IOException {
    try (InputStream in = Target.class.getResourceAsStream("HookWeaverTest$Target.class")) {
      return in.readAllBytes();
    }
  }

  private static Object load(MethodHook hook) throws Exception {
    Constructor<?> constructor = loadClass(hook).getDeclaredConstructor();
    return constructor.newInstance();
  }

  private static Class<?> loadClass(MethodHook hook) throws Exception {
    return define(HookWeaver.weave(bytes(), Arrays.asList(hook)));
  }

  /** Defines the woven Target, makes one and calls a no-argument method on it. */
  private static Object invoke(byte[] woven, String method) throws Exception {
    return call(define(woven).getDeclaredConstructor().newInstance(), method);
  }

  private static Class<?> define(byte[] woven) throws Exception {
    ClassLoader loader =
        new ClassLoader(HookWeaverTest.class.getClassLoader()) {
          @Override
          protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (name.equals(Target.class.getName())) {
              synchronized (this) {
                Class<?> loaded = findLoadedClass(name);
                return loaded != null ? loaded : defineClass(name, woven, 0, woven.length);
              }
            }
            return super.loadClass(name, resolve);
          }
        };
    return loader.loadClass(Target.class.getName());
  }

  private static Object call(Object target, String name) throws Exception {
    Method method = target.getClass().getMethod(name);
    try {
      return method.invoke(target);
    } catch (InvocationTargetException e) {
      throw (Exception) e.getCause();
    }
  }

  private static String methodCode(byte[] classFile, String name) {
    StringBuilder code = new StringBuilder();
    new ClassReader(classFile)
        .accept(
            new net.bytebuddy.jar.asm.ClassVisitor(Opcodes.ASM9) {
              @Override
              public MethodVisitor visitMethod(int access, String method, String descriptor, String signature, String[] exceptions) {
                if (!method.equals(name)) {
                  return null;
                }
                return new MethodVisitor(Opcodes.ASM9) {
                  @Override
                  public void visitInsn(int opcode) {
                    code.append(opcode).append(' ');
                  }

                  @Override
                  public void visitMethodInsn(int opcode, String owner, String called, String desc, boolean itf) {
                    code.append(opcode).append(owner).append(called).append(' ');
                  }

                  @Override
                  public void visitLdcInsn(Object value) {
                    code.append("ldc").append(value).append(' ');
                  }
                };
              }
            },
            0);
    return code.toString();
  }
}
