package io.upstreamoauth.agent.cli;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The commands of {@code java -jar upstream-oauth-agent.jar <command>}, run by {@link Main} in a
 * class loader that also sees the bootstrap classes. Nothing on the agent's start-up path refers
 * to this package, so the agent never loads it.
 */
public final class Commands {

  /** Exit code: all is well. */
  static final int OK = 0;
  /** Exit code: the IdP refused (or could not be asked for) a token. */
  static final int IDP_REFUSED = 1;
  /** Exit code: the configuration or the command line is invalid. */
  static final int INVALID = 2;

  private Commands() {}

  /** Runs one command in this JVM and exits with its code; {@link Main} calls it by reflection. */
  public static void main(String[] args) {
    Map<String, String> properties = new HashMap<String, String>();
    Properties system = System.getProperties();
    for (String name : system.stringPropertyNames()) {
      properties.put(name, system.getProperty(name));
    }
    int code = run(args, properties, System.getenv(), System.out, System.err);
    System.out.flush();
    System.exit(code);
  }

  /**
   * Runs one command.
   *
   * @param args the command and its arguments
   * @param systemProperties the {@code -D} properties the command was given
   * @param environment the environment
   * @return the exit code
   */
  static int run(
      String[] args,
      Map<String, String> systemProperties,
      Map<String, String> environment,
      PrintStream out,
      PrintStream err) {
    if (args.length == 0) {
      usage(err);
      return INVALID;
    }
    List<String> rest = Arrays.asList(args).subList(1, args.length);
    String command = args[0];
    if (command.equals("help") || command.equals("--help") || command.equals("-h")) {
      if (!rest.isEmpty()) {
        return unexpected(rest, err);
      }
      HelpCommand.print(out);
      return OK;
    }
    if (command.equals("version") || command.equals("--version")) {
      if (!rest.isEmpty()) {
        return unexpected(rest, err);
      }
      VersionCommand.print(out);
      return OK;
    }
    if (command.equals("from-kong")) {
      return FromKongCommand.run(rest, out, err);
    }
    if (command.equals("check")) {
      return new CheckCommand(systemProperties, environment, out, err).run(rest);
    }
    err.println("unknown command '" + command + "'");
    usage(err);
    return INVALID;
  }

  private static int unexpected(List<String> rest, PrintStream err) {
    err.println("unexpected arguments: " + rest);
    usage(err);
    return INVALID;
  }

  static void usage(PrintStream err) {
    err.println("usage: java [-Dupstream.oauth.<key>=<value> ...] -jar upstream-oauth-agent.jar <command>");
    err.println();
    err.println("commands:");
    err.println("  help                            every configuration key, its default and meaning");
    err.println("  version                         the agent's, Byte Buddy's and Java's versions");
    err.println("  check [--url URL ...] [file]    validate the configuration (system properties,");
    err.println("                                  UPSTREAM_OAUTH_* variables, the properties file),");
    err.println("                                  fetch one token per profile, and say which profile");
    err.println("                                  serves each URL; exit 0 ok, 1 the IdP refused,");
    err.println("                                  2 the configuration is invalid");
    err.println("  from-kong <file>                print the agent configuration for the upstream-oauth");
    err.println("                                  plugins of a Kong decK file (YAML or JSON) or Admin");
    err.println("                                  API answer (docs/kong.md)");
  }
}
