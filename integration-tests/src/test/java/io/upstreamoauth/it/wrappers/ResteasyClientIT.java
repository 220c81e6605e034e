package io.upstreamoauth.it.wrappers;

/**
 * The JAX-RS client of RESTEasy 6.2.16 on its default engine (Apache HttpClient 4.5): the whole
 * suite, sync and async invocations. RESTEasy follows no redirect unless the app asks for it
 * ({@code ResteasyClientBuilder.setFollowRedirects}), and this app, as most, does not.
 */
class ResteasyClientIT extends AbstractWrapperIT {

  @Override
  protected String appName() {
    return "jax-rs/resteasy-6.2";
  }

  @Override
  protected String expectedUserAgent() {
    return "Apache-HttpClient/4\\.5\\.\\d+ .*";
  }

  @Override
  protected String expectedClient(boolean async) {
    return "org\\.jboss\\.resteasy\\.client\\.jaxrs\\.internal\\.ResteasyClientImpl";
  }

  @Override
  protected String expectedException() {
    return "jakarta.ws.rs.ProcessingException";
  }

  @Override
  public boolean supportsAsync() {
    return true;
  }

  @Override
  public boolean supportsReplay() {
    return true;
  }

  @Override
  public boolean followsRedirects() {
    return false;
  }
}
