package io.upstreamoauth.it.apache;

/** Apache HttpClient 5.6.5, the newest 5.x: the classic client (the async one in the async tests). */
class ApacheHttpClient56IT extends AbstractApacheHttpClient5IT {

  @Override
  protected String appName() {
    return "apache-httpclient-5/apache-httpclient-5.6";
  }

  @Override
  protected String expectedUserAgent() {
    return "Apache-Http(Async)?Client/5\\.6\\.5 .*";
  }
}
