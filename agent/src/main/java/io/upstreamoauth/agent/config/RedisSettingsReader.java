package io.upstreamoauth.agent.config;

import io.upstreamoauth.agent.tls.PemFiles;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Reads the {@code cache.redis.*} keys of one profile into {@link RedisSettings}, through the
 * profile reader so that inheritance and messages work as for every other key. Values of secret
 * keys are never put in a message.
 */
final class RedisSettingsReader {

  private final ConfigValues reader;
  private final List<String> problems;

  RedisSettingsReader(ConfigValues reader, List<String> problems) {
    this.reader = reader;
    this.problems = problems;
  }

  RedisSettings read() {
    RedisSettingsBuilder builder = RedisSettings.builder();
    String host = reader.string(ConfigKey.CACHE_REDIS_HOST);
    int port = (int) reader.longValue(ConfigKey.CACHE_REDIS_PORT, 1, 65_535, "port");
    String hostProblem = RedisNode.hostProblem(host);
    if (hostProblem != null) {
      problems.add(reader.name(ConfigKey.CACHE_REDIS_HOST) + ": " + hostProblem);
    } else {
      builder.host(host, port);
    }
    builder.database((int) reader.longValue(ConfigKey.CACHE_REDIS_DATABASE, 0, 1_000_000, "databases"));
    builder.credentials(reader.string(ConfigKey.CACHE_REDIS_USERNAME), reader.string(ConfigKey.CACHE_REDIS_PASSWORD));
    builder.passwordFiles(
        reader.raw.wholeFilePath(reader.rawName(ConfigKey.CACHE_REDIS_PASSWORD)),
        reader.raw.wholeFilePath(reader.rawName(ConfigKey.CACHE_REDIS_SENTINEL_PASSWORD)));
    boolean sslVerify = reader.bool(ConfigKey.CACHE_REDIS_SSL_VERIFY);
    builder.ssl(reader.bool(ConfigKey.CACHE_REDIS_SSL), sslVerify, serverName());
    trust(builder);
    builder.timeouts(
        (int) reader.longValue(ConfigKey.CACHE_REDIS_CONNECT_TIMEOUT, 1, 600_000, "milliseconds"),
        (int) reader.longValue(ConfigKey.CACHE_REDIS_READ_TIMEOUT, 1, 600_000, "milliseconds"));
    List<RedisNode> clusterNodes = nodes(ConfigKey.CACHE_REDIS_CLUSTER_NODES);
    builder.cluster(clusterNodes, (int) reader.longValue(ConfigKey.CACHE_REDIS_CLUSTER_MAX_REDIRECTIONS, 0, 100, "redirections"));
    String master = reader.string(ConfigKey.CACHE_REDIS_SENTINEL_MASTER);
    List<RedisNode> sentinels = nodes(ConfigKey.CACHE_REDIS_SENTINEL_NODES);
    builder.sentinel(
        master,
        reader.choice(ConfigKey.CACHE_REDIS_SENTINEL_ROLE, SentinelRole.values(), SentinelRole.MASTER),
        sentinels,
        reader.string(ConfigKey.CACHE_REDIS_SENTINEL_USERNAME),
        reader.string(ConfigKey.CACHE_REDIS_SENTINEL_PASSWORD));
    String prefix = reader.string(ConfigKey.CACHE_REDIS_KEY_PREFIX);
    if (prefix == null) {
      prefix = ConfigKey.CACHE_REDIS_KEY_PREFIX.defaultValue(); // set empty: not set (found by the fuzz corpus)
    }
    if (prefix.indexOf('{') >= 0 || prefix.indexOf('}') >= 0) {
      // the agent adds a {hash tag} of its own; a second one would split token and lease
      problems.add(reader.name(ConfigKey.CACHE_REDIS_KEY_PREFIX) + ": must not contain '{' or '}', was '" + prefix + "'");
    } else {
      builder.keyPrefix(prefix);
    }
    builder.encryptionKey(encryptionKey());

    if (!clusterNodes.isEmpty() && master != null) {
      problems.add(reader.name(ConfigKey.CACHE_REDIS_CLUSTER_NODES) + " and "
          + reader.name(ConfigKey.CACHE_REDIS_SENTINEL_MASTER) + ": set one of them, not both (Cluster or Sentinel)");
    }
    if (master != null && sentinels.isEmpty()) {
      reader.required(ConfigKey.CACHE_REDIS_SENTINEL_NODES, "is required with sentinel-master (comma list of host:port)");
    }
    if (master == null && !sentinels.isEmpty()) {
      reader.required(ConfigKey.CACHE_REDIS_SENTINEL_MASTER, "is required with sentinel-nodes (the monitored master's name)");
    }
    RedisSettings settings = builder.build();
    if (settings.mode() == RedisSettings.Mode.CLUSTER && settings.database() != 0) {
      problems.add(reader.name(ConfigKey.CACHE_REDIS_DATABASE) + ": a Redis Cluster has only database 0, was " + settings.database());
    }
    return settings;
  }

  /** cache.redis.server-name: a name TLS can send as SNI (a DNS name, not an address). */
  private String serverName() {
    String name = reader.string(ConfigKey.CACHE_REDIS_SERVER_NAME);
    if (name == null) {
      return null;
    }
    try {
      new javax.net.ssl.SNIHostName(name);
      return name;
    } catch (IllegalArgumentException e) {
      problems.add(reader.name(ConfigKey.CACHE_REDIS_SERVER_NAME) + ": '" + name
          + "' is not a DNS host name that TLS can send as the server name (SNI)");
      return null;
    }
  }

  /** cache.redis.ca-file: the CAs Redis's certificate is checked against (not the IdP's ca-file). */
  private void trust(RedisSettingsBuilder builder) {
    String caFile = reader.string(ConfigKey.CACHE_REDIS_CA_FILE);
    if (caFile == null) {
      return;
    }
    try {
      PemFiles.certificates(caFile); // read here to name the key; the context is made with the client
      builder.trust(caFile);
    } catch (IllegalArgumentException e) {
      problems.add(reader.name(ConfigKey.CACHE_REDIS_CA_FILE) + ": " + e.getMessage());
    }
  }

  private List<RedisNode> nodes(ConfigKey key) {
    List<RedisNode> nodes = new ArrayList<RedisNode>();
    for (String entry : reader.list(key)) {
      try {
        RedisNode node = RedisNode.parse(entry);
        if (!nodes.contains(node)) {
          nodes.add(node);
        }
      } catch (IllegalArgumentException e) {
        problems.add(reader.name(key) + ": " + e.getMessage());
      }
    }
    return nodes;
  }

  private byte[] encryptionKey() {
    ConfigKey key = ConfigKey.CACHE_REDIS_ENCRYPTION_KEY;
    String value = reader.string(key);
    if (value == null) {
      return null;
    }
    byte[] decoded;
    try {
      decoded = Base64.getDecoder().decode(value.getBytes(StandardCharsets.US_ASCII));
    } catch (IllegalArgumentException e) {
      decoded = null;
    }
    if (decoded == null || decoded.length != 32) {
      // never the value: it is a secret
      problems.add(reader.name(key) + ": must be the base64 of 32 random bytes (e.g. `openssl rand -base64 32`)"
          + (decoded == null ? ", was not base64" : ", was " + decoded.length + " bytes"));
      return null;
    }
    return decoded;
  }
}
