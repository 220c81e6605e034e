package io.upstreamoauth.it.wrappers;

/** OpenFeign 13.6 on its default client (HttpURLConnection): the whole suite through a Feign interface. */
class OpenFeignIT extends AbstractWrapperIT {

  @Override
  protected String appName() {
    return "openfeign";
  }

  @Override
  protected String expectedUserAgent() {
    return "Java/\\d.*";
  }

  @Override
  protected String expectedClient(boolean async) {
    return "feign\\.Client\\$Default HTTP/1\\.1";
  }

  @Override
  protected String expectedException() {
    return "feign.RetryableException";
  }

  @Override
  public boolean supportsReplay() {
    return true;
  }
}
