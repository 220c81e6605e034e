package io.upstreamoauth.agent.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.upstreamoauth.agent.config.ConfigLoader;
import io.upstreamoauth.agent.config.ProfileConfig;
import io.upstreamoauth.agent.testing.redis.RedisServer;
import io.upstreamoauth.agent.util.Clock;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * The names of token keys in a real Redis give away no secret: whoever can list the keys must not
 * be able to test a guessed client secret or password against them offline. Everything here is
 * computed in the test with the JDK's own crypto, not with the agent's helpers.
 */
class RedisKeyNameTest {

  private static final String SECRET = "guessable-Secret-1";
  private static final String PASSWORD = "Summer2026!";
  private static final byte[] KEY_A = filled(7);
  private static final byte[] KEY_B = filled(8);
  private static RedisServer redis;

  @BeforeAll
  static void startRedis() throws Exception {
    redis = RedisServer.start("key-name-test");
  }

  @AfterAll
  static void stopRedis() {
    redis.close();
  }

  @Test
  void name_noEncryptionKey_isTheHashOfTheSettingsWithoutSecretOrPassword() throws Exception {
    ProfileConfig clientCredentials = profile(null, "client-secret", SECRET);
    ProfileConfig passwordGrant = profile(null, "client-secret", SECRET, "grant-type", "password", "username", "alice", "password", PASSWORD);

    String name = storedName(clientCredentials);
    String userName = storedName(passwordGrant);

    // anyone can compute it from the endpoint, client id, user name, scopes…: there is no secret in it
    assertThat(name).isEqualTo(sha256Hex(withoutCredentials(clientCredentials.oauth().identity())));
    assertThat(userName).isEqualTo(sha256Hex(withoutCredentials(passwordGrant.oauth().identity())));
    // and in particular it is not Kong's unsalted hash of everything, secret and password included
    assertThat(name).isNotEqualTo(sha256Hex(clientCredentials.oauth().identity()));
    assertThat(userName).isNotEqualTo(sha256Hex(passwordGrant.oauth().identity()));
  }

  @Test
  void name_noEncryptionKey_settingsDifferingOnlyInSecretOrPassword_sameName() throws Exception {
    Set<String> names = new HashSet<>();
    for (String secret : new String[] {SECRET, "another-secret-2", "a-rotated-secret-3"}) {
      names.add(storedName(profile(null, "client-secret", secret)));
    }
    Set<String> userNames = new HashSet<>();
    for (String password : new String[] {PASSWORD, "Winter2027?"}) {
      userNames.add(storedName(profile(null, "client-secret", SECRET, "grant-type", "password", "username", "alice", "password", password)));
    }

    // the name cannot tell secrets apart, so it cannot confirm a guess either
    assertThat(names).hasSize(1);
    assertThat(userNames).hasSize(1);
    // what selects a token still does
    assertThat(storedName(profile(null, "client-secret", SECRET, "scopes", "admin"))).isNotIn(names);
    assertThat(storedName(profile(null, "client-secret", SECRET, "grant-type", "password", "username", "bob", "password", PASSWORD)))
        .isNotIn(userNames);
  }

  @Test
  void name_withEncryptionKey_isAnHmacUnderAKeyDerivedForNaming() throws Exception {
    ProfileConfig profile = profile(KEY_A, "client-secret", SECRET);

    String name = storedName(profile);

    byte[] namingKey = hmac(KEY_A, concat("upstream-oauth key names v1".getBytes(StandardCharsets.UTF_8), new byte[] {1}));
    assertThat(name).isEqualTo(hex(hmac(namingKey, profile.oauth().identity().getBytes(StandardCharsets.UTF_8))));
    // without the key nothing reproduces it: not the plain hashes, not an HMAC under the key itself
    assertThat(name)
        .isNotEqualTo(sha256Hex(profile.oauth().identity()))
        .isNotEqualTo(sha256Hex(withoutCredentials(profile.oauth().identity())))
        .isNotEqualTo(hex(hmac(KEY_A, profile.oauth().identity().getBytes(StandardCharsets.UTF_8))));
  }

  @Test
  void name_withEncryptionKey_changesWithTheKeyAndWithTheSecret() throws Exception {
    String a = storedName(profile(KEY_A, "client-secret", SECRET));
    String b = storedName(profile(KEY_B, "client-secret", SECRET));
    String rotated = storedName(profile(KEY_A, "client-secret", "a-rotated-secret-3"));
    String plain = storedName(profile(null, "client-secret", SECRET));

    assertThat(Set.of(a, b, rotated, plain)).hasSize(4);
  }

  @Test
  void value_withEncryptionKey_sealedUnderAnotherDerivedKeyThanTheName() throws Exception {
    ProfileConfig profile = profile(KEY_A, "client-secret", SECRET);
    String name = storedName(profile);
    String redisKey = "upstream-oauth:{" + name + "}";
    byte[] value;
    try (Jedis jedis = redis.client()) {
      value = jedis.get(redisKey.getBytes(StandardCharsets.UTF_8));
    }
    byte[] sealed = Arrays.copyOfRange(value, 64 + 3, value.length);
    byte[] sealingKey = hmac(KEY_A, concat("upstream-oauth token sealing v1".getBytes(StandardCharsets.UTF_8), new byte[] {1}));

    assertThat(new String(open(sealingKey, sealed, redisKey), StandardCharsets.UTF_8)).endsWith("|Bearer|idp-token-1");
    assertThatThrownBy(() -> open(KEY_A, sealed, redisKey)).isInstanceOf(javax.crypto.AEADBadTagException.class);
  }

  // ---- plumbing

  /** Stores a token for the profile in an empty Redis, as a JVM would, and returns the name inside the hash tag. */
  private static String storedName(ProfileConfig profile) throws Exception {
    try (Jedis jedis = redis.client()) {
      jedis.flushAll();
    }
    RedisTokenLoader loader = (RedisTokenLoader) new RedisStrategy(Clock.SYSTEM, Runnable::run).loader(profile, new CountingIdp());
    try {
      loader.load(null);
    } finally {
      loader.store().close();
    }
    try (Jedis jedis = redis.client()) {
      Set<String> keys = jedis.keys("upstream-oauth:*");
      assertThat(keys).hasSize(1).allMatch(key -> key.matches("upstream-oauth:\\{[0-9a-f]{64}\\}"));
      String key = keys.iterator().next();
      return key.substring("upstream-oauth:{".length(), key.length() - 1);
    }
  }

  private static ProfileConfig profile(byte[] encryptionKey, String... keyValues) throws Exception {
    Map<String, String> properties = new HashMap<>();
    properties.put("upstream.oauth.hosts", "api.example.com");
    properties.put("upstream.oauth.token-endpoint", "https://idp.example.com/oauth2/token");
    properties.put("upstream.oauth.client-id", "orders-service");
    properties.put("upstream.oauth.cache.strategy", "redis");
    properties.put("upstream.oauth.cache.redis.port", String.valueOf(redis.port()));
    if (encryptionKey != null) {
      properties.put("upstream.oauth.cache.redis.encryption-key", Base64.getEncoder().encodeToString(encryptionKey));
    }
    for (int i = 0; i < keyValues.length; i += 2) {
      properties.put("upstream.oauth." + keyValues[i], keyValues[i + 1]);
    }
    return ConfigLoader.load(properties, Map.of(), null).profiles().get(0);
  }

  /** The settings' canonical form with the client_secret and password fields taken out. */
  private static String withoutCredentials(String identity) {
    return identity.replaceAll("(?m)^(client_secret|password)=.*\n", "");
  }

  private static byte[] open(byte[] key, byte[] sealed, String redisKey) throws Exception {
    Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
    cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, Arrays.copyOf(sealed, 12)));
    cipher.updateAAD(redisKey.getBytes(StandardCharsets.UTF_8));
    return cipher.doFinal(sealed, 12, sealed.length - 12);
  }

  private static String sha256Hex(String text) throws Exception {
    return hex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
  }

  private static byte[] hmac(byte[] key, byte[] data) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(key, "HmacSHA256"));
    return mac.doFinal(data);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private static String hex(byte[] bytes) {
    StringBuilder out = new StringBuilder();
    for (byte b : bytes) {
      out.append(String.format("%02x", b));
    }
    return out.toString();
  }

  private static byte[] filled(int value) {
    byte[] key = new byte[32];
    Arrays.fill(key, (byte) value);
    return key;
  }
}
