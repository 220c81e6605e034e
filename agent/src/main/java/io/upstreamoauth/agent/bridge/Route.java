package io.upstreamoauth.agent.bridge;

import io.upstreamoauth.agent.cache.CachedToken;
import io.upstreamoauth.agent.config.HostPattern;
import io.upstreamoauth.agent.config.ProfileConfig;
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
  private final OAuthBridge bridge;
  private final String[] names;
  private final int nameIndex;
  /** Newest first; replaced, never modified. */
  private volatile Decision[] issued = new Decision[0];

  Route(ProfileConfig profile, TokenManager tokens, OAuthBridge bridge, String[] names) {
    this.profile = profile;
    this.tokens = tokens;
    this.bridge = bridge;
    this.names = names;
    int index = -1;
    for (int i = 0; i < names.length; i++) {
      if (names[i].equalsIgnoreCase(profile.headerName())) {
        index = i;
      }
    }
    if (index < 0) {
      throw new IllegalArgumentException("header name not among the managed names: " + profile.headerName());
    }
    this.nameIndex = index;
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

  /** Returns the decision of this route that sent {@code value}, or null. */
  Decision issuedBy(String value) {
    for (Decision decision : issued) {
      if (decision.value(nameIndex).equals(value)) {
        return decision;
      }
    }
    return null;
  }

  /** Returns the value the decision sent under this route's header name. */
  String sentValue(Decision decision) {
    return decision.value(nameIndex);
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
