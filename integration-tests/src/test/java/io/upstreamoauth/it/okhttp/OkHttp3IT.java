package io.upstreamoauth.it.okhttp;

/** OkHttp 3.14.9, the last 3.x (Java): execute and enqueue. */
class OkHttp3IT extends AbstractOkHttpIT {

  @Override
  protected String appName() {
    return "okhttp/okhttp-3";
  }

  @Override
  protected String expectedUserAgent() {
    return "okhttp/3\\.14\\.9";
  }
}
