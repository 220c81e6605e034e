package io.upstreamoauth.agent.config;

import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;

/**
 * Where the {@code redis} cache strategy keeps tokens and how it reaches them: Kong's {@code
 * config.cache.redis}. Immutable; {@link #toString()} shows no password and no encryption key.
 */
public final class RedisSettings {

  /** How the Redis deployment is reached, decided by which keys are set. */
  public enum Mode {
    /** One server at {@code host:port}. */
    STANDALONE,
    /** A Redis Cluster, discovered from {@code cluster-nodes}. */
    CLUSTER,
    /** A master found through the Sentinels in {@code sentinel-nodes}. */
    SENTINEL
  }

  private final RedisSettingsBuilder b;
  private final List<RedisNode> clusterNodes;
  private final List<RedisNode> sentinelNodes;
  private final byte[] encryptionKey;
  private final String identity;

  RedisSettings(RedisSettingsBuilder builder) {
    this.b = builder.copy();
    this.clusterNodes = Collections.unmodifiableList(new ArrayList<RedisNode>(builder.clusterNodes));
    this.sentinelNodes = Collections.unmodifiableList(new ArrayList<RedisNode>(builder.sentinelNodes));
    this.encryptionKey = builder.encryptionKey == null ? null : builder.encryptionKey.clone();
    this.identity = canonicalForm();
  }

  /** Returns a builder with every default, for code and tests that do not read configuration. */
  public static RedisSettingsBuilder builder() {
    return new RedisSettingsBuilder();
  }

  /** Returns CLUSTER when cluster-nodes is set, SENTINEL when sentinel-master is, else STANDALONE. */
  public Mode mode() {
    if (!clusterNodes.isEmpty()) {
      return Mode.CLUSTER;
    }
    return b.sentinelMaster != null ? Mode.SENTINEL : Mode.STANDALONE;
  }

  public String host() { return b.host; }
  public int port() { return b.port; }
  public int database() { return b.database; }
  public String username() { return b.username; }
  public String password() { return b.password; }
  public boolean ssl() { return b.ssl; }
  public boolean sslVerify() { return b.sslVerify; }
  /** Returns the TLS SNI host name, or null for the host connected to. */
  public String serverName() { return b.serverName; }
  /** Returns the PEM file of the CAs trusted for Redis's certificate, or null for the JVM's. */
  public String caFile() { return b.caFile; }
  public int connectTimeoutMillis() { return b.connectTimeoutMillis; }
  public int readTimeoutMillis() { return b.readTimeoutMillis; }
  public List<RedisNode> clusterNodes() { return clusterNodes; }
  public int clusterMaxRedirections() { return b.clusterMaxRedirections; }
  public String sentinelMaster() { return b.sentinelMaster; }
  public SentinelRole sentinelRole() { return b.sentinelRole; }
  public List<RedisNode> sentinelNodes() { return sentinelNodes; }
  public String sentinelUsername() { return b.sentinelUsername; }
  public String sentinelPassword() { return b.sentinelPassword; }
  /** Returns the file {@link #password()} was read from with {@code ${file:...}}, or null. */
  public String passwordFile() { return b.passwordFile; }
  /** Returns the file {@link #sentinelPassword()} was read from with {@code ${file:...}}, or null. */
  public String sentinelPasswordFile() { return b.sentinelPasswordFile; }
  /** Returns what every key starts with, {@code upstream-oauth:} by default. */
  public String keyPrefix() { return b.keyPrefix; }

  /** Returns a copy of the 32-byte AES key tokens are encrypted with, or null for plain values. */
  public byte[] encryptionKey() {
    return encryptionKey == null ? null : encryptionKey.clone();
  }

  /**
   * Returns every setting that changes where or how tokens are stored and read: the servers, the
   * database, credentials, TLS (verification, server name, CA file), timeouts, Cluster and Sentinel
   * settings, the key prefix and the encryption key. Equal for settings that may share a client
   * and a token manager, different otherwise. Holds secrets: for in-memory keys only, never to be
   * logged, stored or shown; {@link #toString()} is what may be shown.
   */
  public String identity() {
    return identity;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof RedisSettings && identity.equals(((RedisSettings) other).identity);
  }

  @Override
  public int hashCode() {
    return identity.hashCode();
  }

  private String canonicalForm() {
    // length-prefixed fields, as in OAuthSettings: no value can pose as another field
    StringBuilder out = new StringBuilder();
    field(out, "mode", mode().name());
    field(out, "host", b.host);
    field(out, "port", String.valueOf(b.port));
    field(out, "database", String.valueOf(b.database));
    field(out, "username", b.username);
    field(out, "password", b.password);
    field(out, "ssl", String.valueOf(b.ssl));
    field(out, "ssl_verify", String.valueOf(b.sslVerify));
    field(out, "server_name", b.serverName);
    field(out, "ca_file", b.caFile);
    field(out, "connect_timeout", String.valueOf(b.connectTimeoutMillis));
    field(out, "read_timeout", String.valueOf(b.readTimeoutMillis));
    field(out, "cluster_nodes", String.valueOf(clusterNodes));
    field(out, "cluster_max_redirections", String.valueOf(b.clusterMaxRedirections));
    field(out, "sentinel_master", b.sentinelMaster);
    field(out, "sentinel_role", b.sentinelRole.value());
    field(out, "sentinel_nodes", String.valueOf(sentinelNodes));
    field(out, "sentinel_username", b.sentinelUsername);
    field(out, "sentinel_password", b.sentinelPassword);
    field(out, "key_prefix", b.keyPrefix);
    field(out, "encryption_key", encryptionKey == null ? null : Base64.getEncoder().encodeToString(encryptionKey));
    return out.toString();
  }

  private static void field(StringBuilder out, String name, String value) {
    out.append(name).append('=');
    if (value == null) {
      out.append("-1:");
    } else {
      out.append(value.length()).append(':').append(value);
    }
    out.append('\n');
  }

  @Override
  public String toString() {
    StringBuilder text = new StringBuilder("RedisSettings{").append(mode().name().toLowerCase(java.util.Locale.ROOT));
    switch (mode()) {
      case CLUSTER:
        text.append(" ").append(clusterNodes);
        break;
      case SENTINEL:
        text.append(" ").append(b.sentinelMaster).append(" (").append(b.sentinelRole.value())
            .append(") via ").append(sentinelNodes);
        break;
      default:
        text.append(" ").append(b.host).append(":").append(b.port).append("/").append(b.database);
    }
    return text.append(b.ssl ? ", tls" : "")
        .append(b.password != null ? ", password ****" : "")
        .append(", keyPrefix=").append(b.keyPrefix)
        .append(encryptionKey != null ? ", encrypted" : "")
        .append("}").toString();
  }
}
