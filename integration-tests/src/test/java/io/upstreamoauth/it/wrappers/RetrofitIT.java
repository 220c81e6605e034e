package io.upstreamoauth.it.wrappers;

/** Retrofit 3.0.0 on OkHttp 4.12: the whole suite through a Retrofit interface, execute and enqueue. */
class RetrofitIT extends AbstractWrapperIT {

  @Override
  protected String appName() {
    return "retrofit";
  }

  @Override
  protected String expectedUserAgent() {
    return "okhttp/4\\.12\\.0";
  }

  @Override
  protected String expectedClient(boolean async) {
    return "retrofit2\\.Retrofit okhttp3\\.OkHttpClient (http/1\\.1|h2)";
  }

  @Override
  protected String expectedException() {
    return "java.io.IOException";
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
