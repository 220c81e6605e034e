package io.upstreamoauth.agent.cli.kong;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns Kong vault references and decK environment substitutions into the agent's {@code
 * ${env:NAME}} and {@code ${file:/path}} references. The env vault reads the variable {@code
 * upper(prefix + resource)} with '-' as '_' ({@code kong/vaults/env/init.lua}), so {@code
 * {vault://env/my-secret}} is {@code ${env:MY_SECRET}}.
 */
final class KongVaults {

  /** {vault://backend/resource[/key][#version][?query]}, as Kong's vault reference parser reads it. */
  private static final Pattern REFERENCE =
      Pattern.compile("\\{vault://([^/}]+)/([^}]*)\\}");
  /** decK's {@code ${{ env "DECK_X" }}}. */
  private static final Pattern DECK_ENV = Pattern.compile("\\$\\{\\{\\s*env\\s+\"([A-Za-z0-9_]+)\"\\s*\\}\\}");

  /** Vault prefix (as written in a reference) to backend name and env prefix, from decK's vaults. */
  private final Map<String, String[]> vaults = new HashMap<String, String[]>();

  /** Records a vault entity: references {@code {vault://<prefix>/...}} go to backend {@code name}. */
  void declare(String prefix, String name, String envPrefix) {
    vaults.put(prefix, new String[] {name, envPrefix});
  }

  /** The agent's reference for a value, and a note when it could not be exact. */
  static final class Resolved {
    final String value;
    final String note; // null when exact

    Resolved(String value, String note) {
      this.value = value;
      this.note = note;
    }
  }

  /** Returns true when the value is or holds a vault reference or decK substitution. */
  static boolean isReference(String value) {
    return REFERENCE.matcher(value).find() || DECK_ENV.matcher(value).find();
  }

  /**
   * Rewrites the references in a value; returns null when it has none.
   *
   * @param field the Kong field, for notes
   */
  Resolved resolve(String value, String field) {
    Matcher deck = DECK_ENV.matcher(value);
    StringBuffer out = new StringBuffer();
    boolean found = false;
    while (deck.find()) {
      found = true;
      deck.appendReplacement(out, Matcher.quoteReplacement("${env:" + deck.group(1) + "}"));
    }
    deck.appendTail(out);
    String text = out.toString();
    Matcher vault = REFERENCE.matcher(text);
    StringBuffer rewritten = new StringBuffer();
    StringBuilder notes = new StringBuilder();
    while (vault.find()) {
      found = true;
      String replacement = vaultReference(vault.group(1), vault.group(2), field, notes);
      vault.appendReplacement(rewritten, Matcher.quoteReplacement(replacement));
    }
    vault.appendTail(rewritten);
    if (!found) {
      return null;
    }
    return new Resolved(rewritten.toString(), notes.length() == 0 ? null : notes.toString());
  }

  private String vaultReference(String prefix, String rest, String field, StringBuilder notes) {
    String[] declared = vaults.get(prefix);
    String backend = declared != null ? declared[0] : prefix;
    String envPrefix = declared != null && declared[1] != null ? declared[1] : "";
    String resource = rest;
    String query = "";
    int question = resource.indexOf('?');
    if (question >= 0) {
      query = resource.substring(question + 1);
      resource = resource.substring(0, question);
    }
    String version = null;
    int hash = resource.indexOf('#');
    if (hash >= 0) {
      version = resource.substring(hash + 1);
      resource = resource.substring(0, hash);
    }
    String key = null;
    int slash = resource.indexOf('/');
    if (slash >= 0) {
      key = resource.substring(slash + 1);
      resource = resource.substring(0, slash);
    }
    if (backend.equals("env")) {
      for (String parameter : query.split("&")) {
        if (parameter.startsWith("prefix=")) {
          envPrefix = parameter.substring("prefix=".length());
        }
      }
      String variable = (envPrefix + resource).replace('-', '_').toUpperCase(Locale.ROOT);
      if (version != null && !version.equals("1")) {
        variable = variable + "_PREVIOUS"; // Kong's env vault reads <VAR>_PREVIOUS for #2
      }
      if (key != null) {
        append(notes, field + ": Kong read key '" + key + "' of the JSON in " + variable
            + "; the agent reads the whole variable, so set " + variable + " to that key's value alone");
      }
      return "${env:" + variable + "}";
    }
    String file = "/run/secrets/" + (resource + (key != null ? "-" + key : "")).replaceAll("[^A-Za-z0-9._-]", "_");
    append(notes, field + ": Kong read it from the '" + backend + "' vault (" + resource
        + (key != null ? ", key " + key : "") + "); the agent has no vault client: mount that secret as the file "
        + file + " (a Kubernetes secret volume, the vault agent's template, ...)");
    return "${file:" + file + "}";
  }

  private static void append(StringBuilder notes, String note) {
    if (notes.length() > 0) {
      notes.append("; ");
    }
    notes.append(note);
  }
}
