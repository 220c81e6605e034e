package io.upstreamoauth.agent.boot;

import jdk.internal.misc.Unsafe;

/**
 * Defines classes in the boot class loader with the JDK's internal {@code Unsafe.defineClass}
 * (JDK 9+). Never loaded by the agent's own class loader: {@link BootClasses} defines this class
 * alone in a class loader of its own, and exports {@code jdk.internal.misc} to that loader's
 * unnamed module only, so neither the application nor the rest of the agent gains any access. It
 * may therefore refer to JDK classes only. It calls {@code Unsafe} directly (compiled against a
 * stub): no reflection per class, so the JDK spins no accessor for it.
 */
public final class BootDefiner {

  private BootDefiner() {}

  /**
   * Defines each class in the boot loader, in the order given: a class's superclass and
   * interfaces, when they are among them, must come before it ({@link BootClasses#read} sorts so).
   *
   * @param names binary names, aligned with {@code bytes}
   */
  public static void define(String[] names, byte[][] bytes) {
    Unsafe unsafe = Unsafe.getUnsafe();
    for (int i = 0; i < names.length; i++) {
      unsafe.defineClass(names[i], bytes[i], 0, bytes[i].length, null, null);
    }
  }
}
