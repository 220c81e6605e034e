package io.upstreamoauth.it.rotation;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.upstreamoauth.it.support.AgentApp;
import io.upstreamoauth.it.support.AppRun;
import io.upstreamoauth.it.support.FakeIdp;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Credentials that change under a running JVM (the unchanged HttpURLConnection app, two threads
 * calling until told to stop): a client secret mounted the way Kubernetes mounts a secret and
 * swapped the way the kubelet swaps it, while the IdP starts refusing the old one; and a client
 * assertion file (a projected service-account token) that is rewritten. Each step waits for its
 * event with a generous deadline; nothing depends on how long anything takes.
 */
class SecretRotationIT {

  private static final Duration DEADLINE = Duration.ofMinutes(3);
  /** Tokens live this long; refresh ahead at half of it, so the first is replaced well before it expires. */
  private static final int LIFETIME_SECONDS = 16;

  private final FakeIdp idp = new FakeIdp();
  private final WireMockServer api = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
  private final ExecutorService launcher = Executors.newSingleThreadExecutor();
  private Future<AppRun> run;
  private Path until;

  @AfterEach
  void stop() throws Exception {
    if (until != null && !Files.exists(until)) {
      Files.createFile(until); // a failed test's app ends too
    }
    if (run != null) {
      run.get();
    }
    launcher.shutdownNow();
    api.stop();
    idp.close();
  }

  /** The API answers 200 to a request with a token the IdP issued, 401 to any other. */
  private void startApi() {
    api.start();
    api.stubFor(get(urlPathEqualTo("/api/data")).willReturn(aResponse().withStatus(401)));
    api.stubFor(get(urlPathEqualTo("/api/data")).atPriority(1)
        .withHeader("Authorization", matching("Bearer tok-.*")).willReturn(aResponse().withStatus(200).withBody("ok")));
  }

  private Future<AppRun> start(AgentApp app, Path dir) {
    until = dir.resolve("stop");
    return launcher.submit(() -> app.run("--url", "http://127.0.0.1:" + api.port() + "/api/data",
        "--threads", "2", "--pause-ms", "20", "--until", until.toString()));
  }

  /** One generation of a Kubernetes secret volume: ..N/client-secret, then ..data swapped to it. */
  private static void mount(Path volume, int generation, String secret) throws Exception {
    Path dir = Files.createDirectory(volume.resolve("..2026_12_02_" + generation));
    Files.write(dir.resolve("client-secret"), secret.getBytes(StandardCharsets.UTF_8));
    Path link = Files.createSymbolicLink(volume.resolve("..data_tmp"), dir.getFileName());
    Files.move(link, volume.resolve("..data"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    Path visible = volume.resolve("client-secret");
    if (!Files.isSymbolicLink(visible)) {
      Files.createSymbolicLink(visible, Path.of("..data", "client-secret"));
    }
  }

  private static String basic(String id, String secret) {
    return "Basic " + Base64.getEncoder().encodeToString((id + ":" + secret).getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void secretFileSwapped_idpRefusesTheOldSecret_noRequestFails_nextTokenWithTheNewSecret() throws Exception {
    startApi();
    idp.expiresIn(LIFETIME_SECONDS);
    Path dir = Files.createTempDirectory("rotation-it");
    Path volume = Files.createDirectory(dir.resolve("secret-volume"));
    mount(volume, 1, "old-secret-1");
    AgentApp app =
        AgentApp.of("http-url-connection")
            .oauth("hosts", "127.0.0.1:" + api.port())
            .oauth("token-endpoint", idp.tokenEndpoint())
            .oauth("client-id", "rotating-client")
            .oauth("client-secret", "${file:" + volume.resolve("client-secret") + "}")
            .oauth("cache.eagerly-expire", 0)
            .oauth("cache.refresh-ahead-window", 0.5);
    run = start(app, dir);

    await("requests with the first token", () -> idp.issued().size() == 1 && okRequests() >= 10);
    String first = idp.issued().get(0);
    assertThat(authorizations()).containsOnly(basic("rotating-client", "old-secret-1"));

    // the kubelet swaps the volume; the IdP no longer accepts the old secret
    mount(volume, 2, "new-secret-2");
    idp.server().stubFor(post(urlPathEqualTo(FakeIdp.PATH)).atPriority(1)
        .withHeader("Authorization", equalTo(basic("rotating-client", "old-secret-1")))
        .willReturn(aResponse().withStatus(401).withHeader("Content-Type", "application/json")
            .withBody("{\"error\":\"invalid_client\"}")));

    await("a token for the new secret, in use", () -> idp.issued().size() >= 2
        && api.findAll(anyRequestedFor(anyUrl()).withHeader("Authorization", equalTo("Bearer " + idp.issued().get(1))))
            .size() >= 10);
    Files.createFile(until);
    AppRun done = run.get();
    run = null;

    assertThat(done.errors()).as("requests that threw: %s", done).isZero();
    assertThat(done.other()).as("requests answered other than 2xx: %s", done).isZero();
    assertThat(done.ok()).isPositive();
    // what the IdP received: the old secret for the first token (and at most once more, refused,
    // when the token request came before the 5 s look at the file), the new one for every other
    List<String> sent = authorizations();
    assertThat(sent).containsOnly(basic("rotating-client", "old-secret-1"), basic("rotating-client", "new-secret-2"));
    assertThat(sent).filteredOn(basic("rotating-client", "old-secret-1")::equals).hasSizeBetween(1, 2);
    assertThat(sent).filteredOn(basic("rotating-client", "new-secret-2")::equals).hasSize(idp.issued().size() - 1);
    // the first token stayed in use after the swap until its refresh replaced it
    assertThat(idp.issued().get(0)).isEqualTo(first);
    String stderr = done.stderr();
    assertThat(stderr).contains("upstream.oauth.client-secret changed (file " + volume.resolve("client-secret") + ")");
    assertThat(stderr).doesNotContain("old-secret-1").doesNotContain("new-secret-2");
    assertThat(done.stdout()).doesNotContain("old-secret-1").doesNotContain("new-secret-2");
  }

  @Test
  void idpToldFirst_backingOffAfterInvalidClient_secretFileSwapped_backOffEndsAtOnce() throws Exception {
    startApi();
    Path dir = Files.createTempDirectory("rotation-backoff-it");
    Path volume = Files.createDirectory(dir.resolve("secret-volume"));
    mount(volume, 1, "old-secret-1");
    // the IdP already refuses the old secret: the first token request fails with invalid_client
    idp.server().stubFor(post(urlPathEqualTo(FakeIdp.PATH)).atPriority(1)
        .withHeader("Authorization", equalTo(basic("rotating-client", "old-secret-1")))
        .willReturn(aResponse().withStatus(401).withHeader("Content-Type", "application/json")
            .withBody("{\"error\":\"invalid_client\"}")));
    AgentApp app =
        AgentApp.of("http-url-connection")
            .oauth("hosts", "127.0.0.1:" + api.port())
            .oauth("token-endpoint", idp.tokenEndpoint())
            .oauth("client-id", "rotating-client")
            .oauth("client-secret", "${file:" + volume.resolve("client-secret") + "}")
            // far longer than this test may take: only the changed file can end it
            .oauth("idp-retry.config-error-backoff", 3_600_000);
    run = start(app, dir);

    await("the refusal", () -> idp.tokenRequests().size() >= 1);
    mount(volume, 2, "new-secret-2");
    await("a token for the new secret, in use", () -> idp.issued().size() == 1 && okRequests() >= 10);
    Files.createFile(until);
    AppRun done = run.get();
    run = null;

    assertThat(authorizations()).containsOnly(basic("rotating-client", "old-secret-1"), basic("rotating-client", "new-secret-2"));
    assertThat(authorizations()).filteredOn(basic("rotating-client", "new-secret-2")::equals).hasSize(1);
    assertThat(done.ok()).isPositive();
    assertThat(done.stderr()).contains("upstream.oauth.client-secret changed (file " + volume.resolve("client-secret") + ")")
        .contains("the back-off after the last failure ends")
        .doesNotContain("old-secret-1").doesNotContain("new-secret-2");
  }

  @Test
  void clientAssertionFile_idpReceivesTheFilesCurrentContent_eachTokenRequest() throws Exception {
    startApi();
    idp.expiresIn(LIFETIME_SECONDS);
    Path dir = Files.createTempDirectory("assertion-it");
    Path token = dir.resolve("token");
    Files.write(token, "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJvbmUifQ.c2ln-1\n".getBytes(StandardCharsets.UTF_8));
    AgentApp app =
        AgentApp.of("http-url-connection")
            .oauth("hosts", "127.0.0.1:" + api.port())
            .oauth("token-endpoint", idp.tokenEndpoint())
            .oauth("client-id", "workload")
            .oauth("auth-method", "client_assertion_file")
            .oauth("client-assertion-file", token.toString())
            .oauth("cache.eagerly-expire", 0)
            .oauth("cache.refresh-ahead-window", 0.5);
    run = start(app, dir);

    await("the first token in use", () -> idp.issued().size() == 1 && okRequests() >= 5);
    Files.write(token, "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ0d28ifQ.c2ln-2".getBytes(StandardCharsets.UTF_8));
    await("a token request with the new content", () -> assertions().contains("eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ0d28ifQ.c2ln-2"));
    Files.createFile(until);
    AppRun done = run.get();
    run = null;

    assertThat(done.errors() + done.other()).as("failed requests: %s", done).isZero();
    assertThat(assertions()).as("the content as it was at each token request, never a stale copy")
        .containsOnly("eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJvbmUifQ.c2ln-1", "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ0d28ifQ.c2ln-2")
        .containsOnlyOnce("eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJvbmUifQ.c2ln-1");
    for (LoggedRequest request : idp.tokenRequests()) {
      assertThat(request.containsHeader("Authorization")).as("no Basic: the assertion is the credential").isFalse();
      assertThat(request.getBodyAsString())
          .contains("client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer")
          .doesNotContain("client_secret");
    }
  }

  private long okRequests() {
    return api.findAll(anyRequestedFor(anyUrl()).withHeader("Authorization", matching("Bearer tok-.*"))).size();
  }

  private List<String> authorizations() {
    return idp.tokenRequests().stream().map(request -> request.getHeader("Authorization")).collect(Collectors.toList());
  }

  private List<String> assertions() {
    return idp.tokenRequests().stream().map(request -> field(request.getBodyAsString(), "client_assertion"))
        .collect(Collectors.toList());
  }

  private static String field(String form, String name) {
    for (String pair : form.split("&")) {
      if (pair.startsWith(name + "=")) {
        return URLDecoder.decode(pair.substring(name.length() + 1), StandardCharsets.UTF_8);
      }
    }
    return null;
  }

  private void await(String what, BooleanSupplier condition) throws InterruptedException {
    long end = System.nanoTime() + DEADLINE.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("waited " + DEADLINE + " for " + what);
      }
      Thread.sleep(100);
    }
  }
}
