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
  ENABLED("enabled", "true", Scope.GLOBAL, "false turns the agent off before it does anything"),
  LOG_LEVEL("log-level", "info", Scope.GLOBAL,
      "off, error, warn, info, debug; the agent logs to standard error"),
  CONFIG_FILE("config-file", null, Scope.GLOBAL, "properties file with more keys (lowest precedence)"),
  PROFILES("profiles", null, Scope.GLOBAL,
      "comma list of profile names, for several IdP clients in one JVM"),
  METRICS_JMX_ENABLED("metrics.jmx.enabled", "true", Scope.GLOBAL,
      "each profile's counters as the MBean io.upstreamoauth:type=TokenSource,name=<profile>; false: none"),

  // where tokens go
  HOSTS("hosts", null, Scope.PROFILE_OWN, false, "required",
      "comma list of request targets that get tokens: host, *.domain, host:port, https://host,"
          + " host/path-prefix"),
  HEADER_NAME("header-name", "Authorization", Scope.PROFILE,
      "header that carries <token_type> <access_token>, replacing the application's own value"),
  PURGE_TOKEN_ON_UPSTREAM_STATUS_CODES("purge-token-on-upstream-status-codes", "401", Scope.PROFILE,
      "upstream statuses that drop the token they rejected; empty: never"),
  IDP_ERROR_ACTION("idp-error-action", "fail", Scope.PROFILE,
      "without a token: fail (the call throws an IOException) or proceed (sent without one)"),
  PURGE_MIN_INTERVAL("purge-min-interval", "30000", Scope.PROFILE,
      "ms; a fresh token rejected again this soon after a purge is kept"),
  REPLAY_AFTER_PURGE("replay-after-purge", "false", Scope.PROFILE,
      "send a GET, HEAD or OPTIONS rejected with a purge status once more, with a new token"),

  // what identifies a token (all of it goes into the cache key)
  TOKEN_ENDPOINT("token-endpoint", null, Scope.PROFILE, false, "required",
      "the IdP's token endpoint URL (http or https)"),
  GRANT_TYPE("grant-type", "client_credentials", Scope.PROFILE, "client_credentials or password"),
  CLIENT_ID("client-id", null, Scope.PROFILE, false, "required unless `auth-method=none`",
      "the OAuth client id"),
  CLIENT_SECRET("client-secret", null, Scope.PROFILE, true,
      "required for the `client_secret_*` methods", "secret; use ${env:NAME} or ${file:/path}"),
  USERNAME("username", null, Scope.PROFILE, false, "required for `grant-type=password`",
      "resource owner for the password grant"),
  PASSWORD("password", null, Scope.PROFILE, true, "required for `grant-type=password`",
      "secret; resource owner's password for the password grant"),
  SCOPES("scopes", "", Scope.PROFILE, "comma list, sent as one space-separated scope"),
  AUDIENCE("audience", "", Scope.PROFILE, "comma list, sent as one space-separated audience"),

  // how to talk to the IdP
  AUTH_METHOD("auth-method", "client_secret_basic", Scope.PROFILE,
      "client_secret_basic, client_secret_post, client_secret_jwt, private_key_jwt,"
          + " tls_client_auth, self_signed_tls_client_auth, client_assertion_file, none"),
  CLIENT_SECRET_BASIC_ENCODING("client-secret-basic-encoding", "form", Scope.PROFILE,
      "form: id and secret form-urlencoded before Base64 (RFC 6749 2.3.1); raw: for old servers"),
  CLIENT_SECRET_JWT_ALG("client-secret-jwt-alg", "HS256", Scope.PROFILE, "HS256, HS384 or HS512"),
  PRIVATE_KEY_FILE("private-key-file", null, Scope.PROFILE, false,
      "required for `private_key_jwt`", "PEM PKCS#8 or JWK file of the assertion signing key"),
  PRIVATE_KEY_ALG("private-key-alg", "RS256", Scope.PROFILE,
      "RS256/384/512, PS256/384/512, ES256/384/512"),
  PRIVATE_KEY_ID("private-key-id", null, Scope.PROFILE, false, "the JWK's `kid`",
      "kid header of the client assertion"),
  CLIENT_ASSERTION_FILE("client-assertion-file", null, Scope.PROFILE, false,
      "required for `client_assertion_file`",
      "file holding a JWT sent as client_assertion, read for every token request (workload identity)"),
  ASSERTION_AUDIENCE("assertion-audience", null, Scope.PROFILE, false, "the token endpoint",
      "aud of client assertions"),
  TIMEOUT("timeout", "10000", Scope.PROFILE, "ms for a whole token request, connect to last byte"),
  SSL_VERIFY("ssl-verify", "true", Scope.PROFILE,
      "false accepts any IdP certificate and host name (development only)"),
  CA_FILE("ca-file", null, Scope.PROFILE, false, "the JVM's trust store",
      "PEM file of the CA certificates trusted for token requests"),
  CLIENT_CERT_FILE("client-cert-file", null, Scope.PROFILE,
      "PEM client certificate (chain) for mutual TLS to the IdP"),
  CLIENT_KEY_FILE("client-key-file", null, Scope.PROFILE,
      "PEM PKCS#8 key of the client certificate"),

  // sender-constrained tokens: DPoP proofs (RFC 9449)
  DPOP("dpop", "false", Scope.PROFILE,
      "true asks for DPoP-bound tokens and sends a new proof with every request (RFC 9449)"),
  DPOP_ALG("dpop-alg", "ES256", Scope.PROFILE, "ES256, RS256 or PS256"),
  DPOP_KEY_FILE("dpop-key-file", null, Scope.PROFILE, false, "a new key per JVM",
      "PEM or JWK file of the proof key; required with cache.strategy=redis"),
  DPOP_UNBOUND_TOKEN("dpop-unbound-token", "fail", Scope.PROFILE,
      "when the IdP answers a DPoP request with a Bearer token: fail or use-as-bearer"),

  // cache
  CACHE_STRATEGY("cache.strategy", "memory", Scope.PROFILE,
      "memory (this JVM) or redis (one token for the fleet)"),
  CACHE_EAGERLY_EXPIRE("cache.eagerly-expire", "5", Scope.PROFILE,
      "seconds before expires_in runs out that a token stops being used"),
  CACHE_DEFAULT_TTL("cache.default-ttl", "3600", Scope.PROFILE,
      "lifetime in seconds when the IdP sends no usable expires_in"),
  CACHE_REFRESH_AHEAD("cache.refresh-ahead", "true", Scope.PROFILE,
      "refresh a token in use in the background before it expires"),
  CACHE_REFRESH_AHEAD_WINDOW("cache.refresh-ahead-window", "0.2", Scope.PROFILE,
      "the last fraction of a token's usable lifetime in which it is refreshed"),

  // the redis strategy: where the shared cache is and how to reach it
  CACHE_REDIS_HOST("cache.redis.host", "127.0.0.1", Scope.PROFILE, "standalone server"),
  CACHE_REDIS_PORT("cache.redis.port", "6379", Scope.PROFILE, "standalone server's port"),
  CACHE_REDIS_DATABASE("cache.redis.database", "0", Scope.PROFILE, "database number"),
  CACHE_REDIS_USERNAME("cache.redis.username", null, Scope.PROFILE, "ACL user (Redis 6+)"),
  CACHE_REDIS_PASSWORD("cache.redis.password", null, Scope.PROFILE, true, "—",
      "secret; Redis password"),
  CACHE_REDIS_SSL("cache.redis.ssl", "false", Scope.PROFILE, "TLS to Redis (and to the Sentinels)"),
  CACHE_REDIS_SSL_VERIFY("cache.redis.ssl-verify", "true", Scope.PROFILE,
      "check the Redis certificate and host name"),
  CACHE_REDIS_SERVER_NAME("cache.redis.server-name", null, Scope.PROFILE, false, "the host",
      "TLS SNI name, and the only name the certificate is checked against"),
  CACHE_REDIS_CA_FILE("cache.redis.ca-file", null, Scope.PROFILE, false, "the JVM's trust store",
      "PEM file of the CA certificates trusted for Redis"),
  CACHE_REDIS_CONNECT_TIMEOUT("cache.redis.connect-timeout", "2000", Scope.PROFILE, "ms"),
  CACHE_REDIS_READ_TIMEOUT("cache.redis.read-timeout", "2000", Scope.PROFILE,
      "ms; a slower answer counts as a Redis failure"),
  CACHE_REDIS_CLUSTER_NODES("cache.redis.cluster-nodes", null, Scope.PROFILE,
      "comma list of host:port of some Cluster nodes"),
  CACHE_REDIS_CLUSTER_MAX_REDIRECTIONS("cache.redis.cluster-max-redirections", "5", Scope.PROFILE,
      "MOVED/ASK redirections per command"),
  CACHE_REDIS_SENTINEL_MASTER("cache.redis.sentinel-master", null, Scope.PROFILE,
      "the master's name as the Sentinels know it"),
  CACHE_REDIS_SENTINEL_ROLE("cache.redis.sentinel-role", "master", Scope.PROFILE,
      "where token reads go: master, slave or any"),
  CACHE_REDIS_SENTINEL_NODES("cache.redis.sentinel-nodes", null, Scope.PROFILE,
      "comma list of Sentinels' host:port"),
  CACHE_REDIS_SENTINEL_USERNAME("cache.redis.sentinel-username", null, Scope.PROFILE,
      "ACL user on the Sentinels"),
  CACHE_REDIS_SENTINEL_PASSWORD("cache.redis.sentinel-password", null, Scope.PROFILE, true, "—",
      "secret; password on the Sentinels"),
  CACHE_REDIS_KEY_PREFIX("cache.redis.key-prefix", "upstream-oauth:", Scope.PROFILE,
      "prefix of the Redis key names"),
  CACHE_REDIS_ENCRYPTION_KEY("cache.redis.encryption-key", null, Scope.PROFILE, true, "—",
      "secret; base64 of 32 random bytes: tokens stored AES-256-GCM encrypted"),

  // what happens when the IdP fails
  IDP_RETRY_INITIAL_BACKOFF("idp-retry.initial-backoff", "1000", Scope.PROFILE,
      "ms to wait after a transient IdP failure; doubles per failure in a row"),
  IDP_RETRY_MAX_BACKOFF("idp-retry.max-backoff", "60000", Scope.PROFILE,
      "longest wait between attempts after transient failures, ms"),
  IDP_RETRY_CONFIG_ERROR_BACKOFF("idp-retry.config-error-backoff", "60000", Scope.PROFILE,
      "ms to wait after the IdP rejects the configuration (invalid_client, other 4xx)");

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
  /** What {@link #TOKEN_HEADERS} keys mean. */
  public static final String TOKEN_HEADERS_MEANING = "extra headers on the token request (secret in logs)";
  /** What {@link #TOKEN_POST_ARGS} keys mean. */
  public static final String TOKEN_POST_ARGS_MEANING = "extra form fields on the token request; the agent's own win";

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
  private final String shownDefault;
  private final String meaning;

  /**
   * A key without a meaning yet, as keys were declared before {@code help}: it compiles, but
   * CommandsTest and ConfigurationDocsTest fail until the key has a meaning and a docs row.
   */
  ConfigKey(String key, String defaultValue, Scope scope) {
    this(key, defaultValue, scope, false, shown(defaultValue), null);
  }

  /** As above, for a secret. */
  ConfigKey(String key, String defaultValue, Scope scope, boolean secret) {
    this(key, defaultValue, scope, secret, shown(defaultValue), null);
  }

  /** A key whose default is a value, or "—" when it has none. */
  ConfigKey(String key, String defaultValue, Scope scope, String meaning) {
    this(key, defaultValue, scope, false, shown(defaultValue), meaning);
  }

  /**
   * @param shownDefault what the documentation says of the default: a value in backticks, or
   *     words such as "required" or "the JVM's trust store"
   */
  ConfigKey(
      String key, String defaultValue, Scope scope, boolean secret, String shownDefault, String meaning) {
    this.key = key;
    this.defaultValue = defaultValue;
    this.scope = scope;
    this.secret = secret;
    this.shownDefault = shownDefault;
    this.meaning = meaning;
  }

  private static String shown(String defaultValue) {
    if (defaultValue == null) {
      return "—";
    }
    return defaultValue.isEmpty() ? "none" : "`" + defaultValue + "`";
  }

  /** Returns the key without prefix, e.g. {@code cache.default-ttl}. */
  public String key() {
    return key;
  }

  public String defaultValue() {
    return defaultValue;
  }

  /**
   * Returns the default as docs/configuration.md shows it: {@code `10000`}, {@code none}, {@code —},
   * or words such as {@code required}.
   */
  public String shownDefault() {
    return shownDefault;
  }

  /** Returns what the key means, in one line (for {@code help}; the docs say more). */
  public String meaning() {
    return meaning;
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
