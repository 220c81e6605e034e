package io.upstreamoauth.it.wrappers;

/** The Google HTTP Client 2.0.0 on its NetHttpTransport (HttpURLConnection): the whole suite. */
class GoogleHttpClientIT extends AbstractWrapperIT {

  @Override
  protected String appName() {
    return "google-http-client";
  }

  @Override
  protected String expectedUserAgent() {
    return "Google-HTTP-Java-Client/2\\.0\\.0 \\(gzip\\)";
  }

  @Override
  protected String expectedClient(boolean async) {
    return "com\\.google\\.api\\.client\\.http\\.javanet\\.NetHttpTransport HTTP/1\\.1";
  }

  @Override
  protected String expectedException() {
    return "java.io.IOException";
  }

  @Override
  public boolean supportsReplay() {
    return true;
  }
}
