package io.upstreamoauth.agent.config;

import java.util.Locale;

/** One {@code host:port} of a Redis Cluster or a Sentinel group. Immutable. */
public final class RedisNode {

  private final String host;
  private final int port;

  public RedisNode(String host, int port) {
    String problem = hostProblem(host);
    if (problem != null) {
      throw new IllegalArgumentException("host " + problem);
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port must be from 1 to 65535, was " + port);
    }
    this.host = host;
    this.port = port;
  }

  /**
   * Returns what is wrong with a host name or address (an IPv6 address without brackets), or null:
   * letters, digits, '-', '.', '_' and, for IPv6, ':' only.
   */
  static String hostProblem(String host) {
    if (host == null || host.isEmpty()) {
      return "must not be empty";
    }
    for (int i = 0; i < host.length(); i++) {
      char c = host.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '-' || c == '.' || c == '_' || c == ':' || c == '%';
      if (!ok) {
        return "'" + host + "' is not a host name or address";
      }
    }
    return null;
  }

  /**
   * Parses {@code host:port} or {@code [ipv6]:port}.
   *
   * @throws IllegalArgumentException naming what is wrong with {@code text}
   */
  public static RedisNode parse(String text) {
    int colon = text.lastIndexOf(':');
    if (colon <= 0 || colon == text.length() - 1) {
      throw new IllegalArgumentException("'" + text + "' is not host:port");
    }
    String host = text.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    } else if (host.indexOf(':') >= 0) {
      throw new IllegalArgumentException("'" + text + "': write an IPv6 address as [address]:port");
    }
    int port;
    try {
      port = Integer.parseInt(text.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + text + "' has no valid port");
    }
    if (port < 1 || port > 65535 || host.isEmpty()) {
      throw new IllegalArgumentException("'" + text + "' is not host:port with a port from 1 to 65535");
    }
    String problem = hostProblem(host);
    if (problem != null) {
      throw new IllegalArgumentException("'" + text + "': " + problem);
    }
    return new RedisNode(host.toLowerCase(Locale.ROOT), port);
  }

  public String host() {
    return host;
  }

  public int port() {
    return port;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof RedisNode
        && ((RedisNode) other).host.equals(host)
        && ((RedisNode) other).port == port;
  }

  @Override
  public int hashCode() {
    return host.hashCode() * 31 + port;
  }

  @Override
  public String toString() {
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }
}
