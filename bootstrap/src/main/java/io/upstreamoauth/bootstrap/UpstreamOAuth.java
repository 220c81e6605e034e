package io.upstreamoauth.bootstrap;

import java.io.IOException;

/** Holds the agent's {@link OAuthBridge}; until the agent installs one, advice does nothing. */
public final class UpstreamOAuth {

  private static volatile OAuthBridge bridge = Noop.INSTANCE;

  private UpstreamOAuth() {}

  /** Returns the installed bridge, or one that adds nothing. */
  public static OAuthBridge bridge() {
    return bridge;
  }

  /** Installs the agent's bridge; called once by the agent after its configuration is valid. */
  public static void install(OAuthBridge installed) {
    if (installed == null) {
      throw new NullPointerException("bridge");
    }
    bridge = installed;
  }

  /** Reports an error thrown inside advice. Referenced by the advice exception handler. */
  public static void adviceError(Throwable error) {
    try {
      bridge.onAdviceError(error);
    } catch (Throwable ignored) {
      // reporting must never fail the request
    }
  }

  private enum Noop implements OAuthBridge {
    INSTANCE;

    private static final String[] NONE = new String[0];

    @Override
    public AuthHeader headerFor(String scheme, String host, int port, String path)
        throws IOException {
      return null;
    }

    @Override
    public boolean isIssued(String value) {
      return false;
    }

    @Override
    public String[] headerNames() {
      return NONE;
    }

    @Override
    public void onResponse(
        String scheme, String host, int port, String path, int status, String sentValue) {}

    @Override
    public boolean shouldReplay(String scheme, String host, int port, String path, String method, int status) {
      return false;
    }

    @Override
    public void onAdviceError(Throwable error) {}
  }
}
