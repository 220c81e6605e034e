package io.upstreamoauth.agent.dpop;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import io.upstreamoauth.agent.tls.PemFiles;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.text.ParseException;
import java.util.Arrays;
import java.util.Base64;

/**
 * Reads a DPoP key pair from {@code dpop-key-file}: a private JWK (EC P-256 or RSA), or PEM PKCS#8
 * (what {@code openssl genpkey} writes). A proof carries the public key, so it must be found too:
 * an RSA key's is part of its private form, an EC key's is the optional public key OpenSSL puts
 * into the PKCS#8 structure, or a {@code PUBLIC KEY} block in the same file.
 */
public final class DpopKeyFile {

  private static final String BEGIN_PUBLIC = "-----BEGIN PUBLIC KEY-----";
  private static final String END_PUBLIC = "-----END PUBLIC KEY-----";

  private DpopKeyFile() {}

  /**
   * Loads the key for {@code alg}.
   *
   * @throws IllegalArgumentException saying what is wrong with the file and how to fix it
   */
  public static DpopKey load(String path, String alg) {
    String text = PemFiles.read(path);
    try {
      return text.startsWith("{") ? fromJwk(text, alg) : fromPem(text, alg);
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("'" + path + "': " + e.getMessage());
    }
  }

  private static DpopKey fromJwk(String text, String alg) throws GeneralSecurityException {
    try {
      JWK jwk = JWK.parse(text);
      if (!jwk.isPrivate()) {
        throw new GeneralSecurityException("the JWK has no private part (d)");
      }
      if (jwk instanceof ECKey) {
        return DpopKey.of(alg, ((ECKey) jwk).toECPrivateKey(), ((ECKey) jwk).toECPublicKey());
      }
      if (jwk instanceof RSAKey) {
        return DpopKey.of(alg, ((RSAKey) jwk).toRSAPrivateKey(), ((RSAKey) jwk).toRSAPublicKey());
      }
      throw new GeneralSecurityException("the JWK is neither EC nor RSA");
    } catch (ParseException | JOSEException e) {
      throw new GeneralSecurityException("not a valid JWK: " + e.getMessage());
    }
  }

  private static DpopKey fromPem(String text, String alg) throws GeneralSecurityException {
    PrivateKey privateKey = PemFiles.parsePrivateKey(text);
    PublicKey publicKey;
    if (privateKey instanceof RSAPrivateCrtKey) {
      RSAPrivateCrtKey rsa = (RSAPrivateCrtKey) privateKey;
      publicKey = KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(rsa.getModulus(), rsa.getPublicExponent()));
    } else if (text.contains(BEGIN_PUBLIC)) {
      String body = text.substring(text.indexOf(BEGIN_PUBLIC) + BEGIN_PUBLIC.length(), text.indexOf(END_PUBLIC));
      byte[] der = Base64.getDecoder().decode(body.replaceAll("\\s", ""));
      publicKey = KeyFactory.getInstance(privateKey.getAlgorithm()).generatePublic(new X509EncodedKeySpec(der));
    } else if (privateKey instanceof ECPrivateKey) {
      byte[] point = embeddedEcPublicKey(privateKey.getEncoded());
      if (point == null || point.length != 65 || point[0] != 4) {
        throw new GeneralSecurityException(
            "the EC key holds no public key; write both into the file: openssl pkey -in key.pem -pubout >> key.pem");
      }
      ECPoint w =
          new ECPoint(
              new java.math.BigInteger(1, Arrays.copyOfRange(point, 1, 33)),
              new java.math.BigInteger(1, Arrays.copyOfRange(point, 33, 65)));
      publicKey = KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(w, ((ECPrivateKey) privateKey).getParams()));
    } else {
      throw new GeneralSecurityException("the key is neither RSA nor EC");
    }
    return DpopKey.of(alg, privateKey, publicKey);
  }

  /**
   * Returns the public key (an uncompressed point) that PKCS#8 may carry for an EC key: in the
   * SEC 1 ECPrivateKey inside it ({@code [1] BIT STRING}), as OpenSSL writes it; null if absent.
   */
  static byte[] embeddedEcPublicKey(byte[] pkcs8) {
    try {
      Der outer = new Der(pkcs8, 0).enter(); // PrivateKeyInfo SEQUENCE
      outer = outer.next().next(); // version, algorithm
      if (outer.tag() != 0x04) {
        return null;
      }
      Der ec = new Der(pkcs8, outer.contentStart()).enter(); // ECPrivateKey SEQUENCE
      ec = ec.next().next(); // version, privateKey
      while (ec != null && ec.offset < ec.limit()) {
        if (ec.tag() == 0xA1) { // [1] publicKey
          Der bits = new Der(pkcs8, ec.contentStart());
          if (bits.tag() != 0x03) {
            return null;
          }
          // a BIT STRING: one byte of unused bits, then the point
          return Arrays.copyOfRange(pkcs8, bits.contentStart() + 1, bits.contentStart() + bits.length());
        }
        ec = ec.next();
      }
      return null;
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** A cursor over DER TLVs: enough to find one field, nothing more. */
  private static final class Der {
    final byte[] data;
    final int offset;
    private final int limit;

    Der(byte[] data, int offset) {
      this(data, offset, data.length);
    }

    Der(byte[] data, int offset, int limit) {
      this.data = data;
      this.offset = offset;
      this.limit = limit;
    }

    int limit() {
      return limit;
    }

    int tag() {
      return data[offset] & 0xFF;
    }

    int length() {
      int first = data[offset + 1] & 0xFF;
      if (first < 0x80) {
        return first;
      }
      int value = 0;
      for (int i = 0; i < (first & 0x7F); i++) {
        value = (value << 8) | (data[offset + 2 + i] & 0xFF);
      }
      return value;
    }

    int contentStart() {
      int first = data[offset + 1] & 0xFF;
      return offset + 2 + (first < 0x80 ? 0 : first & 0x7F);
    }

    /** The first element inside this constructed one. */
    Der enter() {
      return new Der(data, contentStart(), contentStart() + length());
    }

    /** The element after this one, within the same parent; null at the end. */
    Der next() {
      int after = contentStart() + length();
      return after < limit ? new Der(data, after, limit) : new Der(data, after, limit);
    }
  }
}
