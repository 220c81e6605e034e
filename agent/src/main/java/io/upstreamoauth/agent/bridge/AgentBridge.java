package io.upstreamoauth.agent.bridge;

import io.upstreamoauth.agent.cache.CachedToken;
import io.upstreamoauth.agent.config.HostPattern;
import io.upstreamoauth.agent.config.IdpErrorAction;
import io.upstreamoauth.agent.config.ProfileConfig;
import io.upstreamoauth.agent.dpop.DpopContext;
import io.upstreamoauth.agent.dpop.DpopNonces;
import java.security.GeneralSecurityException;
import io.upstreamoauth.agent.oauth.TokenFetchException;
import io.upstreamoauth.agent.token.TokenManager;
import io.upstreamoauth.agent.util.AgentLog;
import io.upstreamoauth.agent.util.InternalCall;
import io.upstreamoauth.bootstrap.Decision;
import io.upstreamoauth.bootstrap.OAuthBridge;
import io.upstreamoauth.bootstrap.Resume;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one place that decides which header goes on which request ({@link #decide}): advice
 * everywhere asks it once per physical request and only applies the answer. The rules:
 *
 * <ul>
 *   <li>A request gets a profile's token only when its scheme, host, port and path, as the server
 *       will read them, match that profile's hosts; the most specific entry wins.
 *   <li>On every request, every value the agent issued under any header name comes off unless
 *       this request's route sets that name: no hop, host or profile ever carries another's token.
 *   <li>A path that servers read in disagreeing ways ({@code /api/..;x/admin}) gets no token.
 *   <li>A configured target with no token fails (or goes without one in proceed mode); a caller
 *       that may not wait gets a future to continue on instead.
 *   <li>The agent's own token requests are never served.
 * </ul>
 */
public final class AgentBridge implements OAuthBridge {

  private static final int LOGGED_ADVICE_ERRORS = 5;

  private final Route.Entry[] entries;
  private final Route[] routes;
  private final String[] headerNames;
  /** The decision for every target that is not served: shared, it sets nothing. */
  private final Decision pass;
  private final AtomicInteger adviceErrors = new AtomicInteger();

  /**
   * @param profiles each profile with its token manager, in configuration order
   */
  AgentBridge(Map<ProfileConfig, TokenManager> profiles) {
    this(profiles, java.util.Collections.<ProfileConfig, DpopContext>emptyMap());
  }

  /**
   * @param profiles each profile with its token manager, in configuration order
   * @param dpop the DPoP context of each profile with {@code dpop=true}
   */
  AgentBridge(Map<ProfileConfig, TokenManager> profiles, Map<ProfileConfig, DpopContext> dpop) {
    List<String> names = new ArrayList<String>();
    for (ProfileConfig profile : profiles.keySet()) {
      if (indexOfIgnoreCase(names, profile.headerName()) < 0) {
        names.add(profile.headerName());
      }
    }
    if (!dpop.isEmpty() && indexOfIgnoreCase(names, Route.DPOP_HEADER) < 0) {
      names.add(Route.DPOP_HEADER); // a proof comes off every request its route does not serve, too
    }
    this.headerNames = names.toArray(new String[0]);
    this.pass = Decision.pass(this, headerNames);
    List<Route> all = new ArrayList<Route>();
    List<Route.Entry> patterns = new ArrayList<Route.Entry>();
    for (Map.Entry<ProfileConfig, TokenManager> profile : profiles.entrySet()) {
      Route route = new Route(profile.getKey(), profile.getValue(), this, headerNames, dpop.get(profile.getKey()));
      all.add(route);
      for (HostPattern pattern : profile.getKey().hosts()) {
        patterns.add(new Route.Entry(pattern, route));
      }
    }
    Collections.sort(
        patterns,
        new Comparator<Route.Entry>() {
          @Override
          public int compare(Route.Entry a, Route.Entry b) {
            return a.pattern.compareTo(b.pattern);
          }
        });
    this.entries = patterns.toArray(new Route.Entry[0]);
    this.routes = all.toArray(new Route[0]);
  }

  private static int indexOfIgnoreCase(List<String> names, String name) {
    for (int i = 0; i < names.size(); i++) {
      if (names.get(i).equalsIgnoreCase(name)) {
        return i;
      }
    }
    return -1;
  }

  @Override
  public Decision decide(String scheme, String host, int port, String path, String method, boolean mayWait) {
    if (InternalCall.isActive()) {
      return pass;
    }
    Route route = route(scheme, host, port, path);
    if (route == null) {
      return pass;
    }
    CachedToken token = route.tokens.cachedToken();
    if (token == null && !mayWait) {
      // a call resumed after waiting for one token request never starts another: no loop
      CompletableFuture<CachedToken> ready = route.tokens.tokenAsync(!Resume.resuming());
      if (!ready.isDone()) {
        return Decision.waitFor(this, headerNames, ready);
      }
      try {
        token = ready.get();
      } catch (ExecutionException e) {
        return unavailable(route, scheme, host, port, e.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return unavailable(route, scheme, host, port, e);
      }
    } else if (token == null) {
      try {
        token = route.tokens.token();
      } catch (TokenFetchException e) {
        return unavailable(route, scheme, host, port, e);
      }
    }
    Decision decision = route.decision(token);
    if (route.bound(token)) {
      try {
        decision = route.withProof(decision, token, scheme, host, port, path, method);
      } catch (GeneralSecurityException | RuntimeException e) {
        return unavailable(route, scheme, host, port, e);
      }
    }
    route.metrics.givenToken();
    return decision;
  }

  /** What a request to a served target gets when its token cannot be had. */
  private Decision unavailable(Route route, String scheme, String host, int port, Throwable error) {
    String reason = error instanceof TokenFetchException ? error.getMessage() : AgentLog.describe(error);
    if (route.profile.idpErrorAction() == IdpErrorAction.PROCEED) {
      // one stable key per profile: the reason carries counts and IdP text that change
      AgentLog.warnLimited(
          "proceed:" + route.profile.name(),
          "sending requests of profile '" + route.profile.name() + "' without a token (idp-error-action=proceed): " + reason);
      route.metrics.sentWithoutToken();
      return pass;
    }
    route.metrics.failedForWantOfToken();
    return Decision.fail(
        this,
        headerNames,
        "upstream-oauth-agent: no access token for " + describe(scheme, host, port) + " (profile '"
            + route.profile.name() + "'), the request was not sent: " + reason,
        error);
  }

  @Override
  public boolean isIssued(String value) {
    return value != null && issuedBy(value) != null;
  }

  @Override
  public Decision issuedBy(String value) {
    if (value == null) {
      return null;
    }
    for (Route route : routes) {
      Decision decision = route.issuedBy(value);
      if (decision != null) {
        return decision;
      }
    }
    return null;
  }

  @Override
  public String[] headerNames() {
    return headerNames;
  }

  @Override
  public void onResponse(Decision decision, int status) {
    Route route = routeOf(decision);
    if (route != null
        && route.profile.purgesOn(status)
        && route.tokens.purge(route.sentValue(decision), status, route.profile.purgeMinIntervalMillis())) {
      route.metrics.purged();
    }
  }

  @Override
  public boolean readsDpopHeaders(Decision decision) {
    Route route = routeOf(decision);
    return route != null && route.dpop != null;
  }

  @Override
  public void onResponse(
      Decision decision, int status, String scheme, String host, int port, String dpopNonce, String wwwAuthenticate) {
    Route route = routeOf(decision);
    if (route == null) {
      return;
    }
    if (route.dpop != null) {
      route.dpop.nonces().put(DpopNonces.origin(scheme, host, port), dpopNonce); // rotates on any response
      if (nonceChallenge(status, wwwAuthenticate)) {
        return; // the server wants a nonce (RFC 9449 §9): the token is fine, keep it
      }
    }
    onResponse(decision, status);
  }

  /** A resource server's request for a DPoP nonce: 401 with {@code DPoP error="use_dpop_nonce"}. */
  static boolean nonceChallenge(int status, String wwwAuthenticate) {
    return status == 401
        && wwwAuthenticate != null
        && wwwAuthenticate.contains("use_dpop_nonce")
        && wwwAuthenticate.toLowerCase(Locale.ROOT).contains("dpop");
  }

  @Override
  public boolean replays(Decision decision, String method) {
    Route route = routeOf(decision);
    return route != null
        && ((route.profile.replayAfterPurge() && safe(method)) || (route.dpop != null && idempotent(method)));
  }

  /** Requests without a body that are safe to repeat (RFC 9110 §9.2.1). */
  private static boolean safe(String method) {
    return "GET".equals(method) || "HEAD".equals(method) || "OPTIONS".equals(method);
  }

  /** Requests the server handles alike however often they come (RFC 9110 §9.2.2). */
  private static boolean idempotent(String method) {
    return safe(method) || "PUT".equals(method) || "DELETE".equals(method);
  }

  @Override
  public boolean shouldReplay(Decision decision, String method, int status) {
    return replayed(routeOf(decision), purgeReplay(decision, method, status));
  }

  /** Counts a replay: every client replays when told to (and once at most). */
  private static boolean replayed(Route route, boolean replay) {
    if (replay) {
      route.metrics.replayed();
    }
    return replay;
  }

  private boolean purgeReplay(Decision decision, String method, int status) {
    Route route = routeOf(decision);
    if (route == null || !route.profile.replayAfterPurge() || !safe(method) || !route.profile.purgesOn(status)) {
      return false;
    }
    onResponse(decision, status);
    // a token the purge kept (purge-min-interval) would only be rejected again
    return !route.tokens.holds(route.sentValue(decision));
  }

  @Override
  public boolean shouldReplay(
      Decision decision, String method, int status, String scheme, String host, int port, String dpopNonce,
      String wwwAuthenticate) {
    Route route = routeOf(decision);
    if (route != null && route.dpop != null) {
      route.dpop.nonces().put(DpopNonces.origin(scheme, host, port), dpopNonce); // the replay's proof carries it
    }
    if (route != null && route.dpop != null && nonceChallenge(status, wwwAuthenticate)) {
      // sent again with the nonce the server just gave, once; a request that cannot be
      // repeated surfaces the 401, and the next request carries the nonce
      return replayed(route, idempotent(method));
    }
    return shouldReplay(decision, method, status);
  }

  private Route routeOf(Decision decision) {
    Object route = decision == null ? null : decision.route();
    if (route instanceof Route.DpopExchange) {
      return ((Route.DpopExchange) route).route;
    }
    return route instanceof Route ? (Route) route : null;
  }

  @Override
  public void onAdviceError(Throwable error) {
    int count = adviceErrors.incrementAndGet();
    if (count <= LOGGED_ADVICE_ERRORS) {
      AgentLog.error(
          "internal error in the agent; the request went on without its help"
              + (count == LOGGED_ADVICE_ERRORS ? " (further errors are logged at debug level)" : ""),
          error);
    } else {
      AgentLog.debug("internal error in the agent: " + AgentLog.describe(error));
    }
  }

  /** Returns the route for a request target, or null when it is not served. */
  Route route(String scheme, String host, int port, String path) {
    Route.Entry entry = entry(scheme, host, port, path);
    return entry == null ? null : entry.route;
  }

  /**
   * Returns the hosts entry that serves a request target, exactly as {@link #decide} picks it, or
   * null when none does; for the {@code check --url} command.
   */
  public HostPattern servingEntry(String scheme, String host, int port, String path) {
    Route.Entry entry = entry(scheme, host, port, path);
    return entry == null ? null : entry.pattern;
  }

  private Route.Entry entry(String scheme, String host, int port, String path) {
    for (Route.Entry entry : entries) {
      int match = entry.pattern.match(scheme, host, port, path);
      if (match == HostPattern.NO) {
        continue;
      }
      if (match == HostPattern.AMBIGUOUS) {
        AgentLog.warnLimited(
            "ambiguous:" + entry.pattern.text(),
            "not sending a token to " + host + ": servers read the path of a request there in ways that disagree"
                + " about hosts entry '" + entry.pattern.text() + "' (dot-segments, ';', '\\' or an encoded '/');"
                + " such requests go without a token");
        return null;
      }
      if (!entry.cleartextWarned && !"https".equalsIgnoreCase(scheme)) {
        entry.cleartextWarned = true; // once per entry, and no work per request after that
        AgentLog.warn(
            "sending tokens to " + host + " (hosts entry '" + entry.pattern.text()
                + "') over plain http; anyone on the path can read them");
      }
      return entry;
    }
    return null;
  }

  private static String describe(String scheme, String host, int port) {
    return scheme.toLowerCase(Locale.ROOT) + "://" + host + (port == -1 ? "" : ":" + port);
  }

  /** Returns the routes, one per profile in configuration order; for tests. */
  List<Route> routes() {
    List<Route> list = new ArrayList<Route>();
    Collections.addAll(list, routes);
    return list;
  }

  /** Returns the profiles served, for start-up logging and tests. */
  public List<ProfileConfig> profiles() {
    List<ProfileConfig> list = new ArrayList<ProfileConfig>();
    for (Route route : routes) {
      list.add(route.profile);
    }
    return list;
  }
}
