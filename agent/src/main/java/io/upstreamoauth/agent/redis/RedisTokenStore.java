package io.upstreamoauth.agent.redis;

import io.upstreamoauth.agent.cache.CachedToken;
import io.upstreamoauth.agent.config.OAuthSettings;
import io.upstreamoauth.agent.config.RedisSettings;
import io.upstreamoauth.agent.config.SentinelRole;
import io.upstreamoauth.agent.util.AgentLog;
import io.upstreamoauth.agent.util.Clock;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.SetParams;

/**
 * Tokens and leases in Redis, one pair of keys per set of OAuth settings: {@code
 * <prefix>{<cacheKey>}} holds the token until it expires, {@code <prefix>{<cacheKey>}:lease} names
 * the JVM fetching the next one. The hash tag keeps both in one Cluster slot.
 *
 * <p>Every method may throw the client's runtime exceptions when Redis fails; callers decide what
 * that means. A value this JVM cannot read is a warning and reads as no token. Thread-safe.
 */
final class RedisTokenStore implements AutoCloseable {

  /** Deletes KEYS[1] only if its value starts with ARGV[1]: a token's fingerprint, a lease's owner. */
  private static final byte[] DELETE_IF_PREFIX = bytes(
      "local v = redis.call('GET', KEYS[1]) "
          + "if v and string.sub(v, 1, string.len(ARGV[1])) == ARGV[1] then "
          + "return redis.call('DEL', KEYS[1]) end return 0");

  private final RedisSettings settings;
  private final TokenCodec codec;
  private final TokenKeyNames names;
  private final SentinelReplicaReads replicaReads; // null: every read goes to the master
  private final LazyRedisClient client;
  private final UnreadableWarnings warnings = new UnreadableWarnings(Clock.SYSTEM);

  RedisTokenStore(RedisSettings settings) {
    this.settings = settings;
    this.client = new LazyRedisClient(settings);
    byte[] key = settings.encryptionKey();
    this.codec = new TokenCodec(key == null ? null : TokenCrypto.fromEncryptionKey(key));
    this.names = new TokenKeyNames(key);
    this.replicaReads = settings.mode() == RedisSettings.Mode.SENTINEL
            && settings.sentinelRole() != SentinelRole.MASTER
        ? new SentinelReplicaReads(settings)
        : null;
  }

  /** Returns the cache key (what goes inside the hash tag) of a profile's token: see {@link TokenKeyNames}. */
  String cacheKey(OAuthSettings oauth) {
    return names.of(oauth);
  }

  String tokenKey(String cacheKey) {
    return settings.keyPrefix() + "{" + cacheKey + "}";
  }

  String leaseKey(String cacheKey) {
    return tokenKey(cacheKey) + ":lease";
  }

  /** Returns the stored token, or null when there is none or it cannot be read here. */
  CachedToken get(String cacheKey) {
    return get(cacheKey, false);
  }

  /**
   * Returns the stored token, or null.
   *
   * @param fromMaster true to skip replicas (sentinel-role slave/any), e.g. right after taking
   *     the lease, when a replica may not have seen the previous holder's write yet
   */
  CachedToken get(String cacheKey, boolean fromMaster) {
    byte[] key = bytes(tokenKey(cacheKey));
    byte[] value = null;
    UnifiedJedis reader = fromMaster || replicaReads == null ? null : replicaReads.reader();
    if (reader != null) {
      try {
        value = reader.get(key);
      } catch (RuntimeException e) {
        replicaReads.failed(reader, e);
        reader = null;
      }
    }
    if (reader == null) {
      try {
        value = client().get(key);
      } catch (JedisDataException e) {
        if (e.getMessage() == null || !e.getMessage().startsWith("WRONGTYPE")) {
          throw e;
        }
        // someone else's hash or list under our key: a miss, which the lease holder overwrites
        return unreadable(cacheKey, "it is not a string value");
      }
    }
    if (value == null) {
      return null;
    }
    try {
      return codec.decode(value, key);
    } catch (TokenCodec.UnreadableException e) {
      return unreadable(cacheKey, e.getMessage());
    }
  }

  /** Counts as a miss; the reason never holds the value, and a repeated one is not logged again soon. */
  private CachedToken unreadable(String cacheKey, String reason) {
    String note = warnings.check(tokenKey(cacheKey), reason);
    if (note != null) {
      AgentLog.warn("the token in Redis at " + tokenKey(cacheKey) + " is ignored: " + reason
          + "; this JVM fetches its own and overwrites it" + note);
    }
    return null;
  }

  /** Stores a token until it expires; does nothing for a token that has expired already. */
  void put(String cacheKey, CachedToken token, long nowMillis) {
    long ttl = token.expiresAtMillis() - nowMillis;
    if (ttl > 0) {
      byte[] key = bytes(tokenKey(cacheKey));
      client().set(key, codec.encode(token, key), SetParams.setParams().px(ttl));
    }
  }

  /** Deletes the stored token only if it is {@code token}; returns true if it was deleted. */
  boolean deleteIfSame(String cacheKey, CachedToken token) {
    return deleteIfPrefix(tokenKey(cacheKey), token.fingerprint() + ":");
  }

  /** Takes the lease if it is free; returns the owner value to release it with, or null. */
  String tryLease(String cacheKey, long ttlMillis) {
    String owner = UUID.randomUUID().toString();
    String reply = client().set(leaseKey(cacheKey), owner, SetParams.setParams().nx().px(ttlMillis));
    return "OK".equals(reply) ? owner : null;
  }

  /** Releases the lease if {@code owner} still holds it: a lease that expired and passed on stays. */
  boolean releaseLease(String cacheKey, String owner) {
    return deleteIfPrefix(leaseKey(cacheKey), owner);
  }

  private boolean deleteIfPrefix(String key, String prefix) {
    List<byte[]> keys = Collections.singletonList(bytes(key));
    Object deleted = client().eval(DELETE_IF_PREFIX, keys, Collections.singletonList(bytes(prefix)));
    return deleted instanceof Long && (Long) deleted == 1L;
  }

  private UnifiedJedis client() {
    return client.get();
  }

  @Override
  public void close() {
    if (replicaReads != null) {
      replicaReads.close();
    }
    client.close();
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return "RedisTokenStore{" + settings + "}";
  }
}
