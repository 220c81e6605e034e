package io.upstreamoauth.agent.cli.kong;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** One {@code upstream-oauth} plugin instance and what the file says about where it applies. */
final class KongInstance {

  /** The plugin object: name, config, enabled, instance_name, service, route, ... */
  final Map<String, Object> plugin;
  /** Where the plugin sits, for comments: "service 'billing'", "route 'r1'", "global". */
  final String attachedTo;
  /** A name to derive the profile name from: instance_name, service or route name. */
  final String nameHint;
  /** The agent's hosts entries for the requests the plugin saw; empty when the file does not say. */
  final List<String> hosts = new ArrayList<String>();
  /** Why hosts could not be derived, or what else to know about them. */
  final List<String> hostNotes = new ArrayList<String>();

  KongInstance(Map<String, Object> plugin, String attachedTo, String nameHint) {
    this.plugin = plugin;
    this.attachedTo = attachedTo;
    this.nameHint = nameHint;
  }
}
