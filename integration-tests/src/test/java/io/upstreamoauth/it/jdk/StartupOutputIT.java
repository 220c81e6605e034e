package io.upstreamoauth.it.jdk;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.upstreamoauth.it.support.AgentApp;
import io.upstreamoauth.it.support.AppRun;
import io.upstreamoauth.it.support.FakeIdp;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent is invisible in what the JVM prints, and the JVM keeps class data sharing (CDS) for
 * the application's classes: the agent defines its bootstrap classes in the boot loader instead
 * of appending to the boot class path, which would make the JVM print "Sharing is only supported
 * for boot loader classes because bootstrap classpath has been appended" and stop sharing every
 * other class. Runs on the JDK of the build (it.java.home), so CI checks JDK 17 and 25. Shown to
 * fail with the agent that appended: the warning on both JDKs, and on JDK 25 the app's main class
 * then loaded from its jar instead of the archive (JDK 17 still shared it).
 */
class StartupOutputIT {

  private static final String MAIN = "io.upstreamoauth.testapp.httpurlconnection.Main";
  private static FakeIdp idp;
  private static WireMockServer api;

  @TempDir static Path dir;

  @BeforeAll
  static void start() {
    idp = new FakeIdp();
    idp.issueTokens(3600);
    api = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
    api.start();
    api.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withBody("ok")));
  }

  @AfterAll
  static void stop() {
    idp.close();
    api.stop();
  }

  @BeforeEach
  void forgetRequests() {
    api.resetRequests();
  }

  private static AgentApp app() {
    return AgentApp.of("http-url-connection")
        .oauth("hosts", "localhost:" + api.port())
        .oauth("token-endpoint", idp.tokenEndpoint())
        .oauth("client-id", "startup")
        .oauth("client-secret", "startup-secret")
        .oauth("log-level", "error");
  }

  @Test
  void tokenFetchedAndSent_theJvmAndTheAgentPrintNothing() throws Exception {
    AppRun run = app().run("--url", "http://localhost:" + api.port() + "/api/orders");

    assertThat(run.ok()).as(run.toString()).isEqualTo(1);
    assertThat(api.findAll(anyRequestedFor(anyUrl()))).singleElement()
        .satisfies(request -> assertThat(request.getHeader("Authorization")).startsWith("Bearer "));
    assertThat(run.stderr()).as("standard error of an app that printed nothing there").isEmpty();
    assertThat(run.stdout()).doesNotContain("Sharing is only supported").doesNotContain("VM warning");
  }

  @Test
  void applicationClassesStillComeFromTheSharedArchive() throws Exception {
    Path archive = dir.resolve("app.jsa");
    // a dynamic CDS archive of the app's classes, made without the agent (JDK 13+)
    AgentApp.of("http-url-connection").withoutAgent()
        .jvmArg("-XX:ArchiveClassesAtExit=" + archive)
        .run("--url", "http://localhost:" + api.port() + "/api/orders");
    assertThat(archive).exists();

    AppRun run = app().jvmArg("-XX:SharedArchiveFile=" + archive).jvmArg("-Xlog:class+load=info")
        .run("--url", "http://localhost:" + api.port() + "/api/orders");

    assertThat(run.ok()).as(run.toString()).isEqualTo(1);
    String mainLoaded = run.stdout().lines().filter(line -> line.contains(" " + MAIN + " ")).findFirst()
        .orElseThrow(() -> new AssertionError("no class+load line for " + MAIN + "\n" + run));
    assertThat(mainLoaded).as("the app's main class, with the agent attached").contains("shared objects file");
    assertThat(run.stderr()).doesNotContain("Sharing is only supported");
    assertThat(Files.size(archive)).isPositive();
  }
}
