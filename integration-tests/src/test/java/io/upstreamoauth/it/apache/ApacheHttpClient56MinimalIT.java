package io.upstreamoauth.it.apache;

/** Apache HttpClient 5.6.5's minimal classic client. */
class ApacheHttpClient56MinimalIT extends AbstractApacheHttpClient5MinimalIT {

  @Override
  protected String appName() {
    return "apache-httpclient-5/apache-httpclient-5.6";
  }

  @Override
  protected String expectedUserAgent() {
    return "Apache-HttpClient/5\\.6\\.5 .*";
  }
}
