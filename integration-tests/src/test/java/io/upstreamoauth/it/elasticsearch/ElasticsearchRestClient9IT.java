package io.upstreamoauth.it.elasticsearch;

import io.upstreamoauth.it.client.AbstractClientIT;
import io.upstreamoauth.it.support.AgentApp;

/**
 * The Elasticsearch low-level {@code RestClient} 9.5.6 (on Apache HttpAsyncClient 4.1.5): the
 * whole suite through {@code performRequest} and, with --async, {@code performRequestAsync}. The
 * app reads an error status from the client's {@code ResponseException}.
 */
class ElasticsearchRestClient9IT extends AbstractClientIT {

  @Override
  protected String appName() {
    return "apache-httpasyncclient-4/apache-httpasyncclient-4.1.5";
  }

  @Override
  protected AgentApp app() {
    return super.app().property("app.client", "elasticsearch");
  }

  @Override
  protected String expectedUserAgent() {
    return "elasticsearch-java/9\\.5\\.6 .*";
  }

  @Override
  protected String expectedClient(boolean async) {
    return "org\\.elasticsearch\\.client\\.RestClient HTTP/1\\.1";
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
