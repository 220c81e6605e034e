package io.upstreamoauth.it.apache;

/** Apache HttpClient 4.3.6's {@code DefaultHttpClient}. */
class ApacheHttpClient43LegacyIT extends AbstractApacheHttpClient4LegacyIT {

  @Override
  protected String appName() {
    return "apache-httpclient-4/apache-httpclient-4.3";
  }

  @Override
  protected String expectedUserAgent() {
    return "Apache-HttpClient/4\\.3\\.6 .*";
  }
}
