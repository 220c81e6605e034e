package io.upstreamoauth.it.apache;

import io.upstreamoauth.it.client.AbstractClientIT;

/** Apache HttpClient 4.3.6, the oldest supported 4.x: Java 6 bytecode, the first exec-chain release. */
class ApacheHttpClient43IT extends AbstractClientIT {

  @Override
  protected String appName() {
    return "apache-httpclient-4/apache-httpclient-4.3";
  }

  @Override
  protected String expectedUserAgent() {
    return "Apache-HttpClient/4\\.3\\.6 .*";
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
