package io.upstreamoauth.agent.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;

/**
 * Reads the PEM files of the configuration: CA and client certificates, PKCS#8 private keys. Each
 * failure is an {@link IllegalArgumentException} whose message says what is wrong and how to fix
 * it, for the configuration reader to put after the key's name; it never holds key material.
 */
public final class PemFiles {

  private static final String BEGIN_KEY = "-----BEGIN PRIVATE KEY-----";
  private static final String END_KEY = "-----END PRIVATE KEY-----";

  private PemFiles() {}

  /** Returns the text of a file, trimmed. */
  public static String read(String path) {
    try {
      return new String(Files.readAllBytes(Paths.get(path)), StandardCharsets.UTF_8).trim();
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("cannot read '" + path + "': " + e.getClass().getSimpleName());
    }
  }

  /** Returns every certificate of a PEM file, in file order; at least one. */
  public static List<X509Certificate> certificates(String path) {
    String text = read(path);
    try {
      Collection<? extends Certificate> certificates =
          CertificateFactory.getInstance("X.509")
              .generateCertificates(new ByteArrayInputStream(text.getBytes(StandardCharsets.US_ASCII)));
      List<X509Certificate> all = new ArrayList<X509Certificate>();
      for (Certificate certificate : certificates) {
        all.add((X509Certificate) certificate);
      }
      if (all.isEmpty()) {
        throw new IllegalArgumentException("'" + path + "' holds no PEM certificate");
      }
      return all;
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("'" + path + "' is not a PEM certificate file: " + e.getMessage());
    }
  }

  /** Returns the RSA or EC key of a PEM PKCS#8 file. */
  public static PrivateKey privateKey(String path) {
    return parsePrivateKey(read(path));
  }

  /** Returns the RSA or EC key of PEM PKCS#8 text. */
  public static PrivateKey parsePrivateKey(String text) {
    if (text.contains("BEGIN ENCRYPTED PRIVATE KEY")) {
      throw new IllegalArgumentException(
          "the key is encrypted; decrypt it: openssl pkcs8 -topk8 -nocrypt -in key.pem -out key-pkcs8.pem");
    }
    if (text.contains("BEGIN RSA PRIVATE KEY") || text.contains("BEGIN EC PRIVATE KEY")) {
      throw new IllegalArgumentException(
          "the key is PKCS#1/SEC1 PEM; convert it to PKCS#8: openssl pkcs8 -topk8 -nocrypt -in key.pem -out key-pkcs8.pem");
    }
    int start = text.indexOf(BEGIN_KEY);
    int stop = text.indexOf(END_KEY);
    if (start < 0 || stop < start) {
      throw new IllegalArgumentException(
          "not a PEM PKCS#8 private key (" + BEGIN_KEY + ") nor a JWK JSON object");
    }
    byte[] der;
    try {
      der = Base64.getDecoder().decode(text.substring(start + BEGIN_KEY.length(), stop).replaceAll("\\s", ""));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the PEM body is not valid base64");
    }
    PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
    for (String type : new String[] {"RSA", "EC"}) {
      try {
        return KeyFactory.getInstance(type).generatePrivate(spec);
      } catch (GeneralSecurityException e) {
        // try the next type
      }
    }
    throw new IllegalArgumentException("the PKCS#8 key is neither RSA nor EC");
  }
}
