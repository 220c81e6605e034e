package io.upstreamoauth.it.jdk;


import io.upstreamoauth.it.client.AbstractClientIT;

/** java.net.http.HttpClient over HTTP/1.1, send and sendAsync. */
class JavaHttpClientIT extends AbstractClientIT {

  @Override
  protected String appName() {
    return "java-http-client";
  }

  @Override
  protected String expectedUserAgent() {
    return "Java-http-client/\\d.*";
  }

  @Override
  protected String expectedClient(boolean async) {
    return "jdk\\.internal\\.net\\.http\\.HttpClientFacade HTTP_1_1";
  }

  @Override
  public boolean supportsAsync() {
    return true;
  }

  @Override
  public boolean supportsReplay() {
    return true;
  }
}
