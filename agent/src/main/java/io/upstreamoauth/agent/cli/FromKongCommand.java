package io.upstreamoauth.agent.cli;

import io.upstreamoauth.agent.cli.kong.KongConverter;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.List;

/**
 * {@code from-kong <file>}: prints the agent configuration for the {@code upstream-oauth} plugin
 * instances of a Kong declarative configuration or Admin API answer (docs/kong.md).
 */
final class FromKongCommand {

  private FromKongCommand() {}

  static int run(List<String> args, PrintStream out, PrintStream err) {
    if (args.size() != 1 || args.get(0).startsWith("-")) {
      err.println("usage: java -jar upstream-oauth-agent.jar from-kong <kong.yaml|kong.json>");
      return Commands.INVALID;
    }
    String file = args.get(0);
    String text;
    try {
      text = new String(Files.readAllBytes(Paths.get(file)), StandardCharsets.UTF_8);
    } catch (IOException e) {
      err.println("from-kong: cannot read '" + file + "': " + e.getClass().getSimpleName());
      return Commands.INVALID;
    }
    KongConverter.Result result;
    try {
      result = KongConverter.convert(text, file);
    } catch (IllegalArgumentException e) {
      err.println("from-kong: " + file + ": " + e.getMessage());
      return Commands.INVALID;
    }
    out.print(result.properties);
    err.println("from-kong: " + result.profiles.size() + " profile(s): " + String.join(", ", result.profiles));
    if (!result.variables.isEmpty()) {
      err.println("from-kong: set the environment variables " + String.join(", ", result.variables));
    }
    if (!result.missingHosts.isEmpty()) {
      err.println("from-kong: fill in the hosts of " + String.join(", ", result.missingHosts));
    }
    return Commands.OK;
  }
}
