package io.upstreamoauth.agent.boot;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;

/**
 * Defines classes in the boot class loader with the JDK's internal {@code Unsafe.defineClass}
 * (JDK 9+). Never loaded by the agent's own class loader: {@link BootClasses} defines this class
 * alone in a class loader of its own, and opens {@code jdk.internal.misc} to that loader's unnamed
 * module only, so neither the application nor the rest of the agent gains any access. It may
 * therefore refer to JDK classes only.
 */
public final class BootDefiner {

  private BootDefiner() {}

  /**
   * Defines each class in the boot loader, superclasses before the classes that extend them
   * (whatever the order given: a class whose supertype is not defined yet is tried again after the
   * others).
   *
   * @param names binary names, aligned with {@code bytes}
   * @throws Exception when the JDK refuses, or a class cannot be defined at all
   */
  public static void define(String[] names, byte[][] bytes) throws Exception {
    Class<?> unsafeClass = Class.forName("jdk.internal.misc.Unsafe");
    Object unsafe = unsafeClass.getMethod("getUnsafe").invoke(null);
    Method defineClass =
        unsafeClass.getMethod(
            "defineClass", String.class, byte[].class, int.class, int.class, ClassLoader.class,
            java.security.ProtectionDomain.class);
    List<Integer> pending = new ArrayList<Integer>();
    for (int i = 0; i < names.length; i++) {
      pending.add(i);
    }
    while (!pending.isEmpty()) {
      List<Integer> later = new ArrayList<Integer>();
      Throwable last = null;
      for (Integer i : pending) {
        try {
          defineClass.invoke(unsafe, names[i], bytes[i], 0, bytes[i].length, null, null);
        } catch (InvocationTargetException e) {
          if (e.getCause() instanceof NoClassDefFoundError) {
            later.add(i); // its supertype comes later in the list
            last = e.getCause();
          } else {
            throw e;
          }
        }
      }
      if (later.size() == pending.size()) {
        throw new IllegalStateException("cannot define " + names[later.get(0)] + " in the boot loader", last);
      }
      pending = later;
    }
  }
}
