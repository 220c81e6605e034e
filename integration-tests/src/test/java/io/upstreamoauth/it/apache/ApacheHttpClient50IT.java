package io.upstreamoauth.it.apache;

/** Apache HttpClient 5.0.4, the oldest 5.x: the classic client (the async one in the async tests). */
class ApacheHttpClient50IT extends AbstractApacheHttpClient5IT {

  @Override
  protected String appName() {
    return "apache-httpclient-5/apache-httpclient-5.0";
  }

  @Override
  protected String expectedUserAgent() {
    return "Apache-Http(Async)?Client/5\\.0\\.4 .*";
  }
}
