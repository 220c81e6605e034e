package io.upstreamoauth.it.apache;

import io.upstreamoauth.it.client.AbstractClientIT;

/**
 * Apache HttpAsyncClient 4.1.5, the newest 4.1: the whole suite through the Future (blocking on
 * {@code get()}) and, with --async, through a FutureCallback.
 */
class ApacheHttpAsyncClient41IT extends AbstractClientIT {

  @Override
  protected String appName() {
    return "apache-httpasyncclient-4";
  }

  @Override
  protected String expectedUserAgent() {
    return "Apache-HttpAsyncClient/4\\.1\\.5 .*";
  }

  @Override
  protected String expectedClient(boolean async) {
    return "org\\.apache\\.http\\.impl\\.nio\\.client\\.InternalHttpAsyncClient HTTP/1\\.1";
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
