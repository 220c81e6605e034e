package io.upstreamoauth.agent.instrumentation;

import static org.assertj.core.api.Assertions.assertThat;

import io.upstreamoauth.agent.instrumentation.httpurlconnection.HttpUrlConnectionInstrumentation;
import io.upstreamoauth.agent.instrumentation.javahttpclient.JavaHttpClientInstrumentation;
import io.upstreamoauth.agent.instrumentation.weaver.HookWeaver;
import io.upstreamoauth.agent.instrumentation.weaver.MethodHook;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The JDK running the tests (17 and 25 in CI) takes every hook, optional ones included: an
 * optional hook the JDK cannot take is left out at run time without a word, so this is where a
 * JDK that moved a method shows up.
 */
class JdkHooksApplyTest {

  @Test
  void httpUrlConnection_everyHookApplies() throws Exception {
    assertThat(unavailable(new HttpUrlConnectionInstrumentation())).isEmpty();
  }

  @Test
  void javaHttpClient_everyHookApplies() throws Exception {
    assertThat(unavailable(new JavaHttpClientInstrumentation())).isEmpty();
  }

  private static List<String> unavailable(JdkInstrumentation instrumentation) throws Exception {
    List<String> missing = new ArrayList<>();
    for (Map.Entry<String, List<MethodHook>> entry : instrumentation.hooks().entrySet()) {
      missing.addAll(HookWeaver.unavailable(classFile(entry.getKey()), entry.getValue()));
    }
    return missing;
  }

  private static byte[] classFile(String internalName) throws Exception {
    // a .class resource is never encapsulated by its module
    try (InputStream in = ClassLoader.getSystemResourceAsStream(internalName + ".class")) {
      assertThat(in).as(internalName).isNotNull();
      return in.readAllBytes();
    }
  }
}
