package io.upstreamoauth.it.okhttp;

/** OkHttp 5.5.1 (okhttp-jvm), execute and enqueue. */
class OkHttp5IT extends AbstractOkHttpIT {

  @Override
  protected String appName() {
    return "okhttp/okhttp-5";
  }

  @Override
  protected String expectedUserAgent() {
    return "okhttp/5\\.5\\.1";
  }
}
