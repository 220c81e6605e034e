package io.upstreamoauth.agent.redis;

import io.upstreamoauth.agent.cache.CachedToken;
import io.upstreamoauth.agent.oauth.TokenSyntax;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;

/**
 * The bytes of a token in Redis: {@code <sha256 hex of the token>:p:<fields>} or, with an
 * encryption key, {@code <sha256 hex>:e:<nonce + AES-GCM of the fields>}. The fingerprint stays
 * readable so that Redis itself can compare-and-delete a rejected token without the key; the
 * fields are {@code 1|obtainedAt|refreshAt|expiresAt|tokenType|accessToken}.
 */
final class TokenCodec {

  static final int FINGERPRINT_CHARS = 64;
  private static final String VERSION = "1";

  /** A value this JVM cannot use; the message says why and never holds the token. */
  static final class UnreadableException extends Exception {
    private static final long serialVersionUID = 1L;

    UnreadableException(String message) {
      super(message);
    }
  }

  private final TokenCrypto crypto; // null: values are stored plain

  TokenCodec(TokenCrypto crypto) {
    this.crypto = crypto;
  }

  byte[] encode(CachedToken token, byte[] redisKey) {
    String fields = VERSION + "|" + token.obtainedAtMillis() + "|" + token.refreshAtMillis() + "|"
        + token.expiresAtMillis() + "|" + token.tokenType() + "|" + token.accessToken();
    byte[] plain = fields.getBytes(StandardCharsets.UTF_8);
    byte[] head = (token.fingerprint() + (crypto == null ? ":p:" : ":e:")).getBytes(StandardCharsets.US_ASCII);
    byte[] body = crypto == null ? plain : crypto.encrypt(plain, redisKey);
    byte[] value = Arrays.copyOf(head, head.length + body.length);
    System.arraycopy(body, 0, value, head.length, body.length);
    return value;
  }

  CachedToken decode(byte[] value, byte[] redisKey) throws UnreadableException {
    int head = FINGERPRINT_CHARS + 3;
    if (value.length <= head || value[FINGERPRINT_CHARS] != ':' || value[head - 1] != ':') {
      throw new UnreadableException("it is not a token stored by this agent");
    }
    String fingerprint = new String(value, 0, FINGERPRINT_CHARS, StandardCharsets.US_ASCII);
    byte[] body = Arrays.copyOfRange(value, head, value.length);
    byte[] plain;
    if (value[FINGERPRINT_CHARS + 1] == 'e') {
      if (crypto == null) {
        throw new UnreadableException("it is encrypted and cache.redis.encryption-key is not set here");
      }
      try {
        plain = crypto.decrypt(body, redisKey);
      } catch (GeneralSecurityException e) {
        throw new UnreadableException(
            "it does not decrypt: it was written with another cache.redis.encryption-key (or changed)");
      }
    } else if (value[FINGERPRINT_CHARS + 1] == 'p') {
      if (crypto != null) {
        // a JVM without the key wrote it; using it would let plain values back in
        throw new UnreadableException("it is stored unencrypted but cache.redis.encryption-key is set here");
      }
      plain = body;
    } else {
      throw new UnreadableException("it is not a token stored by this agent");
    }
    return parse(new String(plain, StandardCharsets.UTF_8), fingerprint);
  }

  /**
   * Reads the fields and checks them as a token from the IdP is checked ({@link TokenSyntax}):
   * whoever can write to Redis must not be able to put a header into upstream requests.
   */
  private static CachedToken parse(String fields, String fingerprint) throws UnreadableException {
    String[] parts = fields.split("\\|", 6);
    if (parts.length != 6 || !VERSION.equals(parts[0])) {
      throw new UnreadableException("its format is unknown");
    }
    String problem = TokenSyntax.accessTokenProblem(parts[5]);
    if (problem != null) {
      throw new UnreadableException("its access token " + problem);
    }
    if (!TokenSyntax.isNormalisedType(parts[4])) {
      throw new UnreadableException("its token type is not an HTTP authentication scheme as this agent stores it");
    }
    CachedToken token;
    try {
      token = new CachedToken(parts[5], parts[4],
          Long.parseLong(parts[1]), Long.parseLong(parts[2]), Long.parseLong(parts[3]));
    } catch (NumberFormatException e) {
      throw new UnreadableException("its times are not numbers");
    }
    long lifetime = token.expiresAtMillis() - token.obtainedAtMillis();
    if (!token.fingerprint().equals(fingerprint) || lifetime <= 0
        || lifetime > TokenSyntax.MAX_LIFETIME_SECONDS * 1000) {
      throw new UnreadableException("it is inconsistent (fingerprint or times do not match)");
    }
    return token;
  }
}
