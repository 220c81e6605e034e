package io.upstreamoauth.it.apache;

/** Apache HttpClient 4.5.14's {@code DefaultHttpClient}. */
class ApacheHttpClient45LegacyIT extends AbstractApacheHttpClient4LegacyIT {

  @Override
  protected String appName() {
    return "apache-httpclient-4/apache-httpclient-4.5";
  }

  @Override
  protected String expectedUserAgent() {
    return "Apache-HttpClient/4\\.5\\.14 .*";
  }
}
