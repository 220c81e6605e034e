package io.upstreamoauth.agent.token;

/**
 * Tells a {@link TokenManager} whether the client's credentials changed since it last asked: a
 * secret file Kubernetes swapped, a new private key. Asked on the token-request path only, never
 * for a request served from a cached token.
 */
public interface CredentialWatch {

  /**
   * Returns true when the credentials changed since the last call that returned true; the next
   * token request then uses them.
   *
   * @param now false to look at most every few seconds (a cheap check); true to look now, after
   *     the IdP refused the client
   */
  boolean changed(boolean now);

  /** Credentials that never change. */
  CredentialWatch NONE =
      new CredentialWatch() {
        @Override
        public boolean changed(boolean now) {
          return false;
        }
      };
}
