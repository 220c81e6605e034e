package io.upstreamoauth.agent.config;

/** How the agent authenticates to the token endpoint (RFC 6749 §2.3, RFC 7523, OIDC Core §9). */
public enum AuthMethod implements Choice {
  CLIENT_SECRET_BASIC("client_secret_basic"),
  CLIENT_SECRET_POST("client_secret_post"),
  CLIENT_SECRET_JWT("client_secret_jwt"),
  PRIVATE_KEY_JWT("private_key_jwt"),
  NONE("none");

  private final String value;

  AuthMethod(String value) {
    this.value = value;
  }

  /** Returns the name as written in configuration and in OIDC discovery metadata. */
  @Override
  public String value() {
    return value;
  }

  /** Returns true for methods that need {@code client-secret}. */
  public boolean needsSecret() {
    return this == CLIENT_SECRET_BASIC || this == CLIENT_SECRET_POST || this == CLIENT_SECRET_JWT;
  }
}
