package io.upstreamoauth.agent.instrumentation.javahttpclient;

import static net.bytebuddy.jar.asm.Opcodes.ALOAD;
import static net.bytebuddy.jar.asm.Opcodes.ARETURN;
import static net.bytebuddy.jar.asm.Opcodes.CHECKCAST;
import static net.bytebuddy.jar.asm.Opcodes.DUP;
import static net.bytebuddy.jar.asm.Opcodes.GETFIELD;
import static net.bytebuddy.jar.asm.Opcodes.IFNULL;
import static net.bytebuddy.jar.asm.Opcodes.ILOAD;
import static net.bytebuddy.jar.asm.Opcodes.INVOKESTATIC;
import static net.bytebuddy.jar.asm.Opcodes.POP;
import static net.bytebuddy.jar.asm.Opcodes.PUTFIELD;

import io.upstreamoauth.agent.instrumentation.JdkInstrumentation;
import io.upstreamoauth.agent.instrumentation.weaver.MethodHook;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.bytebuddy.jar.asm.Label;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Type;

/**
 * {@code java.net.http.HttpClient} (JDK 11+), HTTP/1.1 and HTTP/2, send and sendAsync.
 *
 * <p>The JDK copies the caller's request into an {@code HttpRequestImpl} once per send, and again
 * for every redirect hop, without the "system" headers of the previous hop. The token goes in as a
 * system header of each copy whose URI is configured, so it never follows a redirect to another
 * host (JDK 17 would forward a user-set {@code Authorization}; JDK 25 drops it). A failure to get
 * a token fails {@code send} with the IOException and {@code sendAsync} with a failed future. The
 * logic is in {@code io.upstreamoauth.bootstrap.JavaHttpClientHooks}.
 */
public final class JavaHttpClientInstrumentation implements JdkInstrumentation {

  static final String CLIENT = "jdk/internal/net/http/HttpClientImpl";
  static final String REQUEST = "jdk/internal/net/http/HttpRequestImpl";
  static final String RESPONSE = "jdk/internal/net/http/Response";
  static final String EXCHANGE = "jdk/internal/net/http/MultiExchange";
  static final String HOOKS = "io/upstreamoauth/bootstrap/JavaHttpClientHooks";
  private static final String HEADERS = "Ljava/net/http/HttpHeaders;";
  private static final String FUTURE = "java/util/concurrent/CompletableFuture";

  @Override
  public String name() {
    return "java-http-client";
  }

  @Override
  public Map<String, List<MethodHook>> hooks() {
    Map<String, List<MethodHook>> hooks = new LinkedHashMap<String, List<MethodHook>>();
    hooks.put(CLIENT, Collections.<MethodHook>singletonList(new SendAsyncHook()));
    hooks.put(
        REQUEST,
        Arrays.<MethodHook>asList(
            new RequestCopyHook("(Ljava/net/http/HttpRequest;Ljava/net/ProxySelector;)V", "afterRequestCopy", -1),
            // the redirect / authentication copy: (URI, String, HttpRequestImpl other, boolean[, Optional])
            new RequestCopyHook("(Ljava/net/URI;Ljava/lang/String;L" + REQUEST + ";Z", "afterRedirectCopy", 3)));
    hooks.put(RESPONSE, Collections.<MethodHook>singletonList(new ResponseHook()));
    hooks.put(EXCHANGE, Collections.<MethodHook>singletonList(new ResponseFiltersHook()));
    return hooks;
  }

  @Override
  public Map<String, List<String>> modulePackages() {
    return Collections.singletonMap(
        "java.net.http", Arrays.asList("jdk.internal.net.http", "jdk.internal.net.http.common"));
  }

  /** {@code f = beforeSendAsync(this, request, handler, pushHandler, executor); if (f != null) return f;} */
  static final class SendAsyncHook extends MethodHook {
    SendAsyncHook() {
      super(
          "sendAsync",
          "(Ljava/net/http/HttpRequest;Ljava/net/http/HttpResponse$BodyHandler;"
              + "Ljava/net/http/HttpResponse$PushPromiseHandler;Ljava/util/concurrent/Executor;)");
    }

    @Override
    protected void onEnter(MethodVisitor method, EnterContext context) {
      Label proceed = new Label();
      for (int slot = 0; slot <= 4; slot++) { // this, request, handler, push handler, executor
        method.visitVarInsn(ALOAD, slot);
      }
      method.visitMethodInsn(
          INVOKESTATIC, HOOKS, "beforeSendAsync",
          "(Ljava/lang/Object;Ljava/lang/Object;Ljava/lang/Object;Ljava/lang/Object;Ljava/lang/Object;)L" + FUTURE + ";",
          false);
      method.visitInsn(DUP);
      method.visitJumpInsn(IFNULL, proceed);
      method.visitInsn(ARETURN);
      method.visitLabel(proceed);
      context.frameSameLocalsOneStackItem(method, FUTURE);
      method.visitInsn(POP);
    }
  }

  /**
   * Before each return: {@code this.userHeaders = afterRequestCopy(this, this.userHeaders)}, or
   * with the request copied from as a third argument ({@code afterRedirectCopy}).
   */
  static final class RequestCopyHook extends MethodHook {
    private final String hookMethod;
    private final int copiedFromSlot;

    /** @param copiedFromSlot the local slot of the request copied from, or -1 for none */
    RequestCopyHook(String descriptorPrefix, String hookMethod, int copiedFromSlot) {
      super("<init>", descriptorPrefix);
      this.hookMethod = hookMethod;
      this.copiedFromSlot = copiedFromSlot;
    }

    @Override
    protected String[] requiredFields() {
      return new String[] {"userHeaders:" + HEADERS};
    }

    @Override
    protected boolean hasExit() {
      return true;
    }

    @Override
    protected void onExit(MethodVisitor method, Type[] arguments) {
      method.visitVarInsn(ALOAD, 0);
      method.visitVarInsn(ALOAD, 0);
      method.visitVarInsn(ALOAD, 0);
      method.visitFieldInsn(GETFIELD, REQUEST, "userHeaders", HEADERS);
      String descriptor = "(Ljava/lang/Object;Ljava/lang/Object;)Ljava/lang/Object;";
      if (copiedFromSlot >= 0) {
        method.visitVarInsn(ALOAD, copiedFromSlot);
        descriptor = "(Ljava/lang/Object;Ljava/lang/Object;Ljava/lang/Object;)Ljava/lang/Object;";
      }
      method.visitMethodInsn(INVOKESTATIC, HOOKS, hookMethod, descriptor, false);
      method.visitTypeInsn(CHECKCAST, "java/net/http/HttpHeaders");
      method.visitFieldInsn(PUTFIELD, REQUEST, "userHeaders", HEADERS);
    }
  }

  /**
   * {@code return afterResponseFilters(next, response)}: the place where the JDK decides whether
   * to send another request for this exchange (redirect, authentication), so a replay after a
   * purge status is one more such request (replay-after-purge).
   */
  static final class ResponseFiltersHook extends MethodHook {
    ResponseFiltersHook() {
      super("responseFilters", "(L" + RESPONSE + ";)L" + REQUEST + ";");
    }

    @Override
    protected boolean hasExit() {
      return true;
    }

    @Override
    protected boolean exitOnThrow() {
      return false; // the exit code works on the returned request
    }

    @Override
    protected void onExit(MethodVisitor method, Type[] arguments) {
      method.visitVarInsn(ALOAD, 1);
      method.visitMethodInsn(
          INVOKESTATIC, HOOKS, "afterResponseFilters", "(Ljava/lang/Object;Ljava/lang/Object;)Ljava/lang/Object;", false);
      method.visitTypeInsn(CHECKCAST, REQUEST);
    }
  }

  /**
   * Before each return of {@code Response(HttpRequestImpl, ..., HttpHeaders headers, ..., int
   * statusCode, ...)}: {@code afterResponse(req, headers, statusCode)}.
   */
  static final class ResponseHook extends MethodHook {
    ResponseHook() {
      super(
          "<init>",
          "(L" + REQUEST + ";Ljdk/internal/net/http/Exchange;" + HEADERS
              + "Ljdk/internal/net/http/HttpConnection;ILjava/net/http/HttpClient$Version;Z)V");
    }

    @Override
    protected boolean hasExit() {
      return true;
    }

    @Override
    protected void onExit(MethodVisitor method, Type[] arguments) {
      method.visitVarInsn(ALOAD, 1);
      method.visitVarInsn(ALOAD, 3);
      method.visitVarInsn(ILOAD, 5); // this, req, exchange, headers, connection: one slot each
      method.visitMethodInsn(INVOKESTATIC, HOOKS, "afterResponse", "(Ljava/lang/Object;Ljava/lang/Object;I)V", false);
    }
  }
}
