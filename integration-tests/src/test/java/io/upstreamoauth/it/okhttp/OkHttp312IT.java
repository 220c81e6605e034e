package io.upstreamoauth.it.okhttp;

/**
 * OkHttp 3.12.13, the long-lived 3.12 line (Android 4 support): its chain still dispatches
 * through proceed(Request, StreamAllocation, HttpCodec, RealConnection), not 3.14's Transmitter.
 */
class OkHttp312IT extends AbstractOkHttpIT {

  @Override
  protected String appName() {
    return "okhttp/okhttp-3.12";
  }

  @Override
  protected String expectedUserAgent() {
    return "okhttp/3\\.12\\.13";
  }
}
