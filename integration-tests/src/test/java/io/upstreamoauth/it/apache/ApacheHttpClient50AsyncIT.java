package io.upstreamoauth.it.apache;

import io.upstreamoauth.it.support.AgentApp;

/** Apache HttpClient 5.0.4, the whole suite through the async client. */
class ApacheHttpClient50AsyncIT extends AbstractApacheHttpClient5IT {

  @Override
  protected String appName() {
    return "apache-httpclient-5/apache-httpclient-5.0";
  }

  @Override
  protected String expectedUserAgent() {
    return "Apache-HttpAsyncClient/5\\.0\\.4 .*";
  }

  @Override
  protected boolean async() {
    return true;
  }

  @Override
  public AgentApp launch() throws Exception {
    // 5.0.4's async client offers h2 over TLS and then fails against WireMock's Jetty with
    // "invalid_preface", agent or not; HTTP/2 has its own tests (customHttp2 works)
    return super.launch().property("app.http.version", "HTTP_1_1");
  }
}
