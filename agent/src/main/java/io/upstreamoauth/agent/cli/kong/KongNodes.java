package io.upstreamoauth.agent.cli.kong;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/** Null-safe access to the maps, lists and scalars of a parsed Kong file. */
final class KongNodes {

  private KongNodes() {}

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object node) {
    return node instanceof Map ? (Map<String, Object>) node : Collections.<String, Object>emptyMap();
  }

  static Map<String, Object> map(Map<String, Object> parent, String name) {
    return map(parent.get(name));
  }

  static List<Object> list(Object node) {
    List<Object> list = new ArrayList<Object>();
    if (node instanceof List) {
      list.addAll((List<?>) node);
    }
    return list;
  }

  /** Returns a scalar as text (integral numbers without ".0"), or null. */
  static String text(Object node) {
    if (node == null || node instanceof Map || node instanceof List) {
      return null;
    }
    if (node instanceof Double || node instanceof Float) {
      double value = ((Number) node).doubleValue();
      if (value == Math.rint(value) && !Double.isInfinite(value)) {
        return Long.toString((long) value);
      }
    }
    return node.toString();
  }

  static String text(Map<String, Object> parent, String name) {
    return text(parent.get(name));
  }

  /** A reference to another entity: decK writes a name or id, the Admin API {"id": ...}. */
  static String reference(Object node) {
    if (node instanceof Map) {
      Map<String, Object> map = map(node);
      String name = text(map, "name");
      return name != null ? name : text(map, "id");
    }
    return text(node);
  }
}
