package io.upstreamoauth.agent.instrumentation.httpurlconnection;

import static net.bytebuddy.jar.asm.Opcodes.ALOAD;
import static net.bytebuddy.jar.asm.Opcodes.GETFIELD;
import static net.bytebuddy.jar.asm.Opcodes.INVOKESTATIC;
import static net.bytebuddy.jar.asm.Opcodes.PUTFIELD;

import io.upstreamoauth.agent.instrumentation.JdkInstrumentation;
import io.upstreamoauth.agent.instrumentation.weaver.MethodHook;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
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
        TARGET, Arrays.<MethodHook>asList(new WriteRequestsHook(), new GetInputStreamHook()));
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

  /** On return or throw: {@code afterGetInputStream(this, this.requests, this.responseCode)}. */
  static final class GetInputStreamHook extends MethodHook {
    GetInputStreamHook() {
      super("getInputStream", "()Ljava/io/InputStream;");
    }

    @Override
    protected String[] requiredFields() {
      return new String[] {"requests:" + REQUESTS};
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
      // protected in java.net.HttpURLConnection, reached through the subclass
      method.visitFieldInsn(GETFIELD, TARGET, "responseCode", "I");
      method.visitMethodInsn(
          INVOKESTATIC, HOOKS, "afterGetInputStream", "(Ljava/net/HttpURLConnection;Ljava/lang/Object;I)V", false);
    }
  }
}
