package io.upstreamoauth.agent.config;

/** What happens to a request to a configured host when no token can be had. */
public enum IdpErrorAction implements Choice {
  /** The call fails with an IOException that says why; nothing is sent upstream. */
  FAIL("fail"),
  /** The request is sent without a token. */
  PROCEED("proceed");

  private final String value;

  IdpErrorAction(String value) {
    this.value = value;
  }

  @Override
  public String value() {
    return value;
  }
}
