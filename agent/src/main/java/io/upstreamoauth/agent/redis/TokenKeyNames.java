package io.upstreamoauth.agent.redis;

import io.upstreamoauth.agent.config.OAuthSettings;
import io.upstreamoauth.agent.util.Digests;
import java.nio.charset.StandardCharsets;

/**
 * Names the token of a set of OAuth settings in Redis (the part inside the hash tag) so that
 * whoever can list the keys learns no credential from the name.
 *
 * <p>With {@code cache.redis.encryption-key}: HMAC-SHA-256 of every identifying setting, secrets
 * included, under a key derived from the encryption key for naming only (the values are sealed
 * under another derived key). Redis never holds that key, so a name cannot be recomputed to test
 * a guessed secret. Without it: the SHA-256 of the settings without the client secret and the
 * password ({@link OAuthSettings#publicIdentity()}); settings that differ only in those share a
 * name, and so a token, which is a token of the same client (or user) either way.
 */
final class TokenKeyNames {

  /** The HKDF info of the naming key; a new version gives every token a new name. */
  static final String LABEL = "upstream-oauth key names v1";

  private final byte[] namingKey; // null: no encryption key, names are plain hashes

  /** @param encryptionKey {@code cache.redis.encryption-key}, or null */
  TokenKeyNames(byte[] encryptionKey) {
    this.namingKey = encryptionKey == null ? null : Digests.deriveKey(encryptionKey, LABEL);
  }

  /** Returns 64 lower-case hex digits naming the token of {@code oauth}. */
  String of(OAuthSettings oauth) {
    if (namingKey == null) {
      return oauth.cacheKey();
    }
    return Digests.hex(Digests.hmacSha256(namingKey, oauth.identity().getBytes(StandardCharsets.UTF_8)));
  }

  @Override
  public String toString() {
    return namingKey == null ? "TokenKeyNames{sha-256, no credentials}" : "TokenKeyNames{hmac-sha-256}";
  }
}
