package io.upstreamoauth.it.apache;

/** Apache HttpAsyncClient 4.1.5, the newest 4.1 (HttpCore 4.4.15). */
class ApacheHttpAsyncClient41IT extends AbstractApacheHttpAsyncClient4IT {

  @Override
  protected String appName() {
    return "apache-httpasyncclient-4/apache-httpasyncclient-4.1.5";
  }

  @Override
  protected String expectedUserAgent() {
    return "Apache-HttpAsyncClient/4\\.1\\.5 .*";
  }
}
