package io.upstreamoauth.agent.boot;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.Method;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;

/**
 * Puts the agent's bootstrap classes (the few that woven JDK classes and library advice call) in
 * the boot class loader, where every class can see them.
 *
 * <p>On JDK 9 and later they are defined there one by one, and the boot class path is left as it
 * is: appending to it ({@code Instrumentation.appendToBootstrapClassLoaderSearch}, as agents
 * usually do) makes the JVM print "Sharing is only supported for boot loader classes because
 * bootstrap classpath has been appended" into every application's output and turn class data
 * sharing off for all classes but the boot loader's. On Java 8, which has neither the warning nor
 * class data sharing beyond the boot loader, and on a JDK that refuses the definition, the nested
 * jar is appended as before.
 */
public final class BootClasses {

  /** The nested jar holding the bootstrap classes, inside the agent jar. */
  public static final String JAR = "/META-INF/upstream-oauth/upstream-oauth-bootstrap.jar";

  private static final String DEFINER = "io.upstreamoauth.agent.boot.BootDefiner";

  private BootClasses() {}

  /**
   * Reads the bootstrap classes from the agent jar: binary name to class file, in jar order.
   *
   * @throws IOException when the agent jar has no nested bootstrap jar or it cannot be read
   */
  public static Map<String, byte[]> read() throws IOException {
    InputStream nested = BootClasses.class.getResourceAsStream(JAR);
    if (nested == null) {
      throw new IOException("the agent jar has no " + JAR);
    }
    Map<String, byte[]> classes = new LinkedHashMap<String, byte[]>();
    try (JarInputStream jar = new JarInputStream(nested)) {
      for (JarEntry entry; (entry = jar.getNextJarEntry()) != null; ) {
        String name = entry.getName();
        if (name.endsWith(".class") && !name.startsWith("META-INF/")) {
          classes.put(name.substring(0, name.length() - 6).replace('/', '.'), readAll(jar));
        }
      }
    }
    return classes;
  }

  /**
   * Defines the bootstrap classes in the boot loader (JDK 9+).
   *
   * @throws Exception when this JDK does not allow it; the caller falls back to appending the jar
   */
  public static void define(Instrumentation instrumentation, Map<String, byte[]> classes) throws Exception {
    Class<?> definer = isolated();
    Method getModule = Class.class.getMethod("getModule");
    Object javaBase = getModule.invoke(Object.class);
    Object definerModule = getModule.invoke(definer);
    Class<?> moduleClass = Class.forName("java.lang.Module");
    Map<String, Set<Object>> exports =
        Collections.singletonMap("jdk.internal.misc", Collections.singleton(definerModule));
    Instrumentation.class
        .getMethod("redefineModule", moduleClass, Set.class, Map.class, Map.class, Set.class, Map.class)
        .invoke(instrumentation, javaBase, Collections.emptySet(), exports, Collections.emptyMap(),
            Collections.emptySet(), Collections.emptyMap());
    String[] names = classes.keySet().toArray(new String[0]);
    byte[][] bytes = classes.values().toArray(new byte[0][]);
    try {
      definer.getMethod("define", String[].class, byte[][].class).invoke(null, names, bytes);
    } catch (java.lang.reflect.InvocationTargetException e) {
      throw e.getCause() instanceof Exception ? (Exception) e.getCause() : e;
    }
  }

  /** {@link BootDefiner}, defined alone in a class loader of its own (parent: the boot loader). */
  private static Class<?> isolated() throws IOException {
    InputStream in = BootClasses.class.getResourceAsStream("BootDefiner.class");
    if (in == null) {
      throw new IOException("the agent jar has no BootDefiner.class");
    }
    byte[] bytes;
    try {
      bytes = readAll(in);
    } finally {
      in.close();
    }
    return new DefinerLoader().define(bytes);
  }

  private static final class DefinerLoader extends ClassLoader {
    DefinerLoader() {
      super(null);
    }

    Class<?> define(byte[] bytes) {
      return defineClass(DEFINER, bytes, 0, bytes.length);
    }
  }

  private static byte[] readAll(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
    byte[] buffer = new byte[8192];
    for (int n; (n = in.read(buffer)) != -1; ) {
      out.write(buffer, 0, n);
    }
    return out.toByteArray();
  }
}
