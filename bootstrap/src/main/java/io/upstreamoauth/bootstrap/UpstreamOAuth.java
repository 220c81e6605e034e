package io.upstreamoauth.bootstrap;

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
    private static final Decision PASS = Decision.pass(INSTANCE, NONE);

    @Override
    public Decision decide(String scheme, String host, int port, String path, String method, boolean mayWait) {
      return PASS;
    }

    @Override
    public boolean isIssued(String value) {
      return false;
    }

    @Override
    public Decision issuedBy(String value) {
      return null;
    }

    @Override
    public String[] headerNames() {
      return NONE;
    }

    @Override
    public void onResponse(Decision decision, int status) {}

    @Override
    public boolean readsDpopHeaders(Decision decision) {
      return false;
    }

    @Override
    public void onResponse(
        Decision decision, int status, String scheme, String host, int port, String dpopNonce, String wwwAuthenticate) {}

    @Override
    public boolean shouldReplay(
        Decision decision, String method, int status, String scheme, String host, int port, String dpopNonce,
        String wwwAuthenticate) {
      return false;
    }

    @Override
    public boolean replays(Decision decision, String method) {
      return false;
    }

    @Override
    public boolean shouldReplay(Decision decision, String method, int status) {
      return false;
    }

    @Override
    public void onAdviceError(Throwable error) {}
  }
}
