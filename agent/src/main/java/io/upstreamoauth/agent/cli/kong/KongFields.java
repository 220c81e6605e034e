package io.upstreamoauth.agent.cli.kong;

import io.upstreamoauth.agent.config.ConfigKey;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The plugin's fields, each with the agent key it becomes or what happens instead. One table, so
 * the converter, its tests and docs/kong.md cannot drift apart.
 */
final class KongFields {

  /** A Kong field (path under config) that maps to one agent key. */
  static final Map<String, ConfigKey> MAPPED = new LinkedHashMap<String, ConfigKey>();
  /** A Kong field with no equivalent, and what happens instead. */
  static final Map<String, String> UNMAPPED = new LinkedHashMap<String, String>();

  private static final String IDP_ERROR =
      "no equivalent: there is no response to answer with; a call that gets no token fails with"
          + " an IOException the client sees (idp-error-action=fail, the default), or goes out"
          + " without a token (idp-error-action=proceed)";
  private static final String PROXY =
      "no equivalent key: token requests use the JVM's proxy settings, -Dhttp.proxyHost/-Dhttp.proxyPort,"
          + " -Dhttps.proxyHost/-Dhttps.proxyPort and -Dhttp.nonProxyHosts (for the whole JVM)";

  static {
    MAPPED.put("oauth.token_endpoint", ConfigKey.TOKEN_ENDPOINT);
    MAPPED.put("oauth.grant_type", ConfigKey.GRANT_TYPE);
    MAPPED.put("oauth.client_id", ConfigKey.CLIENT_ID);
    MAPPED.put("oauth.client_secret", ConfigKey.CLIENT_SECRET);
    MAPPED.put("oauth.username", ConfigKey.USERNAME);
    MAPPED.put("oauth.password", ConfigKey.PASSWORD);
    MAPPED.put("oauth.scopes", ConfigKey.SCOPES);
    MAPPED.put("oauth.audience", ConfigKey.AUDIENCE);
    // oauth.token_headers and oauth.token_post_args: token-headers.<name>, token-post-args.<name>
    MAPPED.put("client.auth_method", ConfigKey.AUTH_METHOD);
    MAPPED.put("client.client_secret_jwt_alg", ConfigKey.CLIENT_SECRET_JWT_ALG);
    MAPPED.put("client.timeout", ConfigKey.TIMEOUT);
    MAPPED.put("client.ssl_verify", ConfigKey.SSL_VERIFY);
    MAPPED.put("cache.strategy", ConfigKey.CACHE_STRATEGY);
    MAPPED.put("cache.eagerly_expire", ConfigKey.CACHE_EAGERLY_EXPIRE);
    MAPPED.put("cache.default_ttl", ConfigKey.CACHE_DEFAULT_TTL);
    MAPPED.put("cache.redis.host", ConfigKey.CACHE_REDIS_HOST);
    MAPPED.put("cache.redis.port", ConfigKey.CACHE_REDIS_PORT);
    MAPPED.put("cache.redis.database", ConfigKey.CACHE_REDIS_DATABASE);
    MAPPED.put("cache.redis.username", ConfigKey.CACHE_REDIS_USERNAME);
    MAPPED.put("cache.redis.password", ConfigKey.CACHE_REDIS_PASSWORD);
    MAPPED.put("cache.redis.ssl", ConfigKey.CACHE_REDIS_SSL);
    MAPPED.put("cache.redis.ssl_verify", ConfigKey.CACHE_REDIS_SSL_VERIFY);
    MAPPED.put("cache.redis.server_name", ConfigKey.CACHE_REDIS_SERVER_NAME);
    MAPPED.put("cache.redis.connect_timeout", ConfigKey.CACHE_REDIS_CONNECT_TIMEOUT);
    MAPPED.put("cache.redis.read_timeout", ConfigKey.CACHE_REDIS_READ_TIMEOUT);
    MAPPED.put("cache.redis.cluster_nodes", ConfigKey.CACHE_REDIS_CLUSTER_NODES);
    MAPPED.put("cache.redis.cluster_max_redirections", ConfigKey.CACHE_REDIS_CLUSTER_MAX_REDIRECTIONS);
    MAPPED.put("cache.redis.sentinel_master", ConfigKey.CACHE_REDIS_SENTINEL_MASTER);
    MAPPED.put("cache.redis.sentinel_role", ConfigKey.CACHE_REDIS_SENTINEL_ROLE);
    MAPPED.put("cache.redis.sentinel_nodes", ConfigKey.CACHE_REDIS_SENTINEL_NODES);
    MAPPED.put("cache.redis.sentinel_username", ConfigKey.CACHE_REDIS_SENTINEL_USERNAME);
    MAPPED.put("cache.redis.sentinel_password", ConfigKey.CACHE_REDIS_SENTINEL_PASSWORD);
    MAPPED.put("behavior.upstream_access_token_header_name", ConfigKey.HEADER_NAME);
    MAPPED.put("behavior.purge_token_on_upstream_status_codes", ConfigKey.PURGE_TOKEN_ON_UPSTREAM_STATUS_CODES);

    UNMAPPED.put("client.http_proxy", PROXY);
    UNMAPPED.put("client.https_proxy", PROXY);
    UNMAPPED.put("client.no_proxy", PROXY);
    UNMAPPED.put("client.http_proxy_authorization",
        "no equivalent: proxy credentials come from the application's java.net.Authenticator");
    UNMAPPED.put("client.https_proxy_authorization",
        "no equivalent: proxy credentials come from the application's java.net.Authenticator");
    UNMAPPED.put("client.keep_alive",
        "no equivalent: the JDK keeps token-endpoint connections alive (-Dhttp.keepAlive, default true)");
    UNMAPPED.put("client.http_version", "no equivalent: token requests are HTTP/1.1");
    UNMAPPED.put("cache.memory.dictionary_name",
        "no equivalent: cache.strategy=memory keeps tokens in this JVM's own cache");
    UNMAPPED.put("cache.redis.send_timeout",
        "no separate key: cache.redis.read-timeout bounds each whole Redis command");
    UNMAPPED.put("cache.redis.timeout",
        "deprecated in Kong; when connect_timeout or read_timeout are absent it becomes them");
    UNMAPPED.put("cache.redis.keepalive_pool_size",
        "no equivalent: the agent keeps a small Redis connection pool of its own per profile");
    UNMAPPED.put("cache.redis.keepalive_backlog",
        "no equivalent: the agent keeps a small Redis connection pool of its own per profile");
    UNMAPPED.put("cache.redis.connection_is_proxied",
        "no equivalent: the agent talks to Redis itself; a proxy that answers like a standalone"
            + " server works as cache.redis.host");
    UNMAPPED.put("cache.redis.cloud_authentication",
        "no equivalent: no cloud IAM authentication to Redis; use cache.redis.username and"
            + " cache.redis.password");
    UNMAPPED.put("behavior.idp_error_response_status_code", IDP_ERROR);
    UNMAPPED.put("behavior.idp_error_response_content_type", IDP_ERROR);
    UNMAPPED.put("behavior.idp_error_response_message", IDP_ERROR);
    UNMAPPED.put("behavior.idp_error_response_body_template", IDP_ERROR);
  }

  /** Kong fields whose values are secrets, and the suffix of the environment variable for them. */
  static String secretSuffix(String field) {
    if (field.equals("oauth.client_secret")) {
      return "CLIENT_SECRET";
    }
    if (field.equals("oauth.password")) {
      return "PASSWORD";
    }
    if (field.equals("cache.redis.password")) {
      return "REDIS_PASSWORD";
    }
    if (field.equals("cache.redis.sentinel_password")) {
      return "REDIS_SENTINEL_PASSWORD";
    }
    return null;
  }

  /** Returns true when an unmapped field's value must not be shown. */
  static boolean hidesValue(String field) {
    return field.endsWith("_authorization") || field.contains("cloud_authentication")
        || field.contains("password") || field.contains("secret");
  }

  private KongFields() {}
}
