package io.upstreamoauth.agent.redis;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM for tokens at rest in Redis. Each value gets a new random 96-bit nonce (stored in
 * front of the ciphertext) and is bound to its Redis key as associated data, so a value copied to
 * another key does not decrypt. Thread-safe.
 */
final class TokenCrypto {

  /** The HKDF info of the sealing key, so that it is never the key that names tokens. */
  static final String LABEL = "upstream-oauth token sealing v1";
  static final int KEY_BYTES = 32;
  static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;

  private final SecretKeySpec key;
  private final SecureRandom random = new SecureRandom();

  /** Returns the cipher of {@code cache.redis.encryption-key}: AES under a key derived from it. */
  static TokenCrypto fromEncryptionKey(byte[] encryptionKey) {
    return new TokenCrypto(io.upstreamoauth.agent.util.Digests.deriveKey(encryptionKey, LABEL));
  }

  /** @param key the 32-byte AES key itself; copied */
  TokenCrypto(byte[] key) {
    if (key == null || key.length != KEY_BYTES) {
      throw new IllegalArgumentException(
          "key must be " + KEY_BYTES + " bytes, was " + (key == null ? "null" : key.length + " bytes"));
    }
    this.key = new SecretKeySpec(key.clone(), "AES");
  }

  /** Returns nonce followed by ciphertext and tag. */
  byte[] encrypt(byte[] plain, byte[] associatedData) {
    byte[] nonce = new byte[NONCE_BYTES];
    random.nextBytes(nonce);
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(associatedData);
      byte[] sealed = cipher.doFinal(plain);
      byte[] out = new byte[NONCE_BYTES + sealed.length];
      System.arraycopy(nonce, 0, out, 0, NONCE_BYTES);
      System.arraycopy(sealed, 0, out, NONCE_BYTES, sealed.length);
      return out;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is required of every JVM", e);
    }
  }

  /**
   * Returns the plain bytes.
   *
   * @throws GeneralSecurityException when the value was sealed with another key, for another
   *     Redis key, or was changed
   */
  byte[] decrypt(byte[] sealed, byte[] associatedData) throws GeneralSecurityException {
    if (sealed.length < NONCE_BYTES + TAG_BITS / 8) {
      throw new GeneralSecurityException("the value is too short to be sealed (" + sealed.length + " bytes)");
    }
    Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
    cipher.init(
        Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, Arrays.copyOf(sealed, NONCE_BYTES)));
    cipher.updateAAD(associatedData);
    return cipher.doFinal(sealed, NONCE_BYTES, sealed.length - NONCE_BYTES);
  }

  @Override
  public String toString() {
    return "TokenCrypto{AES-256-GCM}"; // never the key
  }
}
