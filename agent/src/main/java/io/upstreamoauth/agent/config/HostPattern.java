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
      path = PathPrefix.normalisePrefix(rest.substring(slash), text);
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
    host = ascii(host, text).toLowerCase(Locale.ROOT);
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

  /**
   * Returns true when a request target matches.
   *
   * @param requestScheme the request's scheme (http or https)
   * @param requestHost the request's host, any case, IPv6 without brackets
   * @param requestPort the port, or -1 for the scheme's default
   * @param requestPath the raw request path, may be null or empty; a query is ignored
   */
  public boolean matches(
      String requestScheme, String requestHost, int requestPort, String requestPath) {
    return match(requestScheme, requestHost, requestPort, requestPath) == YES;
  }

  /** The target is not under this entry. */
  public static final int NO = PathPrefix.NO;
  /** The target is under this entry. */
  public static final int YES = PathPrefix.YES;
  /**
   * The target's host, scheme and port match, but servers read its path in ways that disagree
   * about the path prefix ({@code /api/..;x/admin}): it must get no token.
   */
  public static final int AMBIGUOUS = PathPrefix.AMBIGUOUS;

  /**
   * Returns {@link #YES}, {@link #NO} or {@link #AMBIGUOUS} for a request target; arguments as for
   * {@link #matches}. Allocates nothing for a host that does not match or a plain path.
   */
  public int match(String requestScheme, String requestHost, int requestPort, String requestPath) {
    if (requestHost == null) {
      return NO;
    }
    if (scheme != null && !scheme.equalsIgnoreCase(requestScheme)) {
      return NO;
    }
    if (!hostMatches(requestHost)) {
      return NO;
    }
    if (port != -1 && port != effectivePort(requestScheme, requestPort)) {
      return NO;
    }
    return path.isEmpty() ? YES : PathPrefix.match(path, requestPath);
  }

  private boolean hostMatches(String requestHost) {
    int start = 0;
    int end = requestHost.length();
    if (end > 1 && requestHost.charAt(0) == '[' && requestHost.charAt(end - 1) == ']') {
      start++;
      end--;
    }
    if (end > start && requestHost.charAt(end - 1) == '.') { // "api.example.com." is the same host
      end--;
    }
    for (int i = start; i < end; i++) {
      if (requestHost.charAt(i) >= 0x80) {
        // an internationalised name: compared in its ASCII (punycode) form, never by Unicode
        // case folding, which makes "apı.example.com" (dotless i) equal "api.example.com"
        String ascii = idnToAscii(requestHost.substring(start, end));
        return ascii != null && hostMatches(ascii);
      }
    }
    int length = end - start;
    if (!wildcard) {
      return length == host.length() && asciiRegionMatches(requestHost, start, host, length);
    }
    // "*.example.com" matches "a.example.com" and "a.b.example.com", not "example.com"
    int offset = end - host.length();
    return offset > start && asciiRegionMatches(requestHost, offset, host, host.length());
  }

  /** Compares text[offset, offset+length) with a lower-case ASCII pattern, folding ASCII case only. */
  private static boolean asciiRegionMatches(String text, int offset, String lowerPattern, int length) {
    for (int i = 0; i < length; i++) {
      char c = text.charAt(offset + i);
      if (c >= 'A' && c <= 'Z') {
        c = (char) (c + ('a' - 'A'));
      }
      if (c != lowerPattern.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  private static String idnToAscii(String host) {
    try {
      String ascii = java.net.IDN.toASCII(host, java.net.IDN.ALLOW_UNASSIGNED);
      for (int i = 0; i < ascii.length(); i++) {
        if (ascii.charAt(i) >= 0x80) {
          return null;
        }
      }
      return ascii;
    } catch (IllegalArgumentException e) {
      return null; // not a valid name: matches nothing
    }
  }

  /** Returns the entry's host in ASCII: an internationalised name in its punycode form. */
  private static String ascii(String host, String text) {
    for (int i = 0; i < host.length(); i++) {
      if (host.charAt(i) >= 0x80) {
        boolean wildcard = host.startsWith("*.");
        String ascii = idnToAscii(wildcard ? host.substring(2) : host);
        if (ascii == null) {
          throw new IllegalArgumentException("'" + text + "' is not a valid internationalised host name");
        }
        return wildcard ? "*." + ascii : ascii;
      }
    }
    return host;
  }

  /** Returns the port a request goes to: {@code port}, or the scheme's default for -1. */
  public static int effectivePort(String scheme, int port) {
    if (port != -1) {
      return port;
    }
    return "https".equalsIgnoreCase(scheme) ? 443 : 80;
  }

  /** Returns the entry as written. */
  public String text() {
    return text;
  }

  /** Returns the scheme the entry is limited to (http or https), or null for both. */
  public String scheme() {
    return scheme;
  }

  /** Returns the host in lower-case ASCII, {@code *.example.com} for a wildcard. */
  public String host() {
    return wildcard ? "*" + host : host;
  }

  /** Returns true for a {@code *.domain} entry. */
  public boolean wildcard() {
    return wildcard;
  }

  /** Returns the port the entry is limited to, or -1 for any. */
  public int port() {
    return port;
  }

  /** Returns the path prefix ({@code /api}, no trailing slash), or "" for every path. */
  public String path() {
    return path;
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
