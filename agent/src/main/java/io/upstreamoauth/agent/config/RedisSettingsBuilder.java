package io.upstreamoauth.agent.config;

import java.util.ArrayList;
import java.util.List;

/**
 * Builds {@link RedisSettings}; starts with every default of {@link ConfigKey}. Each setter
 * checks its argument and says which one is wrong; rules that span keys are checked by the
 * configuration reader, which can name the keys.
 */
public final class RedisSettingsBuilder {

  String host = ConfigKey.CACHE_REDIS_HOST.defaultValue();
  int port = 6379;
  int database;
  String username;
  String password;
  boolean ssl;
  boolean sslVerify = true;
  String serverName;
  String caFile;
  int connectTimeoutMillis = 2000;
  int readTimeoutMillis = 2000;
  List<RedisNode> clusterNodes = new ArrayList<RedisNode>();
  int clusterMaxRedirections = 5;
  String sentinelMaster;
  SentinelRole sentinelRole = SentinelRole.MASTER;
  List<RedisNode> sentinelNodes = new ArrayList<RedisNode>();
  String sentinelUsername;
  String sentinelPassword;
  String passwordFile;
  String sentinelPasswordFile;
  String keyPrefix = ConfigKey.CACHE_REDIS_KEY_PREFIX.defaultValue();
  byte[] encryptionKey;

  RedisSettingsBuilder() {}

  public RedisSettingsBuilder host(String host, int port) {
    if (host == null || host.isEmpty()) {
      throw new IllegalArgumentException("host must not be empty");
    }
    this.host = host;
    this.port = new RedisNode(host, port).port();
    return this;
  }

  public RedisSettingsBuilder database(int database) {
    if (database < 0) {
      throw new IllegalArgumentException("database must not be negative, was " + database);
    }
    this.database = database;
    return this;
  }

  /** Sets the ACL user and password; either may be null. */
  public RedisSettingsBuilder credentials(String username, String password) {
    this.username = username;
    this.password = password;
    return this;
  }

  /** Sets the files the passwords are read from ({@code ${file:...}}), to follow them; either may be null. */
  public RedisSettingsBuilder passwordFiles(String password, String sentinelPassword) {
    this.passwordFile = password;
    this.sentinelPasswordFile = sentinelPassword;
    return this;
  }

  public RedisSettingsBuilder ssl(boolean ssl, boolean verify, String serverName) {
    this.ssl = ssl;
    this.sslVerify = verify;
    this.serverName = serverName;
    return this;
  }

  /** Sets the PEM file of the CA certificates Redis's certificate is checked against (null: the JVM's trust store). */
  RedisSettingsBuilder trust(String caFile) {
    this.caFile = caFile;
    return this;
  }

  public RedisSettingsBuilder timeouts(int connectMillis, int readMillis) {
    if (connectMillis < 1 || readMillis < 1) {
      throw new IllegalArgumentException(
          "timeouts must be positive, were connect=" + connectMillis + " read=" + readMillis);
    }
    this.connectTimeoutMillis = connectMillis;
    this.readTimeoutMillis = readMillis;
    return this;
  }

  public RedisSettingsBuilder cluster(List<RedisNode> nodes, int maxRedirections) {
    if (maxRedirections < 0) {
      throw new IllegalArgumentException("maxRedirections must not be negative, was " + maxRedirections);
    }
    this.clusterNodes = new ArrayList<RedisNode>(nodes);
    this.clusterMaxRedirections = maxRedirections;
    return this;
  }

  /** Sets the Sentinel group; a null master means no Sentinel. */
  public RedisSettingsBuilder sentinel(
      String master, SentinelRole role, List<RedisNode> nodes, String username, String password) {
    if (role == null) {
      throw new NullPointerException("role");
    }
    this.sentinelMaster = master;
    this.sentinelRole = role;
    this.sentinelNodes = new ArrayList<RedisNode>(nodes);
    this.sentinelUsername = username;
    this.sentinelPassword = password;
    return this;
  }

  public RedisSettingsBuilder keyPrefix(String keyPrefix) {
    if (keyPrefix == null || keyPrefix.indexOf('{') >= 0 || keyPrefix.indexOf('}') >= 0) {
      throw new IllegalArgumentException("keyPrefix must be set and hold no '{' or '}'");
    }
    this.keyPrefix = keyPrefix;
    return this;
  }

  /** Sets the AES-256 key tokens are encrypted with, or null to store them plain. */
  public RedisSettingsBuilder encryptionKey(byte[] key) {
    if (key != null && key.length != 32) {
      throw new IllegalArgumentException("encryptionKey must be 32 bytes, was " + key.length);
    }
    this.encryptionKey = key == null ? null : key.clone();
    return this;
  }

  public RedisSettings build() {
    return new RedisSettings(this);
  }

  RedisSettingsBuilder copy() {
    RedisSettingsBuilder c = new RedisSettingsBuilder();
    c.host = host;
    c.port = port;
    c.database = database;
    c.username = username;
    c.password = password;
    c.ssl = ssl;
    c.sslVerify = sslVerify;
    c.serverName = serverName;
    c.caFile = caFile;
    c.connectTimeoutMillis = connectTimeoutMillis;
    c.readTimeoutMillis = readTimeoutMillis;
    c.clusterMaxRedirections = clusterMaxRedirections;
    c.sentinelMaster = sentinelMaster;
    c.sentinelRole = sentinelRole;
    c.sentinelUsername = sentinelUsername;
    c.sentinelPassword = sentinelPassword;
    c.passwordFile = passwordFile;
    c.sentinelPasswordFile = sentinelPasswordFile;
    c.keyPrefix = keyPrefix;
    return c; // lists and the key are copied by RedisSettings itself
  }
}
