package io.upstreamoauth.agent.cli;

import io.upstreamoauth.agent.bridge.AgentBridge;
import io.upstreamoauth.agent.config.HostPattern;
import io.upstreamoauth.agent.config.ProfileConfig;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code check --url}: which profile and header a URL gets, decided by the agent's own {@link
 * AgentBridge}, and for the entries that almost match, why they do not. The near misses are found
 * with {@link HostPattern#match} itself, by giving it the entry's own scheme, port or path in place
 * of the URL's one at a time: nothing here matches hosts a second way.
 */
final class UrlReport {

  private final AgentBridge bridge;
  private final List<ProfileConfig> profiles;

  UrlReport(AgentBridge bridge, List<ProfileConfig> profiles) {
    this.bridge = bridge;
    this.profiles = profiles;
  }

  /**
   * Returns the lines that explain one URL.
   *
   * @throws IllegalArgumentException when the text is no http or https URL with a host
   */
  List<String> explain(String url) {
    URI uri = parse(url);
    String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
    String host = uri.getHost();
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port = uri.getPort();
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    List<String> lines = new ArrayList<String>();
    HostPattern entry = bridge.servingEntry(scheme, host, port, path);
    if (entry != null) {
      ProfileConfig profile = owner(entry);
      lines.add(
          "url " + url + ": profile '" + profile.name() + "', header " + profile.headerName()
              + " (hosts entry '" + entry.text() + "')");
      return lines;
    }
    lines.add("url " + url + ": no profile, the request goes without a token");
    for (ProfileConfig profile : profiles) {
      for (HostPattern candidate : profile.hosts()) {
        String why = nearMiss(candidate, scheme, host, port, path);
        if (why != null) {
          lines.add("  near miss: profile '" + profile.name() + "', hosts entry '" + candidate.text() + "': " + why);
        }
      }
    }
    return lines;
  }

  /**
   * Parses a {@code --url} argument.
   *
   * @throws IllegalArgumentException when the text is no http or https URL with a host
   */
  static URI parse(String url) {
    URI uri;
    try {
      uri = new URI(url.trim());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("--url '" + url + "' is not a URL: " + e.getReason());
    }
    String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!"http".equals(scheme) && !"https".equals(scheme)) {
      throw new IllegalArgumentException(
          "--url '" + url + "' is not an http or https URL (e.g. https://api.example.com/v1/orders)");
    }
    if (uri.getHost() == null) {
      throw new IllegalArgumentException(
          "--url '" + url + "' has no host (e.g. https://api.example.com/v1/orders)");
    }
    return uri;
  }

  private ProfileConfig owner(HostPattern entry) {
    for (ProfileConfig profile : profiles) {
      if (profile.hosts().contains(entry)) {
        return profile;
      }
    }
    throw new IllegalStateException("no profile has hosts entry " + entry.text());
  }

  /** Returns why an entry that almost matches does not, or null when it is not close. */
  static String nearMiss(HostPattern entry, String scheme, String host, int port, String path) {
    int effectivePort = HostPattern.effectivePort(scheme, port);
    String ownScheme = entry.scheme() != null ? entry.scheme() : scheme;
    int ownPort = entry.port() != -1 ? entry.port() : effectivePort;
    String ownPath = entry.path().isEmpty() ? path : entry.path();
    if (entry.match(ownScheme, host, ownPort, ownPath) != HostPattern.YES) {
      return otherName(entry, host);
    }
    List<String> reasons = new ArrayList<String>();
    if (entry.match(scheme, host, ownPort, ownPath) != HostPattern.YES) {
      reasons.add("the entry is for " + entry.scheme() + " only, the URL is " + scheme);
    }
    if (entry.match(ownScheme, host, effectivePort, ownPath) != HostPattern.YES) {
      reasons.add(
          "the entry is for port " + entry.port() + ", the URL goes to port " + effectivePort
              + (port == -1 ? " (the " + scheme + " default)" : ""));
    }
    int pathMatch = entry.match(ownScheme, host, ownPort, path);
    if (pathMatch == HostPattern.AMBIGUOUS) {
      reasons.add(
          "servers read the path " + path + " in ways that disagree about the prefix " + entry.path()
              + " (dot-segments, ';', '\\' or an encoded '/'), so it gets no token");
    } else if (pathMatch != HostPattern.YES) {
      reasons.add("the path " + path + " is not under " + entry.path() + " (prefixes match whole segments)");
    }
    return reasons.isEmpty() ? null : "the host matches, but " + join(reasons);
  }

  /**
   * Says so when the URL names the entry's host another way: both loopback, or the same address.
   * Hosts entries are compared by name, never resolved, so {@code localhost} is not {@code
   * 127.0.0.1} to the agent.
   */
  private static String otherName(HostPattern entry, String host) {
    if (entry.wildcard()) {
      return null;
    }
    String named = entry.host();
    if (loopback(named) && loopback(host)) {
      return "'" + named + "' and '" + host + "' are both this machine (loopback), but hosts entries"
          + " are compared by name: add '" + host + "' to the hosts, or call '" + named + "'";
    }
    if (!literal(named) && !literal(host)) {
      return null; // two names: looking both up for every entry would make check slow
    }
    try {
      InetAddress[] mine = InetAddress.getAllByName(named);
      InetAddress[] theirs = InetAddress.getAllByName(host);
      for (InetAddress a : mine) {
        for (InetAddress b : theirs) {
          if (a.equals(b)) {
            return "'" + named + "' and '" + host + "' are the same address (" + a.getHostAddress()
                + "), but hosts entries are compared by name: add '" + host + "' to the hosts";
          }
        }
      }
    } catch (UnknownHostException | SecurityException e) {
      return null; // no address to compare: no near miss to report
    }
    return null;
  }

  private static boolean loopback(String host) {
    String name = host.toLowerCase(Locale.ROOT);
    if (name.equals("localhost") || name.endsWith(".localhost")) {
      return true;
    }
    if (!literal(name)) {
      return false; // a name: resolving it is for the same-address check
    }
    try {
      return InetAddress.getByName(name).isLoopbackAddress(); // a literal: no lookup
    } catch (UnknownHostException e) {
      return false;
    }
  }

  private static boolean literal(String host) {
    return host.indexOf(':') >= 0 || host.matches("[0-9.]+");
  }

  private static String join(List<String> reasons) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < reasons.size(); i++) {
      text.append(i == 0 ? "" : i == reasons.size() - 1 ? " and " : ", ").append(reasons.get(i));
    }
    return text.toString();
  }
}
