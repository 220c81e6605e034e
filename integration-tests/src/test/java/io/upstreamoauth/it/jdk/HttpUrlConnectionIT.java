package io.upstreamoauth.it.jdk;

import io.upstreamoauth.it.client.AbstractClientIT;

/** HttpURLConnection, HTTP and HTTPS, written as Java 8 code would be. */
class HttpUrlConnectionIT extends AbstractClientIT {

  @Override
  protected String appName() {
    return "http-url-connection";
  }

  @Override
  protected String expectedUserAgent() {
    return "Java/\\d.*";
  }

  @Override
  protected String expectedClient(boolean async) {
    return "sun\\.net\\.www\\.protocol\\.(http\\.HttpURLConnection|https\\.HttpsURLConnectionImpl) HTTP/1\\.1";
  }

  @Override
  public boolean supportsReplay() {
    return true;
  }
}
