package io.upstreamoauth.agent.bridge;

import io.upstreamoauth.agent.cache.CachedToken;
import io.upstreamoauth.agent.config.HostPattern;
import io.upstreamoauth.agent.config.ProfileConfig;
import io.upstreamoauth.agent.token.TokenManager;
import io.upstreamoauth.bootstrap.AuthHeader;

/** One profile at run time: its settings, its token manager and the header it last handed out. */
final class Route {

  final ProfileConfig profile;
  final TokenManager tokens;
  private volatile AuthHeader lastHeader;

  Route(ProfileConfig profile, TokenManager tokens) {
    this.profile = profile;
    this.tokens = tokens;
  }

  /** Returns the header for a token, reusing the last one so a cached token costs no allocation. */
  AuthHeader header(CachedToken token) {
    AuthHeader header = lastHeader;
    if (header == null || header.value() != token.headerValue()) {
      header = new AuthHeader(profile.headerName(), token.headerValue(), profile.replayAfterPurge());
      lastHeader = header;
    }
    return header;
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
