package io.upstreamoauth.it.apache;

import io.upstreamoauth.it.client.AbstractClientIT;

/** Apache HttpClient 4.5.14, the newest 4.x. */
class ApacheHttpClient45IT extends AbstractClientIT {

  @Override
  protected String appName() {
    return "apache-httpclient-4/apache-httpclient-4.5";
  }

  @Override
  protected String expectedUserAgent() {
    return "Apache-HttpClient/4\\.5\\.14 .*";
  }

  @Override
  protected String expectedClient(boolean async) {
    return "org\\.apache\\.http\\.impl\\.client\\.InternalHttpClient HTTP/1\\.1";
  }

  @Override
  public boolean supportsReplay() {
    return true;
  }
}
