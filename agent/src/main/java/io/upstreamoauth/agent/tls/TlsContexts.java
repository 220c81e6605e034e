package io.upstreamoauth.agent.tls;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Collections;
import java.util.List;
import javax.net.ssl.HostnameVerifier;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/**
 * Builds the TLS contexts of the agent's own connections (token requests, Redis) from their
 * {@link TlsMaterial}, and says how their host names are checked.
 *
 * <p>Never from the JVM's defaults: an application may have made {@code SSLContext.setDefault},
 * {@code HttpsURLConnection.setDefaultSSLSocketFactory} or {@code setDefaultHostnameVerifier} trust
 * anything (a common legacy "fix" for certificate errors), before or after the agent's first
 * connection, and that must not decide where a client secret or a token goes. Without a
 * {@code ca-file} the trust store is the one the JDK itself would read for a new default context —
 * {@code javax.net.ssl.trustStore} (with its type and password) when set, else jssecacerts or
 * cacerts — through a {@link TrustManagerFactory} given no key store.
 */
public final class TlsContexts {

  private static final char[] NO_PASSWORD = new char[0];

  /** Leaves the JDK's own host-name check to decide: with verification on it has the last word. */
  private static final HostnameVerifier NO_OVERRIDE =
      new HostnameVerifier() {
        @Override
        public boolean verify(String host, SSLSession session) {
          return false;
        }
      };

  /** ssl-verify=false: any host name (development only, announced at start-up). */
  private static final HostnameVerifier ANY_HOST =
      new HostnameVerifier() {
        @Override
        public boolean verify(String host, SSLSession session) {
          return true;
        }
      };

  private TlsContexts() {}

  /**
   * Returns a new client context: its trust managers accept the servers the material trusts, its
   * key managers present the material's client certificate, if any.
   *
   * @throws IllegalArgumentException if a file cannot be read or parsed any more (they are checked
   *     when the configuration is read), saying which
   * @throws GeneralSecurityException if the JDK cannot build the context
   */
  public static SSLContext create(TlsMaterial material) throws GeneralSecurityException {
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(keyManagers(material), trustManagers(material), null);
    return context;
  }

  /**
   * Returns the verifier for an {@code HttpsURLConnection} of the agent: with verification on, one
   * that never overrides a failed host-name check (the application's default verifier might); with
   * it off, one that accepts any name.
   */
  public static HostnameVerifier hostnameVerifier(boolean verify) {
    return verify ? NO_OVERRIDE : ANY_HOST;
  }

  /**
   * Returns client parameters that send {@code serverName} as SNI (when not null) and, with
   * verification on, check the server's certificate against the host name in the handshake
   * (endpoint identification "HTTPS", RFC 2818 §3.1).
   */
  public static SSLParameters parameters(boolean verify, String serverName) {
    SSLParameters parameters = new SSLParameters();
    if (serverName != null) {
      parameters.setServerNames(Collections.singletonList(new SNIHostName(serverName)));
    }
    if (verify) {
      parameters.setEndpointIdentificationAlgorithm("HTTPS");
    }
    return parameters;
  }

  static TrustManager[] trustManagers(TlsMaterial material) throws GeneralSecurityException {
    if (!material.verify()) {
      return new TrustManager[] {new TrustAll()};
    }
    KeyStore store = null; // the JVM's trust store, read as for a new default context
    if (material.caFile() != null) {
      store = emptyStore();
      int index = 0;
      for (X509Certificate certificate : PemFiles.certificates(material.caFile())) {
        store.setCertificateEntry("ca-" + index++, certificate);
      }
    }
    TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(store);
    return factory.getTrustManagers();
  }

  private static KeyManager[] keyManagers(TlsMaterial material) throws GeneralSecurityException {
    if (material.certFile() == null) {
      return null;
    }
    List<X509Certificate> chain = PemFiles.certificates(material.certFile());
    PrivateKey key = PemFiles.privateKey(material.keyFile());
    KeyStore store = emptyStore();
    try {
      store.setKeyEntry("client", key, NO_PASSWORD, chain.toArray(new Certificate[0]));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("the client key does not match the certificate: " + e.getMessage());
    }
    KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    factory.init(store, NO_PASSWORD);
    return factory.getKeyManagers();
  }

  private static KeyStore emptyStore() throws GeneralSecurityException {
    KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
    try {
      store.load(null, null);
    } catch (IOException e) {
      throw new GeneralSecurityException(e);
    }
    return store;
  }
}
