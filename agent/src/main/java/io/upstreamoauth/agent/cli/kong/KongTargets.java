package io.upstreamoauth.agent.cli.kong;

import static io.upstreamoauth.agent.cli.kong.KongNodes.list;
import static io.upstreamoauth.agent.cli.kong.KongNodes.map;
import static io.upstreamoauth.agent.cli.kong.KongNodes.text;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The agent's {@code hosts} entries for what a plugin is attached to: a service's upstream
 * address ({@code url}, or {@code protocol}, {@code host}, {@code port}, {@code path}; an upstream
 * entity's targets when {@code host} names one), or a route's {@code hosts} and {@code paths}.
 */
final class KongTargets {

  private final List<Object> upstreams;
  private final KongInstance instance;

  KongTargets(List<Object> upstreams, KongInstance instance) {
    this.upstreams = upstreams;
    this.instance = instance;
  }

  /** A service's plugin applies to the requests Kong sent to the service's upstream. */
  void service(Map<String, Object> service) {
    instance.hosts.addAll(serviceEntries(service));
  }

  /**
   * A route's plugin applies to the requests that matched the route: the application, still
   * calling through Kong, sends them to the route's hosts and paths.
   */
  void route(Map<String, Object> route, Map<String, Object> service) {
    List<Object> hosts = list(route.get("hosts"));
    List<Object> paths = list(route.get("paths"));
    List<String> protocols = new ArrayList<String>();
    for (Object protocol : list(route.get("protocols"))) {
      protocols.add(text(protocol));
    }
    String scheme = protocols.size() == 1 && ("http".equals(protocols.get(0)) || "https".equals(protocols.get(0)))
        ? protocols.get(0) + "://" : "";
    List<String> prefixes = new ArrayList<String>();
    for (Object path : paths) {
      String text = text(path);
      if (text == null) {
        continue;
      }
      if (text.startsWith("~")) {
        instance.hostNotes.add("route path '" + text + "' is a regular expression; the agent matches"
            + " path prefixes only: write the prefixes it stands for");
        continue;
      }
      prefixes.add(trimSlash(text));
    }
    if (prefixes.isEmpty()) {
      prefixes.add("");
    }
    for (Object host : hosts) {
      String name = text(host);
      if (name == null) {
        continue;
      }
      if (name.endsWith(".*")) {
        instance.hostNotes.add("route host '" + name + "' ends in a wildcard; the agent takes"
            + " wildcards only at the start (*.domain): list the names it stands for");
        continue;
      }
      for (String prefix : prefixes) {
        instance.hosts.add(scheme + name + prefix);
      }
    }
    List<String> direct = service == null ? new ArrayList<String>() : serviceEntries(service);
    if (hosts.isEmpty()) {
      StringBuilder note = new StringBuilder("the route matches ");
      note.append(paths.isEmpty() ? "any path" : "paths " + paths).append(" on any host: hosts must be"
          + " filled in with the Kong address the application calls, followed by those paths");
      instance.hostNotes.add(note.toString());
    }
    if (!direct.isEmpty()) {
      instance.hostNotes.add("if the application now calls the service directly instead of"
          + " through Kong, the hosts are: " + String.join(",", direct));
    }
  }

  private List<String> serviceEntries(Map<String, Object> service) {
    List<String> entries = new ArrayList<String>();
    String[] address = KongPlugins.serviceAddress(service);
    if (address == null || address[1] == null) {
      instance.hostNotes.add("service '" + KongPlugins.name(service) + "' has no readable url or host:"
          + " hosts must be filled in");
      return entries;
    }
    String scheme = address[0] == null ? "http" : address[0];
    if (scheme.equals("ws")) {
      scheme = "http";
    } else if (scheme.equals("wss")) {
      scheme = "https";
    } else if (!scheme.equals("http") && !scheme.equals("https")) {
      instance.hostNotes.add("service '" + KongPlugins.name(service) + "' speaks " + scheme
          + "; the agent adds tokens to HTTP requests only");
      return entries;
    }
    String path = address[3] == null ? "" : trimSlash(address[3]);
    String port = address[2];
    List<String> targets = new ArrayList<String>();
    Map<String, Object> upstream = upstream(address[1]);
    if (upstream != null) {
      for (Object target : list(upstream.get("targets"))) {
        String text = text(map(target), "target");
        if (text != null) {
          // a target without a port is on Kong's default target port, 8000
          targets.add(text.lastIndexOf(':') > text.lastIndexOf(']') ? text : text + ":8000");
        }
      }
      if (targets.isEmpty()) {
        instance.hostNotes.add("upstream '" + address[1] + "' lists no targets: hosts must be filled in");
      }
    } else {
      boolean defaultPort = port == null
          || (scheme.equals("http") && port.equals("80"))
          || (scheme.equals("https") && port.equals("443"));
      targets.add(address[1] + (defaultPort ? "" : ":" + port));
    }
    for (String target : targets) {
      entries.add(scheme + "://" + target + path);
    }
    return entries;
  }

  private Map<String, Object> upstream(String host) {
    for (Object upstream : upstreams) {
      if (host.equals(text(map(upstream), "name"))) {
        return map(upstream);
      }
    }
    return null;
  }

  private static String trimSlash(String path) {
    String trimmed = path;
    while (trimmed.endsWith("/")) {
      trimmed = trimmed.substring(0, trimmed.length() - 1);
    }
    return trimmed;
  }
}
