package io.upstreamoauth.agent.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.upstreamoauth.bootstrap.Decision;
import io.upstreamoauth.bootstrap.JavaHttpClientHooks;
import io.upstreamoauth.bootstrap.OAuthBridge;
import io.upstreamoauth.bootstrap.UpstreamOAuth;
import io.upstreamoauth.bootstrap.WeakIdentityMap;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The order the bootstrap classes are defined in: each after its supertypes, whatever the jar's order. */
class BootClassesTest {

  private static final String NOOP = UpstreamOAuth.class.getName() + "$Noop";
  private static final String KEY = WeakIdentityMap.class.getName() + "$Key";

  @Test
  void supertypes_readFromTheConstantPool() throws IOException {
    assertThat(BootClasses.supertypes(bytes(NOOP))).containsExactly("java.lang.Enum", OAuthBridge.class.getName());
    assertThat(BootClasses.supertypes(bytes(Decision.class.getName()))).containsExactly("java.lang.Object");
    assertThat(BootClasses.supertypes(bytes(OAuthBridge.class.getName()))).containsExactly("java.lang.Object");
  }

  @Test
  void supertypesFirst_everyOrderGivesAnOrderThatCanBeDefined() throws IOException {
    List<String> names = new ArrayList<>(List.of(
        NOOP, KEY, UpstreamOAuth.class.getName(), OAuthBridge.class.getName(), Decision.class.getName(),
        WeakIdentityMap.class.getName(), JavaHttpClientHooks.class.getName()));
    for (String inner : List.of("$SendAgain", "$SendAgain$1", "$FirstHop", "$DecisionFilter", "$Handles")) {
      names.add(JavaHttpClientHooks.class.getName() + inner);
    }
    for (int seed = 0; seed < 50; seed++) {
      Collections.shuffle(names, new java.util.Random(seed));
      Map<String, byte[]> classes = new LinkedHashMap<>();
      for (String name : names) {
        classes.put(name, bytes(name));
      }

      List<String> ordered = new ArrayList<>(BootClasses.supertypesFirst(classes).keySet());

      assertThat(ordered).containsExactlyInAnyOrderElementsOf(names);
      for (String name : ordered) {
        for (String supertype : BootClasses.supertypes(classes.get(name))) {
          if (classes.containsKey(supertype)) {
            assertThat(ordered.indexOf(supertype)).as(supertype + " before " + name).isLessThan(ordered.indexOf(name));
          }
        }
      }
      assertThat(ordered.indexOf(OAuthBridge.class.getName())).isLessThan(ordered.indexOf(NOOP));
    }
  }

  private static byte[] bytes(String name) throws IOException {
    try (InputStream in = BootClassesTest.class.getResourceAsStream("/" + name.replace('.', '/') + ".class")) {
      assertThat(in).as(name).isNotNull();
      return in.readAllBytes();
    }
  }
}
