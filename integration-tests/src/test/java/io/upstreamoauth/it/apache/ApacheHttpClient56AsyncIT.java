package io.upstreamoauth.it.apache;

/** Apache HttpClient 5.6.5, the whole suite through the async client. */
class ApacheHttpClient56AsyncIT extends AbstractApacheHttpClient5IT {

  @Override
  protected String appName() {
    return "apache-httpclient-5/apache-httpclient-5.6";
  }

  @Override
  protected String expectedUserAgent() {
    return "Apache-HttpAsyncClient/5\\.6\\.5 .*";
  }

  @Override
  protected boolean async() {
    return true;
  }
}
