package io.upstreamoauth.agent.config;

import io.upstreamoauth.agent.dpop.DpopKey;

/**
 * A profile's DPoP settings (RFC 9449): {@code dpop=true} and what goes with it. Immutable;
 * {@link #toString()} shows no key material.
 */
public final class DpopSettings {

  private final String alg;
  private final String keyFile;
  private final DpopKey key;
  private final boolean unboundAsBearer;

  DpopSettings(String alg, String keyFile, DpopKey key, boolean unboundAsBearer) {
    this.alg = alg;
    this.keyFile = keyFile;
    this.key = key;
    this.unboundAsBearer = unboundAsBearer;
  }

  /** Returns the proof algorithm: ES256 (default), RS256 or PS256. */
  public String alg() {
    return alg;
  }

  /** Returns {@code dpop-key-file}, or null when each JVM makes its own key. */
  public String keyFile() {
    return keyFile;
  }

  /** Returns the key read from {@link #keyFile()}, or null when each JVM makes its own. */
  public DpopKey key() {
    return key;
  }

  /**
   * Returns true when a Bearer token the IdP issued although DPoP was asked for is used as a
   * Bearer token ({@code dpop-unbound-token=use-as-bearer}); false: the token request fails.
   */
  public boolean unboundAsBearer() {
    return unboundAsBearer;
  }

  /** Returns what identifies the binding: the algorithm and the key's thumbprint, or "per JVM". */
  String identity() {
    return alg + "|" + (key != null ? key.thumbprint() : "generated-per-jvm");
  }

  @Override
  public String toString() {
    return "DpopSettings{" + alg + ", " + (key != null ? "key " + key.thumbprint() : "a key per JVM")
        + (unboundAsBearer ? ", unbound tokens used as Bearer" : "") + "}";
  }
}
