package io.upstreamoauth.agent.config;

/** How the agent authenticates to the token endpoint (RFC 6749 §2.3, RFC 7523, OIDC Core §9). */
public enum AuthMethod implements Choice {
  CLIENT_SECRET_BASIC("client_secret_basic"),
  CLIENT_SECRET_POST("client_secret_post"),
  CLIENT_SECRET_JWT("client_secret_jwt"),
  PRIVATE_KEY_JWT("private_key_jwt"),
  /** RFC 8705 §2.1: a CA-issued client certificate authenticates the client. */
  TLS_CLIENT_AUTH("tls_client_auth"),
  /** RFC 8705 §2.2: a self-signed client certificate registered with the IdP. */
  SELF_SIGNED_TLS_CLIENT_AUTH("self_signed_tls_client_auth"),
  /**
   * RFC 7523 §2.2: a JWT issued by someone else (a Kubernetes projected service-account token,
   * AZURE_FEDERATED_TOKEN_FILE), read from {@code client-assertion-file} for every token request.
   */
  CLIENT_ASSERTION_FILE("client_assertion_file"),
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

  /** Returns true for the RFC 8705 methods, which need a client certificate. */
  public boolean needsClientCertificate() {
    return this == TLS_CLIENT_AUTH || this == SELF_SIGNED_TLS_CLIENT_AUTH;
  }

  /** Returns true for methods that need {@code client-secret}. */
  public boolean needsSecret() {
    return this == CLIENT_SECRET_BASIC || this == CLIENT_SECRET_POST || this == CLIENT_SECRET_JWT;
  }
}
