package io.upstreamoauth.it.wrappers;

import io.upstreamoauth.it.support.AgentApp;

/** OpenFeign 13.6 on feign-okhttp (OkHttp 4.12): the whole suite through a Feign interface. */
class OpenFeignOkHttpIT extends AbstractWrapperIT {

  @Override
  protected String appName() {
    return "openfeign";
  }

  @Override
  protected String expectedUserAgent() {
    return "okhttp/4\\.12\\.0";
  }

  @Override
  protected String expectedClient(boolean async) {
    return "feign\\.okhttp\\.OkHttpClient HTTP/(1\\.1|2\\.0)";
  }

  @Override
  protected String expectedException() {
    return "feign.RetryableException";
  }

  @Override
  protected AgentApp app() {
    return super.app().property("app.client", "okhttp");
  }

  @Override
  public boolean supportsReplay() {
    return true;
  }
}
