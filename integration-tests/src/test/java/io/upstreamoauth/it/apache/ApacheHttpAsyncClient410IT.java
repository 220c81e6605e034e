package io.upstreamoauth.it.apache;

/**
 * Apache HttpAsyncClient 4.1 (4.1.0), the oldest, on the HttpCore NIO 4.4.1 it came with, which
 * keeps asking for a request while none is produced (the agent holds the connection's output
 * itself while a token is fetched).
 */
class ApacheHttpAsyncClient410IT extends AbstractApacheHttpAsyncClient4IT {

  @Override
  protected String appName() {
    return "apache-httpasyncclient-4/apache-httpasyncclient-4.1.0";
  }

  @Override
  protected String expectedUserAgent() {
    return "Apache-HttpAsyncClient/4\\.1 .*";
  }

  @Override
  protected boolean follows307OfAPost() {
    return false; // 4.1 never completes the exchange after following it, without the agent too
  }
}
