package io.upstreamoauth.it.wrappers;

import io.upstreamoauth.it.support.AgentApp;

/**
 * RESTEasy 6.2.16 told to follow redirects ({@code ResteasyClientBuilder.PROPERTY_FOLLOW_REDIRECTS}),
 * which its Apache HttpClient 4.5 engine then does: the whole suite, redirect tests included.
 */
class ResteasyClientFollowRedirectsIT extends ResteasyClientIT {

  @Override
  protected AgentApp app() {
    return super.app().property("app.jaxrs.dev.resteasy.client.follow.redirects", "true");
  }

  @Override
  public boolean followsRedirects() {
    return true;
  }
}
