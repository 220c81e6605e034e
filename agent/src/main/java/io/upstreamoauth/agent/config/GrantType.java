package io.upstreamoauth.agent.config;

/** The OAuth 2.0 grant the agent uses (RFC 6749 §4.4 and §4.3). */
public enum GrantType implements Choice {
  CLIENT_CREDENTIALS("client_credentials"),
  PASSWORD("password");

  private final String value;

  GrantType(String value) {
    this.value = value;
  }

  /** Returns the {@code grant_type} form value. */
  @Override
  public String value() {
    return value;
  }
}
