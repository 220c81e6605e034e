package jdk.internal.misc;

import java.security.ProtectionDomain;

/** Compile-only stand-in for the JDK 9+ class (the methods {@code boot.BootDefiner} calls). */
public final class Unsafe {

  private Unsafe() {}

  public static Unsafe getUnsafe() {
    throw new UnsupportedOperationException("stub");
  }

  public Class<?> defineClass(
      String name, byte[] b, int off, int len, ClassLoader loader, ProtectionDomain protectionDomain) {
    throw new UnsupportedOperationException("stub");
  }
}
