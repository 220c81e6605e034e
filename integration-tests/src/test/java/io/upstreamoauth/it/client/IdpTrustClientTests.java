package io.upstreamoauth.it.client;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.upstreamoauth.agent.testing.ScriptedIdp;
import io.upstreamoauth.agent.testing.ScriptedIdp.Script;
import io.upstreamoauth.it.support.AgentApp;
import io.upstreamoauth.it.support.AppRun;
import io.upstreamoauth.it.support.UntrustedTls;
import org.junit.jupiter.api.Test;

/**
 * How far the agent trusts the IdP, for every client: an application that made the JVM's TLS
 * defaults trust everything does not make the agent send its secret to an impostor, and an IdP
 * that drip-feeds its answer holds a call no longer than {@code timeout}. Implemented by {@link
 * AbstractClientIT}, so every client class runs these in its forked JVMs.
 */
public interface IdpTrustClientTests {

  /** Returns the app with the agent configured for the API (IdP, client, JVM trust store). */
  AgentApp launch() throws Exception;

  /** Returns a URL of the configured API. */
  String apiUrl(String path);

  /** Returns the configured API. */
  WireMockServer api();

  @Test
  default void idpImpostor_appTrustsEverything_callFails_andTheImpostorGetsNoRequest() throws Exception {
    try (ScriptedIdp impostor = ScriptedIdp.tls(UntrustedTls.serverContext(), 100)) {
      AppRun run =
          launch()
              .oauth("token-endpoint", impostor.tokenEndpoint())
              .run("--trust-all-tls-defaults", "--url", apiUrl("/api/data"));

      assertThat(run.errors()).as(run.toString()).isEqualTo(1);
      assertThat(run.results().get(0))
          .startsWith("ERROR java.io.IOException")
          .contains("upstream-oauth-agent")
          .contains("TLS handshake failed")
          .doesNotContain("s3cr");
      assertThat(impostor.connections()).as("the agent tried the impostor").isPositive();
      assertThat(impostor.requests()).as("token requests the impostor read").isEmpty();
      assertThat(api().findAll(anyRequestedFor(urlPathMatching("/api/.*")))).isEmpty();
    }
  }

  @Test
  default void idpDripFeeds_callFailsWithinTheTimeout_andTheNextCallAfterItRecoversGetsAToken() throws Exception {
    // the headers a byte every 100 ms: inside any read timeout, so only a bound on the whole
    // token request ends it; the IdP answers from its second connection on
    try (ScriptedIdp idp = ScriptedIdp.plain(100).script(Script.DRIP_HEADERS, Script.ANSWER)) {
      long start = System.nanoTime();
      AppRun run =
          launch()
              .oauth("token-endpoint", idp.tokenEndpoint())
              .oauth("timeout", 2500) // the second, healthy request must fit too, on a loaded machine
              .oauth("idp-retry.initial-backoff", 100)
              .run("--url", apiUrl("/api/data"), "--count", "2", "--threads", "1", "--pause-ms", "300");
      long seconds = (System.nanoTime() - start) / 1_000_000_000L;

      assertThat(run.results()).as(run.toString()).hasSize(2);
      assertThat(run.results().get(0))
          .startsWith("ERROR java.io.IOException")
          .contains("upstream-oauth-agent")
          .contains("timed out after 2500 ms");
      assertThat(run.results().get(1)).isEqualTo("200 ok");
      assertThat(api().findAll(anyRequestedFor(urlPathEqualTo("/api/data"))))
          .singleElement()
          .satisfies(request -> assertThat(request.getHeader("Authorization")).isEqualTo("Bearer " + ScriptedIdp.TOKEN));
      // a JVM start, one call cut at 2.5 s, a pause and a good call: generous, but nowhere near a hang
      assertThat(seconds).as("seconds the app ran").isLessThan(30);
      assertThat(run.exitCode()).isZero();
    }
  }
}
