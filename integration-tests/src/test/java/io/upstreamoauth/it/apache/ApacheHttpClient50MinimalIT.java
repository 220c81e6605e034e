package io.upstreamoauth.it.apache;

/** Apache HttpClient 5.0.4's minimal classic client. */
class ApacheHttpClient50MinimalIT extends AbstractApacheHttpClient5MinimalIT {

  @Override
  protected String appName() {
    return "apache-httpclient-5/apache-httpclient-5.0";
  }

  @Override
  protected String expectedUserAgent() {
    return "Apache-HttpClient/5\\.0\\.4 .*";
  }
}
