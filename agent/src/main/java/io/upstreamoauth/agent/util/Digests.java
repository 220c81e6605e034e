package io.upstreamoauth.agent.util;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** The agent's one SHA-256 and HMAC-SHA-256 helper: fingerprints, cache keys, key derivation. */
public final class Digests {

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private Digests() {}

  /** Returns the SHA-256 of {@code bytes}. */
  public static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JVM", e);
    }
  }

  /** Returns the lower-case hex SHA-256 of {@code bytes}. */
  public static String sha256Hex(byte[] bytes) {
    return hex(sha256(bytes));
  }

  /** Returns the lower-case hex SHA-256 of the UTF-8 bytes of {@code text}. */
  public static String sha256Hex(String text) {
    return sha256Hex(text.getBytes(StandardCharsets.UTF_8));
  }

  /** Returns HMAC-SHA-256 of {@code data} under {@code key}. */
  public static byte[] hmacSha256(byte[] key, byte[] data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is required of every JVM", e);
    }
  }

  /**
   * Derives a 32-byte key for one purpose from a uniformly random 32-byte key: HKDF-Expand with
   * SHA-256 (RFC 5869 §2.3) for one block, {@code HMAC(key, label || 0x01)}. The extract step is
   * left out because {@code key} is already random; keys for different labels are independent.
   */
  public static byte[] deriveKey(byte[] key, String label) {
    byte[] info = label.getBytes(StandardCharsets.UTF_8);
    byte[] input = java.util.Arrays.copyOf(info, info.length + 1);
    input[info.length] = 1;
    return hmacSha256(key, input);
  }

  /** Returns {@code bytes} as lower-case hex. */
  public static String hex(byte[] bytes) {
    char[] out = new char[bytes.length * 2];
    for (int i = 0; i < bytes.length; i++) {
      out[2 * i] = HEX[(bytes[i] >> 4) & 0xF];
      out[2 * i + 1] = HEX[bytes[i] & 0xF];
    }
    return new String(out);
  }
}
