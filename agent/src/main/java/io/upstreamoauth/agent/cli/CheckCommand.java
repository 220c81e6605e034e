package io.upstreamoauth.agent.cli;

import io.upstreamoauth.agent.bridge.AgentBridge;
import io.upstreamoauth.agent.bridge.AgentBridges;
import io.upstreamoauth.agent.config.AgentConfig;
import io.upstreamoauth.agent.config.ConfigException;
import io.upstreamoauth.agent.config.ConfigKey;
import io.upstreamoauth.agent.config.ConfigLoader;
import io.upstreamoauth.agent.config.ProfileConfig;
import io.upstreamoauth.agent.dpop.DpopContext;
import io.upstreamoauth.agent.dpop.DpopNonces;
import io.upstreamoauth.agent.oauth.TokenEndpointClient;
import io.upstreamoauth.agent.oauth.TokenFetchException;
import io.upstreamoauth.agent.oauth.TokenResponse;
import io.upstreamoauth.agent.util.AgentLog;
import io.upstreamoauth.agent.util.Clock;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code check [--url URL ...] [file]}: reads the configuration as the agent would, reports every
 * problem, asks each profile's IdP for one token, and says which profile serves each URL. It
 * prints no token and no secret: of a token, only what it claims and a short fingerprint.
 */
final class CheckCommand {

  private final Map<String, String> systemProperties;
  private final Map<String, String> environment;
  private final PrintStream out;
  private final PrintStream err;

  CheckCommand(
      Map<String, String> systemProperties, Map<String, String> environment, PrintStream out, PrintStream err) {
    this.systemProperties = systemProperties;
    this.environment = environment;
    this.out = out;
    this.err = err;
  }

  int run(List<String> args) {
    List<String> urls = new ArrayList<String>();
    String file = null;
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (arg.equals("--url")) {
        if (i + 1 == args.size()) {
          err.println("check: --url needs a URL, e.g. --url https://api.example.com/v1/orders");
          return Commands.INVALID;
        }
        urls.add(args.get(++i));
      } else if (arg.startsWith("--url=")) {
        urls.add(arg.substring("--url=".length()));
      } else if (arg.startsWith("-") || file != null) {
        err.println("check: unexpected argument '" + arg + "'");
        Commands.usage(err);
        return Commands.INVALID;
      } else {
        file = arg;
      }
    }
    for (String url : urls) {
      try {
        UrlReport.parse(url); // before any token request: a typo costs the IdP nothing
      } catch (IllegalArgumentException e) {
        err.println("check: " + e.getMessage());
        return Commands.INVALID;
      }
    }
    AgentConfig config;
    try {
      config = ConfigLoader.load(systemProperties, environment, file);
    } catch (ConfigException e) {
      out.println("the configuration is invalid:");
      out.println(e.getMessage());
      return Commands.INVALID;
    }
    if (!config.enabled()) {
      out.println("the agent is disabled (" + ConfigKey.ENABLED.fullName(null) + "=false): it would do nothing");
      return Commands.OK;
    }
    if (config.profiles().isEmpty()) {
      out.println(
          "no " + ConfigKey.PREFIX + "* configuration was found: set " + ConfigKey.HOSTS.fullName(null)
              + " and the IdP's keys, or name a properties file (see `help`)");
      return Commands.INVALID;
    }
    AgentLog.setLevel(config.logLevel());
    out.println("the configuration is valid: " + config.profiles().size() + " profile(s)");
    boolean refused = false;
    for (ProfileConfig profile : config.profiles()) {
      refused |= !checkProfile(profile);
    }
    if (!urls.isEmpty()) {
      UrlReport report = new UrlReport(AgentBridges.create(config, Clock.SYSTEM), config.profiles());
      for (String url : urls) {
        for (String line : report.explain(url)) {
          out.println(line);
        }
      }
    }
    return refused ? Commands.IDP_REFUSED : Commands.OK;
  }

  /**
   * Says which key the token is bound to: the proof key's JWK thumbprint, to compare with the
   * token's {@code cnf.jkt} (RFC 9449 §6.1). A key made per JVM is this command's own, not the one
   * an application will make.
   */
  private static String dpopLine(DpopContext dpop, TokenResponse token) {
    String jkt;
    try {
      jkt = dpop.key().thumbprint();
    } catch (java.security.GeneralSecurityException e) {
      return "dpop: no key: " + AgentLog.describe(e);
    }
    java.util.Map<String, String> claims = JwtClaims.read(token.accessToken());
    String cnf = claims == null ? null : claims.get("cnf");
    String binding =
        !"DPoP".equals(token.tokenType())
            ? "the IdP sent a " + token.tokenType() + " token, not a DPoP-bound one"
            : cnf == null ? "no cnf to compare with" : cnf.contains("\"" + jkt + "\"") ? "cnf.jkt matches" : "cnf.jkt DIFFERS";
    return "dpop: " + dpop.settings().alg() + " key, jkt " + jkt
        + (dpop.settings().keyFile() == null ? " (made for this check)" : " (" + dpop.settings().keyFile() + ")")
        + ", " + binding;
  }

  /** Describes a profile and asks its IdP for a token; returns false when none came. */
  private boolean checkProfile(ProfileConfig profile) {
    out.println("profile '" + profile.name() + "'");
    out.println("  endpoint: " + profile.oauth().tokenEndpoint());
    out.println(
        "  grant: " + profile.oauth().grantType().value() + ", auth method: "
            + profile.oauth().authMethod().value() + ", cache: " + profile.cache().strategy().value());
    out.println("  hosts: " + profile.hosts() + ", header: " + profile.headerName());
    TokenResponse token;
    DpopContext dpop =
        profile.oauth().dpop() == null ? null : new DpopContext(profile.oauth().dpop(), new DpopNonces(), Clock.SYSTEM);
    try {
      token = new TokenEndpointClient(profile.oauth(), Clock.SYSTEM, dpop).fetch();
    } catch (TokenFetchException e) {
      // the message names the IdP's error and never holds a secret
      boolean refused = e.kind() == TokenFetchException.Kind.CONFIGURATION;
      out.println("  token: " + (refused ? "REFUSED (configuration): " : "FAILED (transient): ") + e.getMessage());
      return false;
    } catch (RuntimeException e) {
      out.println("  token: FAILED: " + AgentLog.describe(e));
      return false;
    }
    for (String line : TokenReport.describe(token, profile.oauth().scopes())) {
      out.println("  " + line);
    }
    if (dpop != null) {
      out.println("  " + dpopLine(dpop, token));
    }
    return true;
  }
}
