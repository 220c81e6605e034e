package io.upstreamoauth.it.apache;

import static org.assertj.core.api.Assertions.assertThat;

import io.upstreamoauth.it.client.AbstractClientIT;
import io.upstreamoauth.it.support.AgentApp;
import io.upstreamoauth.it.support.AppRun;
import org.junit.jupiter.api.Test;

/**
 * The client suite for one Apache HttpClient 4 version, run through the deprecated {@code
 * DefaultHttpClient} that code written for 4.0–4.2 uses ({@code -Dapp.client=legacy}).
 */
abstract class AbstractApacheHttpClient4LegacyIT extends AbstractClientIT {

  @Override
  protected String expectedClient(boolean async) {
    return "org\\.apache\\.http\\.impl\\.client\\.DefaultHttpClient HTTP/1\\.1";
  }

  @Override
  protected AgentApp app() {
    return super.app().property("app.client", "legacy");
  }

  @Override
  public boolean supportsReplay() {
    return true;
  }

  @Test
  void legacyClient_isWhatSendsTheRequests() throws Exception {
    AppRun run = launch().oauth("log-level", "debug").run("--url", apiUrl("/api/data"), "--count", "2");

    assertThat(run.ok()).as(run.toString()).isEqualTo(2);
    assertThat(run.stderr())
        .contains("instrumented org.apache.http.impl.client.DefaultRequestDirector")
        .doesNotContain("instrumented org.apache.http.impl.execchain.ProtocolExec");
  }
}
