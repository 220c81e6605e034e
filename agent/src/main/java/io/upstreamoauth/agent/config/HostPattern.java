package io.upstreamoauth.agent.config;

import java.util.Locale;

/**
 * One entry of {@code upstream.oauth.hosts}: {@code host}, {@code *.domain}, {@code host:port},
 * each optionally with a scheme ({@code https://host}) and a path prefix ({@code host/api/}).
 *
 * <p>A path prefix matches on segment boundaries: {@code host/api} matches {@code /api} and
 * {@code /api/x} but not {@code /apis}.
 */
public final class HostPattern implements Comparable<HostPattern> {

  private final String text;
  private final String scheme; // null: http and https
  private final String host; // lower case; for a wildcard, the suffix including the leading dot
  private final boolean wildcard;
  private final int port; // -1: any port
  private final String path; // "" or a prefix without trailing slash, starting with '/'

  private HostPattern(
      String text, String scheme, String host, boolean wildcard, int port, String path) {
    this.text = text;
    this.scheme = scheme;
    this.host = host;
    this.wildcard = wildcard;
    this.port = port;
    this.path = path;
  }

  /**
   * Parses one entry.
   *
   * @throws IllegalArgumentException with a message saying what is wrong with the entry
   */
  public static HostPattern parse(String entry) {
    String text = entry.trim();
    if (text.isEmpty()) {
      throw new IllegalArgumentException("empty host entry");
    }
    String rest = text;
    String scheme = null;
    int schemeEnd = rest.indexOf("://");
    if (schemeEnd >= 0) {
      scheme = rest.substring(0, schemeEnd).toLowerCase(Locale.ROOT);
      if (!scheme.equals("http") && !scheme.equals("https")) {
        throw new IllegalArgumentException("scheme must be http or https in '" + text + "'");
      }
      rest = rest.substring(schemeEnd + 3);
    }
    // checked before the path is split off: a request path never holds '?' or '#', so a prefix
    // with them would never match
    if (rest.indexOf('?') >= 0 || rest.indexOf('#') >= 0) {
      throw new IllegalArgumentException("'" + text + "' is not host[:port][/path]");
    }
    String path = "";
    int slash = rest.indexOf('/');
    if (slash >= 0) {
      path = normalisePath(rest.substring(slash));
      rest = rest.substring(0, slash);
    }
    if (rest.indexOf('@') >= 0) {
      throw new IllegalArgumentException("'" + text + "' is not host[:port][/path]");
    }
    int port = -1;
    String host = rest;
    int colon = rest.lastIndexOf(':');
    if (colon >= 0 && rest.indexOf(']') < colon) {
      host = rest.substring(0, colon);
      port = parsePort(rest.substring(colon + 1), text);
    }
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
      if (host.indexOf(':') < 0 || host.indexOf('[') >= 0 || host.indexOf(']') >= 0) {
        throw new IllegalArgumentException("'" + text + "' is not a host name, *.domain or IP: brackets are for IPv6 addresses");
      }
    } else if (host.indexOf(':') >= 0 || host.indexOf('[') >= 0 || host.indexOf(']') >= 0) {
      // "::1" would otherwise be read as host ":" and port 1
      throw new IllegalArgumentException("'" + text + "' is not a host name, *.domain or IP: write IPv6 addresses in brackets, e.g. [::1]:8080");
    }
    host = host.toLowerCase(Locale.ROOT);
    boolean wildcard = false;
    if (host.startsWith("*.")) {
      wildcard = true;
      host = host.substring(1);
      if (host.length() < 2) {
        throw new IllegalArgumentException("wildcard without a domain in '" + text + "'");
      }
    }
    if (host.endsWith(".") && host.length() > 1) {
      // "api.example.com." is the same host; matches() drops the dot of request hosts too
      host = host.substring(0, host.length() - 1);
    }
    String checked = wildcard ? host.substring(1) : host;
    if (checked.isEmpty() || checked.contains("*") || checked.contains(" ")) {
      throw new IllegalArgumentException("'" + text + "' is not a host name, *.domain or IP");
    }
    return new HostPattern(text, scheme, host, wildcard, port, path);
  }

  private static int parsePort(String digits, String text) {
    try {
      int port = Integer.parseInt(digits);
      if (port > 0 && port <= 65535) {
        return port;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException("port must be 1-65535 in '" + text + "'");
  }

  private static String normalisePath(String raw) {
    String path = raw;
    while (path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    return path;
  }

  /**
   * Returns true when a request target matches.
   *
   * @param requestScheme the request's scheme (http or https)
   * @param requestHost the request's host, any case, IPv6 without brackets
   * @param requestPort the port, or -1 for the scheme's default
   * @param requestPath the request path, may be null or empty
   */
  public boolean matches(
      String requestScheme, String requestHost, int requestPort, String requestPath) {
    if (requestHost == null) {
      return false;
    }
    if (scheme != null && !scheme.equalsIgnoreCase(requestScheme)) {
      return false;
    }
    if (!hostMatches(requestHost)) {
      return false;
    }
    if (port != -1 && port != effectivePort(requestScheme, requestPort)) {
      return false;
    }
    return pathMatches(requestPath);
  }

  private boolean hostMatches(String requestHost) {
    String candidate = requestHost;
    if (candidate.startsWith("[") && candidate.endsWith("]")) {
      candidate = candidate.substring(1, candidate.length() - 1);
    }
    if (candidate.endsWith(".")) { // "api.example.com." is the same host
      candidate = candidate.substring(0, candidate.length() - 1);
    }
    if (!wildcard) {
      return candidate.equalsIgnoreCase(host);
    }
    // "*.example.com" matches "a.example.com" and "a.b.example.com", not "example.com"
    int offset = candidate.length() - host.length();
    return offset > 0 && candidate.regionMatches(true, offset, host, 0, host.length());
  }

  private boolean pathMatches(String requestPath) {
    if (path.isEmpty()) {
      return true;
    }
    String candidate = requestPath == null ? "" : requestPath;
    if (!candidate.startsWith(path)) {
      return false;
    }
    return candidate.length() == path.length() || candidate.charAt(path.length()) == '/';
  }

  static int effectivePort(String scheme, int port) {
    if (port != -1) {
      return port;
    }
    return "https".equalsIgnoreCase(scheme) ? 443 : 80;
  }

  /** Returns the entry as written. */
  public String text() {
    return text;
  }

  /** Returns true when the entry only matches https. */
  public boolean httpsOnly() {
    return "https".equals(scheme);
  }

  /** Orders more specific entries first: exact host, then port, then longer path and suffix. */
  @Override
  public int compareTo(HostPattern other) {
    if (wildcard != other.wildcard) {
      return wildcard ? 1 : -1;
    }
    if (wildcard && host.length() != other.host.length()) {
      return other.host.length() - host.length();
    }
    if ((port == -1) != (other.port == -1)) {
      return port == -1 ? 1 : -1;
    }
    if ((scheme == null) != (other.scheme == null)) {
      return scheme == null ? 1 : -1;
    }
    if (path.length() != other.path.length()) {
      return other.path.length() - path.length();
    }
    return canonical().compareTo(other.canonical());
  }

  /** Returns a canonical form; two entries with the same canonical form are duplicates. */
  public String canonical() {
    return (scheme == null ? "" : scheme + "://")
        + (wildcard ? "*" : "")
        // IPv6 in brackets: "[::1]:8080" and "[::1:8080]" must not both be "::1:8080"
        + (host.indexOf(':') >= 0 ? "[" + host + "]" : host)
        + (port == -1 ? "" : ":" + port)
        + path;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof HostPattern && ((HostPattern) other).canonical().equals(canonical());
  }

  @Override
  public int hashCode() {
    return canonical().hashCode();
  }

  @Override
  public String toString() {
    return text;
  }
}
