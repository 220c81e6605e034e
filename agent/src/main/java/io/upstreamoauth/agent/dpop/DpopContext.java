package io.upstreamoauth.agent.dpop;

import io.upstreamoauth.agent.config.DpopSettings;
import io.upstreamoauth.agent.util.AgentLog;
import io.upstreamoauth.agent.util.Clock;
import java.security.GeneralSecurityException;

/**
 * One token's DPoP: the key its token is bound to (read from {@code dpop-key-file}, or made on
 * first use, once per JVM), the nonces servers gave, and the proofs for the token request and for
 * every request that carries the token.
 */
public final class DpopContext {

  private final DpopSettings settings;
  private final DpopNonces nonces;
  private final Clock clock;
  private volatile DpopKey key;

  public DpopContext(DpopSettings settings, DpopNonces nonces, Clock clock) {
    this.settings = settings;
    this.nonces = nonces;
    this.clock = clock;
    this.key = settings.key();
  }

  public DpopSettings settings() {
    return settings;
  }

  public DpopNonces nonces() {
    return nonces;
  }

  /**
   * Returns the key, making it on first use when no key file is configured (never at start-up:
   * making an RSA key takes a while, and an app that never calls a configured host pays nothing).
   *
   * @throws GeneralSecurityException when this JVM cannot make such a key
   */
  public DpopKey key() throws GeneralSecurityException {
    DpopKey current = key;
    if (current == null) {
      synchronized (this) {
        current = key;
        if (current == null) {
          current = DpopKey.generate(settings.alg());
          AgentLog.info("made a DPoP key for this JVM (" + settings.alg() + ", JWK thumbprint " + current.thumbprint() + ")");
          key = current;
        }
      }
    }
    return current;
  }

  /** Returns true when {@code value} is a proof this context's key made (false before it has one). */
  public boolean madeByKey(String value) {
    DpopKey current = key;
    return current != null && current.made(value);
  }

  /**
   * Makes a proof for one request with the server's latest nonce.
   *
   * @param accessToken the token the request carries, or null (the token request)
   * @param ath its {@link DpopKey#ath}, or null to compute it
   */
  public String proof(String method, String scheme, String host, int port, String rawPath, String accessToken, String ath)
      throws GeneralSecurityException {
    String hash = ath != null ? ath : accessToken == null ? null : DpopKey.ath(accessToken);
    return key().proof(
        method, DpopKey.htu(scheme, host, port, rawPath), hash, nonces.get(DpopNonces.origin(scheme, host, port)),
        clock.millis() / 1000);
  }

  @Override
  public String toString() {
    return "DpopContext{" + settings + "}";
  }
}
