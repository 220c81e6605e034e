package io.upstreamoauth.agent.instrumentation.httpurlconnection;

import static net.bytebuddy.jar.asm.Opcodes.ALOAD;
import static net.bytebuddy.jar.asm.Opcodes.GETFIELD;
import static net.bytebuddy.jar.asm.Opcodes.ICONST_1;
import static net.bytebuddy.jar.asm.Opcodes.IFEQ;
import static net.bytebuddy.jar.asm.Opcodes.INVOKESPECIAL;
import static net.bytebuddy.jar.asm.Opcodes.INVOKESTATIC;
import static net.bytebuddy.jar.asm.Opcodes.IRETURN;
import static net.bytebuddy.jar.asm.Opcodes.PUTFIELD;

import io.upstreamoauth.agent.instrumentation.JdkInstrumentation;
import io.upstreamoauth.agent.instrumentation.weaver.MethodHook;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import net.bytebuddy.jar.asm.Label;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Type;

/**
 * {@code HttpURLConnection}, HTTP and HTTPS: the HTTPS connection only delegates to a subclass of
 * {@code sun.net.www.protocol.http.HttpURLConnection}, so one class covers both.
 *
 * <p>The token goes in at {@code writeRequests()}, which runs once per physical request, after the
 * JDK has followed a redirect and before the request bytes go out, whichever public method
 * (connect, getOutputStream, getInputStream, getResponseCode, streaming modes) led there. The host
 * is checked on every hop. The logic is in {@code io.upstreamoauth.bootstrap.HttpUrlConnectionHooks}.
 *
 * <p>{@code replay-after-purge} uses the JDK's own loop in {@code getInputStream}, which sends a
 * request again after a redirect or an authentication challenge: at the start of {@code
 * followRedirect()}, a rejected request the agent should replay is answered "follow" after the
 * connection is dropped as for a challenge ({@code disconnectWeb()}), so the loop sends the same
 * request once more and {@code writeRequests()} puts in a new token. That hook is optional: a JDK
 * without these members keeps everything else.
 */
public final class HttpUrlConnectionInstrumentation implements JdkInstrumentation {

  static final String TARGET = "sun/net/www/protocol/http/HttpURLConnection";
  static final String HOOKS = "io/upstreamoauth/bootstrap/HttpUrlConnectionHooks";
  private static final String REQUESTS = "Lsun/net/www/MessageHeader;";

  @Override
  public String name() {
    return "http-url-connection";
  }

  @Override
  public Map<String, List<MethodHook>> hooks() {
    return Collections.singletonMap(
        TARGET, Arrays.<MethodHook>asList(new WriteRequestsHook(), new GetInputStreamHook(), new ReplayHook()));
  }

  @Override
  public Map<String, List<String>> modulePackages() {
    return Collections.singletonMap("java.base", Collections.singletonList("sun.net.www"));
  }

  /** {@code this.isUserServerAuth = beforeWriteRequests(this, this.requests, this.isUserServerAuth)}. */
  static final class WriteRequestsHook extends MethodHook {
    WriteRequestsHook() {
      super("writeRequests", "()V");
    }

    @Override
    protected String[] requiredFields() {
      return new String[] {"requests:" + REQUESTS, "isUserServerAuth:Z"};
    }

    @Override
    protected void onEnter(MethodVisitor method, EnterContext context) {
      method.visitVarInsn(ALOAD, 0);
      method.visitVarInsn(ALOAD, 0);
      method.visitVarInsn(ALOAD, 0);
      method.visitFieldInsn(GETFIELD, TARGET, "requests", REQUESTS);
      method.visitVarInsn(ALOAD, 0);
      method.visitFieldInsn(GETFIELD, TARGET, "isUserServerAuth", "Z");
      method.visitMethodInsn(
          INVOKESTATIC, HOOKS, "beforeWriteRequests", "(Ljava/net/HttpURLConnection;Ljava/lang/Object;Z)Z", false);
      method.visitFieldInsn(PUTFIELD, TARGET, "isUserServerAuth", "Z");
    }
  }

  /** On return or throw: {@code afterGetInputStream(this, this.requests, this.responses, this.responseCode)}. */
  static final class GetInputStreamHook extends MethodHook {
    GetInputStreamHook() {
      super("getInputStream", "()Ljava/io/InputStream;");
    }

    @Override
    protected String[] requiredFields() {
      return new String[] {"requests:" + REQUESTS, "responses:" + REQUESTS};
    }

    @Override
    protected boolean hasExit() {
      return true;
    }

    @Override
    protected void onExit(MethodVisitor method, Type[] arguments) {
      method.visitVarInsn(ALOAD, 0);
      method.visitVarInsn(ALOAD, 0);
      method.visitFieldInsn(GETFIELD, TARGET, "requests", REQUESTS);
      method.visitVarInsn(ALOAD, 0);
      method.visitFieldInsn(GETFIELD, TARGET, "responses", REQUESTS);
      method.visitVarInsn(ALOAD, 0);
      // protected in java.net.HttpURLConnection, reached through the subclass
      method.visitFieldInsn(GETFIELD, TARGET, "responseCode", "I");
      method.visitMethodInsn(
          INVOKESTATIC, HOOKS, "afterGetInputStream",
          "(Ljava/net/HttpURLConnection;Ljava/lang/Object;Ljava/lang/Object;I)V", false);
    }
  }

  /**
   * At the start of {@code followRedirect()}: {@code if (replayAfterRejection(this, this.requests,
   * this.responses, this.responseCode, this.method)) { disconnectWeb(); return true; }}.
   */
  static final class ReplayHook extends MethodHook {
    ReplayHook() {
      super("followRedirect", "()Z");
    }

    @Override
    protected String[] requiredFields() {
      return new String[] {"requests:" + REQUESTS, "responses:" + REQUESTS};
    }

    @Override
    protected String[] requiredMethods() {
      return new String[] {"disconnectWeb:()V"};
    }

    @Override
    protected boolean optional() {
      return true;
    }

    @Override
    protected void onEnter(MethodVisitor method, EnterContext context) {
      Label proceed = new Label();
      method.visitVarInsn(ALOAD, 0);
      method.visitVarInsn(ALOAD, 0);
      method.visitFieldInsn(GETFIELD, TARGET, "requests", REQUESTS);
      method.visitVarInsn(ALOAD, 0);
      method.visitFieldInsn(GETFIELD, TARGET, "responses", REQUESTS);
      method.visitVarInsn(ALOAD, 0);
      // protected in java.net.HttpURLConnection, reached through the subclass
      method.visitFieldInsn(GETFIELD, TARGET, "responseCode", "I");
      method.visitVarInsn(ALOAD, 0);
      method.visitFieldInsn(GETFIELD, TARGET, "method", "Ljava/lang/String;");
      method.visitMethodInsn(
          INVOKESTATIC, HOOKS, "replayAfterRejection",
          "(Ljava/net/HttpURLConnection;Ljava/lang/Object;Ljava/lang/Object;ILjava/lang/String;)Z", false);
      method.visitJumpInsn(IFEQ, proceed);
      method.visitVarInsn(ALOAD, 0);
      method.visitMethodInsn(INVOKESPECIAL, TARGET, "disconnectWeb", "()V", false);
      method.visitInsn(ICONST_1);
      method.visitInsn(IRETURN);
      method.visitLabel(proceed);
      context.frameSameLocalsEmptyStack(method);
    }
  }
}
