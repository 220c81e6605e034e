package io.upstreamoauth.agent.token;

import io.upstreamoauth.agent.oauth.TokenFetchException;
import io.upstreamoauth.agent.oauth.TokenResponse;

/** Where new tokens come from: the IdP's token endpoint, or a fake in tests. */
public interface TokenSource {

  /** Requests a new token; one call is one request to the IdP. */
  TokenResponse fetch() throws TokenFetchException;
}
