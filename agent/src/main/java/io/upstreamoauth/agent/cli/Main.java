package io.upstreamoauth.agent.cli;

import io.upstreamoauth.agent.AgentPremain;
import java.lang.reflect.InvocationTargetException;
import java.net.URL;
import java.net.URLClassLoader;

/**
 * {@code java -jar upstream-oauth-agent.jar <command>}: the jar's Main-Class. The agent's classes
 * need the bootstrap classes ({@code OAuthBridge}, {@code Decision}), which the jar holds only as
 * a nested jar for the agent to append to the bootstrap class path. So this launcher runs {@link
 * Commands} in a class loader of the agent jar and that nested jar, under the platform loader.
 */
public final class Main {

  private static final String BOOTSTRAP_CLASS = "io.upstreamoauth.bootstrap.OAuthBridge";

  private Main() {}

  public static void main(String[] args) throws Exception {
    if (visible(BOOTSTRAP_CLASS, Main.class.getClassLoader())) {
      Commands.main(args); // run from a build's class path, where the bootstrap module is
      return;
    }
    URL agentJar = Main.class.getProtectionDomain().getCodeSource().getLocation();
    URL bootstrapJar = AgentPremain.extractBootstrapJar().toURI().toURL();
    ClassLoader parent = ClassLoader.getSystemClassLoader().getParent(); // JDK classes only
    URLClassLoader loader = new URLClassLoader(new URL[] {agentJar, bootstrapJar}, parent);
    Thread.currentThread().setContextClassLoader(loader);
    try {
      Class.forName(Commands.class.getName(), true, loader)
          .getMethod("main", String[].class)
          .invoke(null, (Object) args);
    } catch (InvocationTargetException e) {
      throw e.getCause() instanceof Exception ? (Exception) e.getCause() : e;
    }
  }

  private static boolean visible(String name, ClassLoader loader) {
    try {
      Class.forName(name, false, loader);
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }
}
