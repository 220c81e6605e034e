package io.upstreamoauth.agent.config;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.JSONObjectUtils;
import io.upstreamoauth.agent.tls.PemFiles;
import java.security.PrivateKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.spec.ECParameterSpec;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Loads the private key for private_key_jwt from a PEM (PKCS#8, read by {@link PemFiles}) or JWK /
 * JWK Set JSON file.
 */
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
    String text = PemFiles.read(path);
    Loaded loaded = text.startsWith("{") ? fromJwk(text) : new Loaded(PemFiles.parsePrivateKey(text), null);
    checkAlgorithm(loaded.key, alg);
    return loaded;
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
