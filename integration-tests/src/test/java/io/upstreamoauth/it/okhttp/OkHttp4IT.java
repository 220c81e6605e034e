package io.upstreamoauth.it.okhttp;

/** OkHttp 4.12.0 (Kotlin), execute and enqueue. */
class OkHttp4IT extends AbstractOkHttpIT {

  @Override
  protected String appName() {
    return "okhttp/okhttp-4";
  }

  @Override
  protected String expectedUserAgent() {
    return "okhttp/4\\.12\\.0";
  }
}
