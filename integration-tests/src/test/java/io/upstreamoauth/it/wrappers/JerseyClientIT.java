package io.upstreamoauth.it.wrappers;

/** The JAX-RS client of Jersey 3.1.11 on its default connector (HttpURLConnection): the whole suite, sync and async invocations. */
class JerseyClientIT extends AbstractWrapperIT {

  @Override
  protected String appName() {
    return "jax-rs/jersey-3.1";
  }

  @Override
  protected String expectedUserAgent() {
    return "Jersey/3\\.1\\.11 \\(HttpUrlConnection .*\\)";
  }

  @Override
  protected String expectedClient(boolean async) {
    return "org\\.glassfish\\.jersey\\.client\\.JerseyClient";
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
}
