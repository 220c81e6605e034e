package io.upstreamoauth.agent.cli.kong;

import static io.upstreamoauth.agent.cli.kong.KongNodes.list;
import static io.upstreamoauth.agent.cli.kong.KongNodes.map;
import static io.upstreamoauth.agent.cli.kong.KongNodes.reference;
import static io.upstreamoauth.agent.cli.kong.KongNodes.text;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Finds the {@code upstream-oauth} instances of a decK file (plugins nested in services, routes
 * and consumers, and top-level plugins naming a service or route) or of an Admin API answer (one
 * plugin, or a page {@code {"data": [...]}}), with the hosts of what each is attached to.
 */
final class KongPlugins {

  static final String PLUGIN = "upstream-oauth";

  private final Map<String, Object> root;
  private final List<Map<String, Object>> services = new ArrayList<Map<String, Object>>();
  private final List<Map<String, Object>> routes = new ArrayList<Map<String, Object>>();
  private final List<KongInstance> found = new ArrayList<KongInstance>();

  private KongPlugins(Map<String, Object> root) {
    this.root = root;
  }

  /** Returns the instances in file order. */
  static List<KongInstance> find(Object document) {
    List<Object> plugins = new ArrayList<Object>();
    if (document instanceof List) {
      plugins.addAll(list(document)); // a bare list of Admin API plugins
    } else if (map(document).containsKey("config") && map(document).containsKey("name")) {
      plugins.add(document); // GET /plugins/{id}
    } else if (map(document).get("data") instanceof List) {
      plugins.addAll(list(map(document).get("data"))); // GET /plugins
    } else {
      return new KongPlugins(map(document)).readDeck();
    }
    KongPlugins admin = new KongPlugins(map(document));
    for (Object plugin : plugins) {
      admin.plugin(map(plugin), null, null, null);
    }
    return admin.found;
  }

  private List<KongInstance> readDeck() {
    for (Object service : list(root.get("services"))) {
      services.add(map(service));
      for (Object route : list(map(service).get("routes"))) {
        Map<String, Object> copy = new java.util.LinkedHashMap<String, Object>(map(route));
        copy.put("service", map(service));
        routes.add(copy);
      }
    }
    for (Object route : list(root.get("routes"))) {
      routes.add(map(route));
    }
    for (Object service : list(root.get("services"))) {
      for (Object plugin : list(map(service).get("plugins"))) {
        plugin(map(plugin), map(service), null, null);
      }
      for (Object route : list(map(service).get("routes"))) {
        for (Object plugin : list(map(route).get("plugins"))) {
          plugin(map(plugin), map(service), map(route), null);
        }
      }
    }
    for (Object route : list(root.get("routes"))) {
      for (Object plugin : list(map(route).get("plugins"))) {
        plugin(map(plugin), null, map(route), null);
      }
    }
    for (Object consumer : list(root.get("consumers"))) {
      for (Object plugin : list(map(consumer).get("plugins"))) {
        plugin(map(plugin), null, null, map(consumer));
      }
    }
    for (Object group : list(root.get("consumer_groups"))) {
      Map<String, Object> named = new java.util.LinkedHashMap<String, Object>();
      named.put("name", "group " + text(map(group), "name"));
      for (Object plugin : list(map(group).get("plugins"))) {
        plugin(map(plugin), null, null, named);
      }
    }
    for (Object plugin : list(root.get("plugins"))) {
      plugin(map(plugin), null, null, null);
    }
    return found;
  }

  private void plugin(
      Map<String, Object> plugin,
      Map<String, Object> service,
      Map<String, Object> route,
      Map<String, Object> consumer) {
    if (!PLUGIN.equals(text(plugin, "name"))) {
      return;
    }
    String serviceRef = reference(plugin.get("service"));
    String routeRef = reference(plugin.get("route"));
    if (route == null && routeRef != null) {
      route = byReference(routes, routeRef);
    }
    if (service == null && serviceRef != null) {
      service = byReference(services, serviceRef);
    }
    if (route != null && service == null) {
      Object owner = route.get("service");
      boolean inline = map(owner).containsKey("host") || map(owner).containsKey("url");
      service = inline ? map(owner) : byReference(services, reference(owner));
    }
    String attachedTo;
    String hint = text(plugin, "instance_name");
    if (route != null || routeRef != null) {
      String name = route != null ? name(route) : routeRef;
      attachedTo = "route '" + name + "'";
      hint = hint != null ? hint : name;
    } else if (service != null || serviceRef != null) {
      String name = service != null ? name(service) : serviceRef;
      attachedTo = "service '" + name + "'";
      hint = hint != null ? hint : name;
    } else if (consumer != null) {
      attachedTo = "consumer '" + reference(consumer) + "'";
    } else {
      attachedTo = "all services (global)";
    }
    KongInstance instance = new KongInstance(plugin, attachedTo, hint);
    KongTargets targets = new KongTargets(list(root.get("upstreams")), instance);
    if (route != null) {
      targets.route(route, service);
    } else if (service != null) {
      targets.service(service);
    } else if (routeRef != null || serviceRef != null) {
      instance.hostNotes.add("the file does not describe " + attachedTo
          + ": hosts must be filled in with the address the application calls");
    } else {
      instance.hostNotes.add("Kong applied it to every service"
          + (consumer != null ? " for consumer '" + reference(consumer) + "'" : "")
          + ": hosts must be filled in with the upstream addresses that need the token");
    }
    String consumerRef = consumer != null ? reference(consumer) : reference(plugin.get("consumer"));
    if (consumerRef != null) {
      instance.hostNotes.add("Kong added the token only for consumer '" + consumerRef
          + "'; the agent has no consumers: every call to these hosts from this JVM gets it");
    }
    found.add(instance);
  }

  private static Map<String, Object> byReference(List<Map<String, Object>> entities, String ref) {
    if (ref == null) {
      return null;
    }
    for (Map<String, Object> entity : entities) {
      if (ref.equals(text(entity, "name")) || ref.equals(text(entity, "id"))) {
        return entity;
      }
    }
    return null;
  }

  static String name(Map<String, Object> entity) {
    String name = text(entity, "name");
    return name != null ? name : text(entity, "id");
  }

  /** Returns the scheme, host, port and path of a service, from its url or its fields. */
  static String[] serviceAddress(Map<String, Object> service) {
    String url = text(service, "url");
    if (url != null) {
      try {
        URI uri = new URI(url);
        return new String[] {
          uri.getScheme(), uri.getHost(), uri.getPort() < 0 ? null : Integer.toString(uri.getPort()), uri.getRawPath()
        };
      } catch (URISyntaxException e) {
        return null;
      }
    }
    String protocol = text(service, "protocol");
    return new String[] {
      protocol == null ? "http" : protocol, text(service, "host"), text(service, "port"), text(service, "path")
    };
  }
}
