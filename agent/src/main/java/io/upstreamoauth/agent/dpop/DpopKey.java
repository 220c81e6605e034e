package io.upstreamoauth.agent.dpop;

import io.upstreamoauth.agent.util.Digests;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.Base64;

/**
 * The key a profile's DPoP proofs (RFC 9449) are signed with, and the proofs themselves.
 *
 * <p>Everything that is the same for every proof is prepared once: the JOSE header with the public
 * JWK, base64url-encoded, and its JWK thumbprint (RFC 7638). A proof then costs one small JSON
 * payload written by hand (no JSON library), one signature and two base64url encodings. Never
 * reused: every proof has a fresh {@code jti} of 128 random bits.
 */
public final class DpopKey {

  private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();
  private static final SecureRandom RANDOM = new SecureRandom();

  private final String alg;
  private final PrivateKey privateKey;
  private final String publicJwk;
  private final String thumbprint;
  private final String headerPrefix;

  private DpopKey(String alg, PrivateKey privateKey, PublicKey publicKey) {
    this.alg = alg;
    this.privateKey = privateKey;
    this.publicJwk = publicJwk(publicKey);
    this.thumbprint = BASE64URL.encodeToString(Digests.sha256(thumbprintInput(publicKey).getBytes(StandardCharsets.UTF_8)));
    String header = "{\"typ\":\"dpop+jwt\",\"alg\":\"" + alg + "\",\"jwk\":" + publicJwk + "}";
    this.headerPrefix = BASE64URL.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + ".";
  }

  /**
   * Makes a fresh key pair: P-256 for ES256, RSA 2048 for RS256 and PS256.
   *
   * @throws GeneralSecurityException when this JVM cannot make or use such a key
   */
  public static DpopKey generate(String alg) throws GeneralSecurityException {
    KeyPairGenerator generator;
    if ("ES256".equals(alg)) {
      generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
    } else {
      generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
    }
    KeyPair pair = generator.generateKeyPair();
    return of(alg, pair.getPrivate(), pair.getPublic());
  }

  /**
   * Uses a given key pair.
   *
   * @throws GeneralSecurityException when the key does not suit the algorithm or cannot sign
   */
  public static DpopKey of(String alg, PrivateKey privateKey, PublicKey publicKey) throws GeneralSecurityException {
    boolean ec = publicKey instanceof ECPublicKey;
    if (ec != "ES256".equals(alg) || (!ec && !(publicKey instanceof RSAPublicKey))) {
      throw new GeneralSecurityException(alg + " needs " + ("ES256".equals(alg) ? "an EC P-256" : "an RSA") + " key");
    }
    if (ec && ((ECPublicKey) publicKey).getParams().getCurve().getField().getFieldSize() != 256) {
      throw new GeneralSecurityException("ES256 needs a P-256 key");
    }
    if (!ec && ((RSAPublicKey) publicKey).getModulus().bitLength() < 2048) {
      throw new GeneralSecurityException(alg + " needs an RSA key of at least 2048 bits");
    }
    DpopKey key = new DpopKey(alg, privateKey, publicKey);
    key.sign(new byte[] {1}); // fails now, not on the first request, if this JVM cannot
    return key;
  }

  /** Returns the signing algorithm, e.g. {@code ES256}. */
  public String alg() {
    return alg;
  }

  /** Returns the public key as a JWK (JSON); what every proof carries. */
  public String publicJwk() {
    return publicJwk;
  }

  /** Returns the JWK SHA-256 thumbprint (RFC 7638), base64url: a bound token's {@code cnf.jkt}. */
  public String thumbprint() {
    return thumbprint;
  }

  /**
   * Returns true when {@code value} is a proof this key made: every one starts with the same
   * encoded header, which holds this key's public JWK.
   */
  public boolean made(String value) {
    return value != null && value.startsWith(headerPrefix);
  }

  /**
   * Makes a new proof.
   *
   * @param htm the request method
   * @param htu the request URI without query and fragment ({@link #htu})
   * @param ath base64url SHA-256 of the access token sent with it ({@link #ath}), or null
   * @param nonce the latest nonce from that server, or null
   * @param iatSeconds the issue time, seconds since the epoch
   */
  public String proof(String htm, String htu, String ath, String nonce, long iatSeconds) {
    byte[] jti = new byte[16];
    RANDOM.nextBytes(jti);
    StringBuilder payload = new StringBuilder(160 + htu.length() + (nonce == null ? 0 : nonce.length()));
    payload.append("{\"jti\":\"").append(BASE64URL.encodeToString(jti)).append("\",\"htm\":");
    json(payload, htm).append(",\"htu\":");
    json(payload, htu).append(",\"iat\":").append(iatSeconds);
    if (ath != null) {
      payload.append(",\"ath\":\"").append(ath).append('"');
    }
    if (nonce != null) {
      payload.append(",\"nonce\":");
      json(payload, nonce);
    }
    payload.append('}');
    String signingInput = headerPrefix + BASE64URL.encodeToString(payload.toString().getBytes(StandardCharsets.UTF_8));
    try {
      return signingInput + "." + BASE64URL.encodeToString(sign(signingInput.getBytes(StandardCharsets.US_ASCII)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("DPoP proof could not be signed with " + alg, e);
    }
  }

  /** Returns the proof's {@code ath} for an access token: base64url(SHA-256(token)). */
  public static String ath(String accessToken) {
    return BASE64URL.encodeToString(Digests.sha256(accessToken.getBytes(StandardCharsets.US_ASCII)));
  }

  /**
   * Returns a request's {@code htu} (RFC 9449 §4.2, normalised as §4.3 asks): lower-case scheme and
   * host, no default port, the path as sent (an empty one as {@code /}), no query or fragment.
   *
   * @param port the port, or -1 for the scheme's default
   * @param rawPath the path as sent, possibly with a query
   */
  public static String htu(String scheme, String host, int port, String rawPath) {
    String lowerScheme = scheme.toLowerCase(java.util.Locale.ROOT);
    StringBuilder htu = new StringBuilder(lowerScheme).append("://");
    String lowerHost = host.toLowerCase(java.util.Locale.ROOT);
    if (lowerHost.indexOf(':') >= 0 && !lowerHost.startsWith("[")) {
      htu.append('[').append(lowerHost).append(']'); // IPv6
    } else {
      htu.append(lowerHost);
    }
    boolean defaultPort = port == -1 || (port == 443 && lowerScheme.equals("https")) || (port == 80 && lowerScheme.equals("http"));
    if (!defaultPort) {
      htu.append(':').append(port);
    }
    String path = rawPath == null ? "" : rawPath;
    int end = path.length();
    for (int i = 0; i < path.length(); i++) {
      if (path.charAt(i) == '?' || path.charAt(i) == '#') {
        end = i;
        break;
      }
    }
    htu.append(end == 0 ? "/" : path.substring(0, end));
    return htu.toString();
  }

  private byte[] sign(byte[] input) throws GeneralSecurityException {
    Signature signature;
    if ("ES256".equals(alg)) {
      signature = Signature.getInstance("SHA256withECDSA");
    } else if ("PS256".equals(alg)) {
      signature = Signature.getInstance("RSASSA-PSS");
      signature.setParameter(new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1));
    } else {
      signature = Signature.getInstance("SHA256withRSA");
    }
    signature.initSign(privateKey);
    signature.update(input);
    byte[] signed = signature.sign();
    return "ES256".equals(alg) ? derToJose(signed, 32) : signed;
  }

  /** ECDSA: the JCA's DER SEQUENCE of r and s to JOSE's fixed-length r || s (RFC 7518 §3.4). */
  static byte[] derToJose(byte[] der, int size) throws GeneralSecurityException {
    int offset = 2;
    if (der.length < 8 || der[0] != 0x30) {
      throw new GeneralSecurityException("not a DER ECDSA signature");
    }
    if ((der[1] & 0x80) != 0) {
      offset += der[1] & 0x7F; // long-form length
    }
    byte[] out = new byte[2 * size];
    for (int part = 0; part < 2; part++) {
      if (der[offset] != 0x02) {
        throw new GeneralSecurityException("not a DER ECDSA signature");
      }
      int length = der[offset + 1];
      int start = offset + 2;
      int skip = 0;
      while (length - skip > size && der[start + skip] == 0) {
        skip++; // a sign byte
      }
      int copy = length - skip;
      if (copy > size) {
        throw new GeneralSecurityException("ECDSA integer too long");
      }
      System.arraycopy(der, start + skip, out, part * size + size - copy, copy);
      offset = start + length;
    }
    return out;
  }

  private static String publicJwk(PublicKey key) {
    if (key instanceof ECPublicKey) {
      ECPublicKey ec = (ECPublicKey) key;
      return "{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"" + unsigned(ec.getW().getAffineX(), 32) + "\",\"y\":\""
          + unsigned(ec.getW().getAffineY(), 32) + "\"}";
    }
    RSAPublicKey rsa = (RSAPublicKey) key;
    return "{\"kty\":\"RSA\",\"e\":\"" + unsigned(rsa.getPublicExponent(), 0) + "\",\"n\":\"" + unsigned(rsa.getModulus(), 0) + "\"}";
  }

  /** RFC 7638 §3: the required members only, in lexicographic order, no whitespace. */
  private static String thumbprintInput(PublicKey key) {
    if (key instanceof ECPublicKey) {
      ECPublicKey ec = (ECPublicKey) key;
      return "{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\"" + unsigned(ec.getW().getAffineX(), 32) + "\",\"y\":\""
          + unsigned(ec.getW().getAffineY(), 32) + "\"}";
    }
    RSAPublicKey rsa = (RSAPublicKey) key;
    return "{\"e\":\"" + unsigned(rsa.getPublicExponent(), 0) + "\",\"kty\":\"RSA\",\"n\":\"" + unsigned(rsa.getModulus(), 0) + "\"}";
  }

  /** base64url of an unsigned big-endian integer, left-padded to {@code size} bytes (0: minimal). */
  private static String unsigned(BigInteger value, int size) {
    byte[] bytes = value.toByteArray();
    int start = bytes.length > 1 && bytes[0] == 0 ? 1 : 0;
    int length = bytes.length - start;
    byte[] out = new byte[Math.max(size, length)];
    System.arraycopy(bytes, start, out, out.length - length, length);
    return BASE64URL.encodeToString(out);
  }

  private static StringBuilder json(StringBuilder out, String value) {
    out.append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else if (c < 0x20) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.append('"');
  }

  @Override
  public String toString() {
    return "DpopKey{" + alg + ", jkt " + thumbprint + "}";
  }
}
