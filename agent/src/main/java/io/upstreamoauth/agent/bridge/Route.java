package io.upstreamoauth.agent.bridge;

import io.upstreamoauth.agent.cache.CachedToken;
import io.upstreamoauth.agent.config.HostPattern;
import io.upstreamoauth.agent.config.ProfileConfig;
import io.upstreamoauth.agent.dpop.DpopContext;
import io.upstreamoauth.agent.dpop.DpopKey;
import io.upstreamoauth.agent.metrics.RequestMetrics;
import java.security.GeneralSecurityException;
import io.upstreamoauth.agent.token.TokenManager;
import io.upstreamoauth.bootstrap.Decision;
import io.upstreamoauth.bootstrap.OAuthBridge;

/**
 * One profile at run time: its settings, its token manager, and the decisions it made for the
 * tokens it handed out. A decision is built once per token and shared by every request that
 * carries that token, so a cached token costs no allocation; the last few are remembered, so a
 * value this route issued is recognised on any later hop.
 */
final class Route {

  /** How many issued values each route recognises: the current token and a few before it. */
  static final int REMEMBERED = 4;

  final ProfileConfig profile;
  final TokenManager tokens;
  /** The profile's DPoP key and nonces; null unless {@code dpop=true}. */
  final DpopContext dpop;
  /** What happened to this profile's requests. */
  final RequestMetrics metrics = new RequestMetrics();
  private final OAuthBridge bridge;
  private final String[] names;
  private final int nameIndex;
  private final int dpopIndex;
  /** Newest first; replaced, never modified. */
  private volatile Decision[] issued = new Decision[0];
  /** The current DPoP token's header value and its ath, computed once per token. */
  private volatile String[] ath = new String[2];

  Route(ProfileConfig profile, TokenManager tokens, OAuthBridge bridge, String[] names, DpopContext dpop) {
    this.profile = profile;
    this.tokens = tokens;
    this.bridge = bridge;
    this.names = names;
    this.dpop = dpop;
    this.nameIndex = indexOf(names, profile.headerName());
    this.dpopIndex = dpop == null ? -1 : indexOf(names, DPOP_HEADER);
  }

  /** The header a DPoP proof goes in (RFC 9449 §4.1). */
  static final String DPOP_HEADER = "DPoP";

  private static int indexOf(String[] names, String name) {
    for (int i = 0; i < names.length; i++) {
      if (names[i].equalsIgnoreCase(name)) {
        return i;
      }
    }
    throw new IllegalArgumentException("header name not among the managed names: " + name);
  }

  /**
   * Returns the decision for one request that carries a DPoP-bound token: the token's values and a
   * new proof for exactly this request (method and URI), never reused.
   *
   * @throws GeneralSecurityException when no proof can be made
   */
  Decision withProof(Decision template, CachedToken token, String scheme, String host, int port, String rawPath, String method)
      throws GeneralSecurityException {
    String[] values = new String[names.length];
    for (int i = 0; i < values.length; i++) {
      values[i] = template.value(i);
    }
    values[dpopIndex] =
        dpop.proof(method == null ? "GET" : method, scheme, host, port, rawPath, token.accessToken(), ath(token));
    return Decision.send(bridge, names, values, new DpopExchange(this));
  }

  private String ath(CachedToken token) {
    String[] known = ath;
    if (known[0] == token.headerValue()) {
      return known[1];
    }
    String computed = DpopKey.ath(token.accessToken());
    ath = new String[] {token.headerValue(), computed};
    return computed;
  }

  /** Returns true when the token is DPoP-bound, so every request needs a proof. */
  boolean bound(CachedToken token) {
    return dpop != null && "DPoP".equals(token.tokenType());
  }

  /** Returns the decision that sends {@code token}: the same object for as long as the token lasts. */
  Decision decision(CachedToken token) {
    Decision[] known = issued;
    String value = token.headerValue();
    if (known.length > 0 && known[0].value(nameIndex) == value) {
      return known[0];
    }
    synchronized (this) {
      known = issued;
      for (Decision decision : known) {
        if (decision.value(nameIndex).equals(value)) {
          return decision; // the same token in another object (read again from a shared cache)
        }
      }
      String[] values = new String[names.length];
      values[nameIndex] = value;
      Decision made = Decision.send(bridge, names, values, this);
      Decision[] next = new Decision[Math.min(known.length + 1, REMEMBERED)];
      next[0] = made;
      System.arraycopy(known, 0, next, 1, next.length - 1);
      issued = next;
      return made;
    }
  }

  /** Returns the decision of this route that sent {@code value} (or a DPoP proof it made), or null. */
  Decision issuedBy(String value) {
    Decision[] known = issued;
    for (Decision decision : known) {
      if (decision.value(nameIndex).equals(value)) {
        return decision;
      }
    }
    if (dpop != null && known.length > 0 && dpop.madeByKey(value)) {
      return known[0];
    }
    return null;
  }

  /** Returns the value the decision sent under this route's header name. */
  String sentValue(Decision decision) {
    return decision.value(nameIndex);
  }

  /** What a per-request DPoP decision carries for the response side: its route. */
  static final class DpopExchange {
    final Route route;

    DpopExchange(Route route) {
      this.route = route;
    }
  }

  /** A host pattern and the route it leads to; patterns are tried most specific first. */
  static final class Entry {
    final HostPattern pattern;
    final Route route;
    volatile boolean cleartextWarned;

    Entry(HostPattern pattern, Route route) {
      this.pattern = pattern;
      this.route = route;
    }
  }
}
