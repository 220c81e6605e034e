package io.upstreamoauth.agent.config;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Every configuration key the agent knows, with its default. Keys are written without the
 * {@code upstream.oauth.} prefix; a profile's key is {@code upstream.oauth.<profile>.<key>}.
 */
public enum ConfigKey {
  // global: read once, never per profile
  ENABLED("enabled", "true", Scope.GLOBAL),
  LOG_LEVEL("log-level", "info", Scope.GLOBAL),
  CONFIG_FILE("config-file", null, Scope.GLOBAL),
  PROFILES("profiles", null, Scope.GLOBAL),
  METRICS_JMX_ENABLED("metrics.jmx.enabled", "true", Scope.GLOBAL),

  // where tokens go
  HOSTS("hosts", null, Scope.PROFILE_OWN),
  HEADER_NAME("header-name", "Authorization", Scope.PROFILE),
  PURGE_TOKEN_ON_UPSTREAM_STATUS_CODES("purge-token-on-upstream-status-codes", "401", Scope.PROFILE),
  IDP_ERROR_ACTION("idp-error-action", "fail", Scope.PROFILE),
  PURGE_MIN_INTERVAL("purge-min-interval", "30000", Scope.PROFILE),
  REPLAY_AFTER_PURGE("replay-after-purge", "false", Scope.PROFILE),

  // what identifies a token (all of it goes into the cache key)
  TOKEN_ENDPOINT("token-endpoint", null, Scope.PROFILE),
  GRANT_TYPE("grant-type", "client_credentials", Scope.PROFILE),
  CLIENT_ID("client-id", null, Scope.PROFILE),
  CLIENT_SECRET("client-secret", null, Scope.PROFILE, true),
  USERNAME("username", null, Scope.PROFILE),
  PASSWORD("password", null, Scope.PROFILE, true),
  SCOPES("scopes", "", Scope.PROFILE),
  AUDIENCE("audience", "", Scope.PROFILE),

  // how to talk to the IdP
  AUTH_METHOD("auth-method", "client_secret_basic", Scope.PROFILE),
  CLIENT_SECRET_BASIC_ENCODING("client-secret-basic-encoding", "form", Scope.PROFILE),
  CLIENT_SECRET_JWT_ALG("client-secret-jwt-alg", "HS256", Scope.PROFILE),
  PRIVATE_KEY_FILE("private-key-file", null, Scope.PROFILE),
  PRIVATE_KEY_ALG("private-key-alg", "RS256", Scope.PROFILE),
  PRIVATE_KEY_ID("private-key-id", null, Scope.PROFILE),
  ASSERTION_AUDIENCE("assertion-audience", null, Scope.PROFILE),
  TIMEOUT("timeout", "10000", Scope.PROFILE),
  SSL_VERIFY("ssl-verify", "true", Scope.PROFILE),
  CA_FILE("ca-file", null, Scope.PROFILE),
  CLIENT_CERT_FILE("client-cert-file", null, Scope.PROFILE),
  CLIENT_KEY_FILE("client-key-file", null, Scope.PROFILE),

  // sender-constrained tokens: DPoP proofs (RFC 9449)
  DPOP("dpop", "false", Scope.PROFILE),
  DPOP_ALG("dpop-alg", "ES256", Scope.PROFILE),
  DPOP_KEY_FILE("dpop-key-file", null, Scope.PROFILE),
  DPOP_UNBOUND_TOKEN("dpop-unbound-token", "fail", Scope.PROFILE),

  // cache
  CACHE_STRATEGY("cache.strategy", "memory", Scope.PROFILE),
  CACHE_EAGERLY_EXPIRE("cache.eagerly-expire", "5", Scope.PROFILE),
  CACHE_DEFAULT_TTL("cache.default-ttl", "3600", Scope.PROFILE),
  CACHE_REFRESH_AHEAD("cache.refresh-ahead", "true", Scope.PROFILE),
  CACHE_REFRESH_AHEAD_WINDOW("cache.refresh-ahead-window", "0.2", Scope.PROFILE),

  // the redis strategy: where the shared cache is and how to reach it
  CACHE_REDIS_HOST("cache.redis.host", "127.0.0.1", Scope.PROFILE),
  CACHE_REDIS_PORT("cache.redis.port", "6379", Scope.PROFILE),
  CACHE_REDIS_DATABASE("cache.redis.database", "0", Scope.PROFILE),
  CACHE_REDIS_USERNAME("cache.redis.username", null, Scope.PROFILE),
  CACHE_REDIS_PASSWORD("cache.redis.password", null, Scope.PROFILE, true),
  CACHE_REDIS_SSL("cache.redis.ssl", "false", Scope.PROFILE),
  CACHE_REDIS_SSL_VERIFY("cache.redis.ssl-verify", "true", Scope.PROFILE),
  CACHE_REDIS_SERVER_NAME("cache.redis.server-name", null, Scope.PROFILE),
  CACHE_REDIS_CA_FILE("cache.redis.ca-file", null, Scope.PROFILE),
  CACHE_REDIS_CONNECT_TIMEOUT("cache.redis.connect-timeout", "2000", Scope.PROFILE),
  CACHE_REDIS_READ_TIMEOUT("cache.redis.read-timeout", "2000", Scope.PROFILE),
  CACHE_REDIS_CLUSTER_NODES("cache.redis.cluster-nodes", null, Scope.PROFILE),
  CACHE_REDIS_CLUSTER_MAX_REDIRECTIONS("cache.redis.cluster-max-redirections", "5", Scope.PROFILE),
  CACHE_REDIS_SENTINEL_MASTER("cache.redis.sentinel-master", null, Scope.PROFILE),
  CACHE_REDIS_SENTINEL_ROLE("cache.redis.sentinel-role", "master", Scope.PROFILE),
  CACHE_REDIS_SENTINEL_NODES("cache.redis.sentinel-nodes", null, Scope.PROFILE),
  CACHE_REDIS_SENTINEL_USERNAME("cache.redis.sentinel-username", null, Scope.PROFILE),
  CACHE_REDIS_SENTINEL_PASSWORD("cache.redis.sentinel-password", null, Scope.PROFILE, true),
  CACHE_REDIS_KEY_PREFIX("cache.redis.key-prefix", "upstream-oauth:", Scope.PROFILE),
  CACHE_REDIS_ENCRYPTION_KEY("cache.redis.encryption-key", null, Scope.PROFILE, true),

  // what happens when the IdP fails
  IDP_RETRY_INITIAL_BACKOFF("idp-retry.initial-backoff", "1000", Scope.PROFILE),
  IDP_RETRY_MAX_BACKOFF("idp-retry.max-backoff", "60000", Scope.PROFILE),
  IDP_RETRY_CONFIG_ERROR_BACKOFF("idp-retry.config-error-backoff", "60000", Scope.PROFILE);

  /** Where a key may be written. */
  public enum Scope {
    /** Only at the top level. */
    GLOBAL,
    /** At the top level (a default every profile inherits) or per profile. */
    PROFILE,
    /** Per profile, never inherited: each profile names its own hosts. */
    PROFILE_OWN
  }

  /** Prefix of every key. */
  public static final String PREFIX = "upstream.oauth.";
  /** Map-valued keys: {@code token-headers.<Header-Name>=value}. */
  public static final String TOKEN_HEADERS = "token-headers.";
  /** Map-valued keys: {@code token-post-args.<name>=value}. */
  public static final String TOKEN_POST_ARGS = "token-post-args.";

  private static final Map<String, ConfigKey> BY_NAME = new HashMap<String, ConfigKey>();

  static {
    for (ConfigKey key : values()) {
      BY_NAME.put(key.key, key);
    }
  }

  private final String key;
  private final String defaultValue;
  private final Scope scope;
  private final boolean secret;

  ConfigKey(String key, String defaultValue, Scope scope) {
    this(key, defaultValue, scope, false);
  }

  ConfigKey(String key, String defaultValue, Scope scope, boolean secret) {
    this.key = key;
    this.defaultValue = defaultValue;
    this.scope = scope;
    this.secret = secret;
  }

  /** Returns the key without prefix, e.g. {@code cache.default-ttl}. */
  public String key() {
    return key;
  }

  public String defaultValue() {
    return defaultValue;
  }

  public Scope scope() {
    return scope;
  }

  /** Returns true for keys whose values are never shown. */
  public boolean isSecret() {
    return secret;
  }

  /** Returns the key with the prefix, for a profile or the top level (profile null). */
  public String fullName(String profile) {
    return PREFIX + (profile == null ? "" : profile + ".") + key;
  }

  /** Returns the key for a name without prefix, or null. */
  public static ConfigKey byName(String name) {
    return BY_NAME.get(name);
  }

  /** Returns true when a name (without prefix) is a map-valued key such as token-headers.X. */
  public static boolean isMapKey(String name) {
    return (name.startsWith(TOKEN_HEADERS) && name.length() > TOKEN_HEADERS.length())
        || (name.startsWith(TOKEN_POST_ARGS) && name.length() > TOKEN_POST_ARGS.length());
  }

  /** Returns true for secret map keys: extra token headers and form fields may carry credentials. */
  public static boolean isSecretName(String name) {
    ConfigKey key = byName(name);
    return key != null ? key.secret : isMapKey(name);
  }

  /** Returns the environment variable name for a key name: upper case, '.' and '-' as '_'. */
  public static String envName(String name) {
    return (PREFIX + name).toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }
}
