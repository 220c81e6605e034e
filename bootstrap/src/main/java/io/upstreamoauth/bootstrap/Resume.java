package io.upstreamoauth.bootstrap;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.function.BiConsumer;

/**
 * Calls a client's method again once the token its request waits for is ready: how advice on an
 * I/O thread or an async caller's thread waits for the IdP without blocking. The advice skips the
 * method ({@link Decision#WAIT}); when the token request completes, successfully or not, the same
 * method runs again with the same arguments on the thread that completed it, and its advice
 * decides again (now SEND, or FAIL with the IdP's error). A failure of that second call goes to
 * the exchange's own failure callback, never to a thread that nobody watches.
 *
 * <p>Reflection, because advice is inlined into clients this class cannot see by type, and
 * lambdas cannot be inlined into old class files. Only on the rare path where a token is not yet
 * cached.
 */
public final class Resume implements BiConsumer<Object, Throwable> {

  /** Set while a call runs again after its token request completed. */
  private static final ThreadLocal<Boolean> RESUMING = new ThreadLocal<Boolean>();

  private final Object target;
  private final String method;
  private final Object[] args;
  private final Object callback;
  private final String failMethod;

  private Resume(Object target, String method, Object[] args, Object callback, String failMethod) {
    this.target = target;
    this.method = method;
    this.args = args;
    this.callback = callback;
    this.failMethod = failMethod;
  }

  /**
   * Calls {@code target.method(args)} again when the decision's token request completes; if that
   * call throws, calls {@code callback.failMethod(exception)}.
   *
   * @param decision a {@link Decision#WAIT} decision
   * @param callback the exchange's failure callback, e.g. Apache's {@code AsyncExecCallback}
   * @param failMethod its one-argument failure method, e.g. {@code failed}
   */
  public static void when(Decision decision, Object target, String method, Object[] args, Object callback, String failMethod) {
    decision.ready().whenComplete(new Resume(target, method, args, callback, failMethod));
  }

  @Override
  public void accept(Object ignored, Throwable alsoIgnored) {
    // the outcome is the next decision's business: a failed fetch makes it FAIL (or PASS in
    // proceed mode), a token makes it SEND
    try {
      invoke(find(target.getClass(), method, args), target, args);
    } catch (InvocationTargetException e) {
      fail(e.getCause());
    } catch (Throwable e) {
      UpstreamOAuth.adviceError(e);
      IOException failure = new IOException("upstream-oauth-agent: could not continue the request once its token was ready");
      failure.initCause(e);
      fail(failure);
    }
  }

  /**
   * Returns true while a call runs again after waiting for a token request: its decision must
   * not start another one (a token request that failed at once would otherwise loop).
   */
  public static boolean resuming() {
    return RESUMING.get() != null;
  }

  /** Invokes {@code method}, marked as {@link #resuming()}. */
  static Object invoke(Method method, Object target, Object[] args) throws InvocationTargetException, IllegalAccessException {
    Boolean outer = RESUMING.get();
    RESUMING.set(Boolean.TRUE);
    try {
      return method.invoke(target, args);
    } finally {
      if (outer == null) {
        RESUMING.remove();
      }
    }
  }

  private void fail(Throwable error) {
    try {
      Exception exception = error instanceof Exception ? (Exception) error : new IOException(error);
      find(callback.getClass(), failMethod, new Object[] {exception}).invoke(callback, exception);
    } catch (Throwable e) {
      UpstreamOAuth.adviceError(e);
    }
  }

  /** Returns the method of that name whose parameters take {@code args}, made accessible. */
  static Method find(Class<?> type, String name, Object[] args) throws NoSuchMethodException {
    for (Class<?> c = type; c != null; c = c.getSuperclass()) {
      for (Method candidate : c.getDeclaredMethods()) {
        if (candidate.getName().equals(name) && accepts(candidate.getParameterTypes(), args)) {
          candidate.setAccessible(true);
          return candidate;
        }
      }
      for (Class<?> face : c.getInterfaces()) {
        for (Method candidate : face.getMethods()) {
          if (candidate.getName().equals(name) && accepts(candidate.getParameterTypes(), args)) {
            return candidate;
          }
        }
      }
    }
    throw new NoSuchMethodException(type.getName() + "." + name + " with " + args.length + " arguments");
  }

  private static boolean accepts(Class<?>[] parameters, Object[] args) {
    if (parameters.length != args.length) {
      return false;
    }
    for (int i = 0; i < parameters.length; i++) {
      if (args[i] != null && !parameters[i].isPrimitive() && !parameters[i].isInstance(args[i])) {
        return false;
      }
      if (args[i] == null && parameters[i].isPrimitive()) {
        return false;
      }
    }
    return true;
  }

  @Override
  public String toString() {
    return "Resume{" + target.getClass().getName() + "." + method + "}";
  }
}
