package io.upstreamoauth.it.jdk;

import io.upstreamoauth.it.client.AbstractClientIT;

/** HttpURLConnection, HTTP and HTTPS, written as Java 8 code would be. */
class HttpUrlConnectionIT extends AbstractClientIT {

  @Override
  protected String appName() {
    return "http-url-connection";
  }

  @Override
  protected boolean supportsReplay() {
    return true;
  }
}
