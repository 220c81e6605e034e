package io.upstreamoauth.agent.config;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.JSONObjectUtils;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.security.KeyFactory;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.spec.ECParameterSpec;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/** Loads the private key for private_key_jwt from a PEM (PKCS#8) or JWK / JWK Set JSON file. */
final class PrivateKeyFile {

  /** A loaded key. */
  static final class Loaded {
    final PrivateKey key;
    final String keyId; // from a JWK, or null
    final String fingerprint;

    Loaded(PrivateKey key, String keyId) {
      this.key = key;
      this.keyId = keyId;
      this.fingerprint = io.upstreamoauth.agent.util.Digests.sha256Hex(key.getEncoded());
    }
  }

  private PrivateKeyFile() {}

  /**
   * Loads the key and checks it suits the algorithm.
   *
   * @throws IllegalArgumentException with a message that says what is wrong and how to fix it
   */
  static Loaded load(String path, String alg) {
    String text = read(path);
    Loaded loaded = text.startsWith("{") ? fromJwk(text) : fromPem(text);
    checkAlgorithm(loaded.key, alg);
    return loaded;
  }

  /**
   * Loads a PEM PKCS#8 RSA or EC key, e.g. a TLS client key.
   *
   * @throws IllegalArgumentException with a message that says what is wrong and how to fix it
   */
  static Loaded loadPem(String path) {
    return fromPem(read(path));
  }

  static String read(String path) {
    try {
      return new String(Files.readAllBytes(Paths.get(path)), StandardCharsets.UTF_8).trim();
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("cannot read '" + path + "': " + e.getClass().getSimpleName());
    }
  }

  private static Loaded fromPem(String text) {
    if (text.contains("BEGIN ENCRYPTED PRIVATE KEY")) {
      throw new IllegalArgumentException(
          "the key is encrypted; decrypt it: openssl pkcs8 -topk8 -nocrypt -in key.pem -out key-pkcs8.pem");
    }
    if (text.contains("BEGIN RSA PRIVATE KEY") || text.contains("BEGIN EC PRIVATE KEY")) {
      throw new IllegalArgumentException(
          "the key is PKCS#1/SEC1 PEM; convert it to PKCS#8: openssl pkcs8 -topk8 -nocrypt -in key.pem -out key-pkcs8.pem");
    }
    String begin = "-----BEGIN PRIVATE KEY-----";
    String end = "-----END PRIVATE KEY-----";
    int start = text.indexOf(begin);
    int stop = text.indexOf(end);
    if (start < 0 || stop < start) {
      throw new IllegalArgumentException(
          "not a PEM PKCS#8 private key (-----BEGIN PRIVATE KEY-----) nor a JWK JSON object");
    }
    String base64 = text.substring(start + begin.length(), stop).replaceAll("\\s", "");
    byte[] der;
    try {
      der = Base64.getDecoder().decode(base64);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the PEM body is not valid base64");
    }
    PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
    for (String type : new String[] {"RSA", "EC"}) {
      try {
        return new Loaded(KeyFactory.getInstance(type).generatePrivate(spec), null);
      } catch (InvalidKeySpecException | NoSuchAlgorithmException e) {
        // try the next type
      }
    }
    throw new IllegalArgumentException("the PKCS#8 key is neither RSA nor EC");
  }

  private static Loaded fromJwk(String text) {
    try {
      List<JWK> candidates = new ArrayList<JWK>();
      // a set is an object with a "keys" member; a single JWK may hold the text "keys" elsewhere,
      // e.g. as its kid
      Map<String, Object> json = JSONObjectUtils.parse(text);
      if (json.containsKey("keys")) {
        for (JWK jwk : JWKSet.parse(json).getKeys()) {
          if (jwk.isPrivate()) {
            candidates.add(jwk);
          }
        }
        if (candidates.size() != 1) {
          throw new IllegalArgumentException(
              "the JWK Set holds " + candidates.size() + " private keys; it must hold exactly one");
        }
      } else {
        candidates.add(JWK.parse(json));
      }
      JWK jwk = candidates.get(0);
      if (!jwk.isPrivate()) {
        throw new IllegalArgumentException("the JWK is a public key; a private key is needed");
      }
      if (jwk instanceof RSAKey) {
        return new Loaded(((RSAKey) jwk).toPrivateKey(), jwk.getKeyID());
      }
      if (jwk instanceof ECKey) {
        return new Loaded(((ECKey) jwk).toPrivateKey(), jwk.getKeyID());
      }
      throw new IllegalArgumentException("the JWK must be an RSA or EC key, was " + jwk.getKeyType());
    } catch (ParseException e) {
      throw new IllegalArgumentException("not a valid JWK: " + e.getMessage());
    } catch (JOSEException e) {
      throw new IllegalArgumentException("the JWK's private key cannot be read: " + e.getMessage());
    }
  }

  private static void checkAlgorithm(PrivateKey key, String alg) {
    boolean rsa = alg.startsWith("RS") || alg.startsWith("PS");
    if (rsa && !(key instanceof RSAPrivateKey)) {
      throw new IllegalArgumentException(alg + " needs an RSA key, the file holds " + key.getAlgorithm());
    }
    if (alg.startsWith("ES")) {
      if (!(key instanceof ECPrivateKey)) {
        throw new IllegalArgumentException(alg + " needs an EC key, the file holds " + key.getAlgorithm());
      }
      ECParameterSpec params = ((ECPrivateKey) key).getParams();
      int bits = params.getCurve().getField().getFieldSize();
      int expected = alg.equals("ES256") ? 256 : alg.equals("ES384") ? 384 : 521;
      Curve curve = alg.equals("ES256") ? Curve.P_256 : alg.equals("ES384") ? Curve.P_384 : Curve.P_521;
      // the curve itself, not only its size: secp256k1 is 256 bits too, but ES256 is P-256
      // (RFC 7518 §3.4), and an IdP cannot verify an assertion signed on another curve
      Curve actual = Curve.forECParameterSpec(params);
      if (!curve.equals(actual)) {
        String holds =
            bits != expected
                ? "a " + bits + "-bit curve"
                : actual != null ? "curve " + actual.getName() : "another " + bits + "-bit curve";
        throw new IllegalArgumentException(alg + " needs a P-" + expected + " key, the file holds " + holds);
      }
    }
    if (rsa && ((RSAPrivateKey) key).getModulus().bitLength() < 2048) {
      throw new IllegalArgumentException(alg + " needs an RSA key of at least 2048 bits");
    }
  }
}
