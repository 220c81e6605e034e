package io.upstreamoauth.bootstrap;

/**
 * A per-thread counter per instrumented client, so that an entry point that calls another
 * instrumented entry point (an overload calling an overload, an HTTPS wrapper delegating to HTTP)
 * is handled once, by the outermost call.
 */
public final class CallDepth {

  public static final int HTTP_URL_CONNECTION = 0;
  public static final int JAVA_HTTP_CLIENT = 1;
  public static final int APACHE_HTTPCLIENT_4 = 2;
  public static final int APACHE_HTTPCLIENT_5 = 3;
  public static final int OKHTTP = 4;
  private static final int SLOTS = 5;

  private static final ThreadLocal<int[]> DEPTHS =
      new ThreadLocal<int[]>() {
        @Override
        protected int[] initialValue() {
          return new int[SLOTS];
        }
      };

  private CallDepth() {}

  /** Increments the depth for {@code slot} and returns the depth before the call. */
  public static int enter(int slot) {
    return DEPTHS.get()[slot]++;
  }

  /** Decrements the depth for {@code slot} and returns the depth after the call. */
  public static int exit(int slot) {
    int[] depths = DEPTHS.get();
    int depth = depths[slot];
    if (depth > 0) {
      depths[slot] = --depth;
    }
    return depth;
  }
}
