package io.upstreamoauth.agent.config;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * Builds the TLS context of token requests from PEM files: the CAs to trust ({@code ca-file},
 * instead of the JVM's trust store, as curl's --cacert does), the client certificate and key for
 * mutual TLS (RFC 8705), or no verification at all ({@code ssl-verify=false}, for development).
 */
final class TlsFiles {

  private static final char[] NO_PASSWORD = new char[0];

  private TlsFiles() {}

  /** Returns null when every setting is the JVM default. */
  static SSLSocketFactory socketFactory(boolean verify, String caFile, String certFile, String keyFile) {
    if (verify && caFile == null && certFile == null) {
      return null;
    }
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keyManagers(certFile, keyFile), trustManagers(verify, caFile), null);
      return context.getSocketFactory();
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("cannot set up TLS: " + e.getMessage());
    }
  }

  /** Reads every certificate of a PEM file. */
  static List<X509Certificate> certificates(String path) {
    String text = PrivateKeyFile.read(path);
    try {
      Collection<? extends Certificate> all =
          CertificateFactory.getInstance("X.509")
              .generateCertificates(new ByteArrayInputStream(text.getBytes(StandardCharsets.US_ASCII)));
      List<X509Certificate> certificates = new ArrayList<X509Certificate>();
      for (Certificate certificate : all) {
        certificates.add((X509Certificate) certificate);
      }
      if (certificates.isEmpty()) {
        throw new IllegalArgumentException("'" + path + "' holds no PEM certificate");
      }
      return certificates;
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("'" + path + "' is not a PEM certificate file: " + e.getMessage());
    }
  }

  private static KeyManager[] keyManagers(String certFile, String keyFile) throws GeneralSecurityException {
    if (certFile == null) {
      return null;
    }
    List<X509Certificate> chain = certificates(certFile);
    PrivateKey key = PrivateKeyFile.loadPem(keyFile).key;
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

  private static TrustManager[] trustManagers(boolean verify, String caFile) throws GeneralSecurityException {
    if (!verify) {
      return new TrustManager[] {new TrustEverything()};
    }
    if (caFile == null) {
      return null; // the JVM's trust store
    }
    KeyStore store = emptyStore();
    int index = 0;
    for (X509Certificate certificate : certificates(caFile)) {
      store.setCertificateEntry("ca-" + index++, certificate);
    }
    TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(store);
    return factory.getTrustManagers();
  }

  private static KeyStore emptyStore() throws GeneralSecurityException {
    KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
    try {
      store.load(null, null);
    } catch (java.io.IOException e) {
      throw new GeneralSecurityException(e);
    }
    return store;
  }

  /** ssl-verify=false: accepts any server certificate (development only; logged at start-up). */
  private static final class TrustEverything implements X509TrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
