package io.upstreamoauth.agent.tls;

/**
 * What one of the agent's TLS connections trusts and presents, as configured: the CAs of a PEM
 * file ({@code ca-file}) or the JVM's trust store, or no check at all ({@code ssl-verify=false});
 * and, for mutual TLS, a client certificate and its key. Paths only; {@link TlsContexts} reads the
 * files when the connection is first needed.
 */
public final class TlsMaterial {

  private final boolean verify;
  private final String caFile;
  private final String certFile;
  private final String keyFile;

  private TlsMaterial(boolean verify, String caFile, String certFile, String keyFile) {
    this.verify = verify;
    this.caFile = caFile;
    this.certFile = certFile;
    this.keyFile = keyFile;
  }

  /**
   * Returns material that checks the server against {@code caFile}, or the JVM's trust store when
   * it is null, or not at all when {@code verify} is false.
   */
  public static TlsMaterial trust(boolean verify, String caFile) {
    return new TlsMaterial(verify, caFile, null, null);
  }

  /**
   * Returns this material presenting a client certificate chain and its PKCS#8 key (PEM files);
   * both null for none.
   *
   * @throws IllegalArgumentException if only one of them is given
   */
  public TlsMaterial withClientCertificate(String certFile, String keyFile) {
    if ((certFile == null) != (keyFile == null)) {
      throw new IllegalArgumentException("a client certificate needs its key, and a key its certificate");
    }
    return new TlsMaterial(verify, caFile, certFile, keyFile);
  }

  /** Returns false when any server certificate and host name are accepted (ssl-verify=false). */
  public boolean verify() {
    return verify;
  }

  /** Returns the PEM file of the CAs to trust, or null for the JVM's trust store. */
  public String caFile() {
    return caFile;
  }

  /** Returns the PEM client certificate chain, or null. */
  public String certFile() {
    return certFile;
  }

  /** Returns the PEM PKCS#8 client key, or null. */
  public String keyFile() {
    return keyFile;
  }

  @Override
  public String toString() {
    return "TlsMaterial{"
        + (!verify ? "no verification" : caFile != null ? "ca-file " + caFile : "the JVM's trust store")
        + (certFile != null ? ", client certificate " + certFile : "")
        + "}";
  }
}
