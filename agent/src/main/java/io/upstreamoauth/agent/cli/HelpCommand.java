package io.upstreamoauth.agent.cli;

import io.upstreamoauth.agent.config.ConfigKey;
import io.upstreamoauth.agent.util.AgentVersion;
import java.io.PrintStream;

/** {@code help}: every key with its default and meaning, from {@link ConfigKey} itself. */
final class HelpCommand {

  private HelpCommand() {}

  static void print(PrintStream out) {
    out.println("upstream-oauth-agent " + AgentVersion.agent() + ": configuration keys");
    out.println();
    out.println("Every key is read from a system property (-D" + ConfigKey.PREFIX + "<key>), an");
    out.println("environment variable (" + ConfigKey.envName("<KEY>") + ", '.' and '-' as '_'), or a");
    out.println("properties file, in that order. With " + ConfigKey.PROFILES.fullName(null) + "=a,b each profile");
    out.println("has its own keys, " + ConfigKey.PREFIX + "<profile>.<key>; top-level ones are defaults.");
    out.println("Full reference: docs/configuration.md.");
    out.println();
    for (ConfigKey key : ConfigKey.values()) {
      entry(
          out,
          key.key(),
          key.shownDefault(),
          (key.scope() == ConfigKey.Scope.GLOBAL ? "top level only; " : "")
              + (key.scope() == ConfigKey.Scope.PROFILE_OWN ? "per profile, never inherited; " : "")
              + key.meaning());
    }
    entry(out, ConfigKey.TOKEN_HEADERS + "<Header-Name>", "—", ConfigKey.TOKEN_HEADERS_MEANING);
    entry(out, ConfigKey.TOKEN_POST_ARGS + "<name>", "—", ConfigKey.TOKEN_POST_ARGS_MEANING);
  }

  private static void entry(PrintStream out, String key, String shownDefault, String meaning) {
    String shown = shownDefault.equals("—") ? "none" : shownDefault.replace("`", ""); // ASCII terminals
    out.println(ConfigKey.PREFIX + key + "  (default: " + shown + ")");
    out.println("    " + meaning);
  }
}
