package io.upstreamoauth.agent.bridge;

import io.upstreamoauth.agent.config.IdpErrorAction;
import io.upstreamoauth.agent.oauth.TokenFetchException;
import io.upstreamoauth.agent.util.AgentLog;
import io.upstreamoauth.agent.util.InternalCall;
import io.upstreamoauth.bootstrap.AuthHeader;
import io.upstreamoauth.bootstrap.OAuthBridge;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The agent's answer to advice: which requests get which token, what happens when there is none,
 * and which rejected tokens to drop.
 */
public final class AgentBridge implements OAuthBridge {

  private static final int LOGGED_ADVICE_ERRORS = 5;

  private final Route.Entry[] entries;
  private final Route[] routes;
  private final String[] headerNames;
  /** Whether any profile replays after a purge; most do not, and then no request looks further. */
  private final boolean anyReplay;
  private final AtomicInteger adviceErrors = new AtomicInteger();

  AgentBridge(List<Route> routes) {
    List<Route.Entry> all = new ArrayList<Route.Entry>();
    Set<String> names = new LinkedHashSet<String>();
    boolean replay = false;
    for (Route route : routes) {
      replay |= route.profile.replayAfterPurge();
      for (io.upstreamoauth.agent.config.HostPattern pattern : route.profile.hosts()) {
        all.add(new Route.Entry(pattern, route));
      }
      names.add(route.profile.headerName());
    }
    Collections.sort(
        all,
        new Comparator<Route.Entry>() {
          @Override
          public int compare(Route.Entry a, Route.Entry b) {
            return a.pattern.compareTo(b.pattern);
          }
        });
    this.entries = all.toArray(new Route.Entry[0]);
    this.routes = routes.toArray(new Route[0]);
    this.headerNames = names.toArray(new String[0]);
    this.anyReplay = replay;
  }

  @Override
  public AuthHeader headerFor(String scheme, String host, int port, String path)
      throws IOException {
    if (InternalCall.isActive()) {
      return null;
    }
    Route route = route(scheme, host, port, path);
    if (route == null) {
      return null;
    }
    try {
      return route.header(route.tokens.token());
    } catch (TokenFetchException e) {
      if (route.profile.idpErrorAction() == IdpErrorAction.PROCEED) {
        AgentLog.warnOnce(
            "proceed:" + route.profile.name() + ":" + e.getMessage(),
            "sending requests to " + host + " without a token (idp-error-action=proceed): " + e.getMessage());
        return null;
      }
      throw new IOException(
          "upstream-oauth-agent: no access token for "
              + describe(scheme, host, port)
              + " (profile '"
              + route.profile.name()
              + "'), the request was not sent: "
              + e.getMessage(),
          e);
    }
  }

  @Override
  public boolean isIssued(String value) {
    if (value == null) {
      return false;
    }
    for (Route route : routes) {
      if (route.tokens.isIssued(value)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public String[] headerNames() {
    return headerNames;
  }

  @Override
  public void onResponse(
      String scheme, String host, int port, String path, int status, String sentValue) {
    if (sentValue == null) {
      return;
    }
    Route route = route(scheme, host, port, path);
    if (route != null && route.profile.purgesOn(status)) {
      route.tokens.purge(sentValue);
    }
  }

  @Override
  public boolean shouldReplay(String scheme, String host, int port, String path, String method, int status) {
    if (!anyReplay) {
      return false;
    }
    if (!"GET".equals(method) && !"HEAD".equals(method) && !"OPTIONS".equals(method)) {
      return false; // only requests without a body that are safe to repeat (RFC 9110 §9.2.1)
    }
    Route route = route(scheme, host, port, path);
    return route != null && route.profile.replayAfterPurge() && route.profile.purgesOn(status);
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

  /** Returns the route for a request target, or null when it is not configured. */
  Route route(String scheme, String host, int port, String path) {
    for (Route.Entry entry : entries) {
      if (entry.pattern.matches(scheme, host, port, path)) {
        if (!entry.cleartextWarned && !"https".equalsIgnoreCase(scheme)) {
          entry.cleartextWarned = true; // once per entry, and no work per request after that
          AgentLog.warn(
              "sending tokens to " + host + " (hosts entry '" + entry.pattern.text()
                  + "') over plain http; anyone on the path can read them");
        }
        return entry.route;
      }
    }
    return null;
  }

  private static String describe(String scheme, String host, int port) {
    return scheme + "://" + host + (port == -1 ? "" : ":" + port);
  }

  /** Returns the routes, for start-up logging and tests. */
  public List<Route> routes() {
    List<Route> list = new ArrayList<Route>();
    Collections.addAll(list, routes);
    return list;
  }
}
