package io.upstreamoauth.agent.oauth;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.upstreamoauth.agent.config.AuthMethod;
import io.upstreamoauth.agent.config.OAuthSettings;
import io.upstreamoauth.agent.util.FakeClock;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** auth-method=client_assertion_file at a WireMock IdP: the file's content, as it is now, per request. */
class TokenEndpointClientAssertionFileTest {

  @TempDir Path dir;
  private WireMockServer idp;

  @BeforeEach
  void startIdp() {
    idp = new WireMockServer(options().dynamicPort());
    idp.start();
    idp.stubFor(
        post(anyUrl())
            .willReturn(
                aResponse()
                    .withHeader("Content-Type", "application/json")
                    .withBody("{\"access_token\":\"tok\",\"token_type\":\"Bearer\",\"expires_in\":60}")));
  }

  @AfterEach
  void stopIdp() {
    idp.stop();
  }

  private OAuthSettings settings(Path file, String clientId) {
    return OAuthSettings.builder()
        .tokenEndpoint(URI.create("http://localhost:" + idp.port() + "/token"))
        .clientId(clientId)
        .authMethod(AuthMethod.CLIENT_ASSERTION_FILE)
        .clientAssertionFile(file.toString())
        .build();
  }

  private static Map<String, String> form(LoggedRequest request) throws Exception {
    Map<String, String> map = new LinkedHashMap<>();
    for (String pair : request.getBodyAsString().split("&")) {
      int equals = pair.indexOf('=');
      map.put(
          URLDecoder.decode(pair.substring(0, equals), "UTF-8"),
          URLDecoder.decode(pair.substring(equals + 1), "UTF-8"));
    }
    return map;
  }

  @Test
  void fetch_sendsTheFilesContent_readAgainForEveryRequest() throws Exception {
    Path file = dir.resolve("token");
    Files.write(file, "eyJ.first.sig\n".getBytes(StandardCharsets.UTF_8));
    TokenEndpointClient client = new TokenEndpointClient(settings(file, "orders"), new FakeClock());
    client.fetch();
    Files.write(file, "eyJ.second.sig".getBytes(StandardCharsets.UTF_8)); // the kubelet renewed it
    client.fetch();

    List<LoggedRequest> requests = idp.findAll(postRequestedFor(anyUrl()));
    assertThat(requests).hasSize(2);
    Map<String, String> first = form(requests.get(0));
    assertThat(first)
        .containsEntry("grant_type", "client_credentials")
        .containsEntry("client_id", "orders")
        .containsEntry("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer")
        .containsEntry("client_assertion", "eyJ.first.sig")
        .doesNotContainKey("client_secret");
    assertThat(form(requests.get(1))).containsEntry("client_assertion", "eyJ.second.sig");
    assertThat(requests.get(0).containsHeader("Authorization")).as("one method: no Basic too").isFalse();
  }

  @Test
  void fetch_noClientId_sendsTheAssertionAlone() throws Exception {
    Path file = dir.resolve("token");
    Files.write(file, "eyJ.only.sig".getBytes(StandardCharsets.UTF_8));
    new TokenEndpointClient(settings(file, null), new FakeClock()).fetch();
    assertThat(form(idp.findAll(postRequestedFor(anyUrl())).get(0)))
        .doesNotContainKey("client_id")
        .containsEntry("client_assertion", "eyJ.only.sig");
  }

  @Test
  void fetch_fileGone_configurationErrorNamingTheKeyAndFile_noRequest() throws Exception {
    Path file = dir.resolve("token");
    Files.write(file, "eyJ.secret-looking.sig".getBytes(StandardCharsets.UTF_8));
    TokenEndpointClient client = new TokenEndpointClient(settings(file, "orders"), new FakeClock());
    Files.delete(file);
    TokenFetchException e = catchThrowableOfType(TokenFetchException.class, client::fetch);
    assertThat(e.kind()).isEqualTo(TokenFetchException.Kind.CONFIGURATION);
    assertThat(e.getMessage()).contains("client-assertion-file").contains(file.toString());
    assertThat(idp.findAll(postRequestedFor(anyUrl()))).isEmpty();
  }

  @Test
  void fetch_idpEchoesTheAssertion_messageScrubsIt() throws Exception {
    idp.stubFor(
        post(anyUrl())
            .atPriority(1)
            .willReturn(
                aResponse()
                    .withStatus(400)
                    .withHeader("Content-Type", "application/json")
                    .withBody("{\"error\":\"invalid_client\",\"error_description\":\"bad assertion eyJ.echoed-bearer.sig\"}")));
    Path file = dir.resolve("token");
    Files.write(file, "eyJ.echoed-bearer.sig".getBytes(StandardCharsets.UTF_8));
    TokenFetchException e =
        catchThrowableOfType(TokenFetchException.class, new TokenEndpointClient(settings(file, "orders"), new FakeClock())::fetch);
    assertThat(e.errorCode()).isEqualTo("invalid_client");
    assertThat(e.getMessage()).contains("bad assertion").doesNotContain("echoed-bearer");
  }

  @Test
  void fetch_emptyFile_configurationError() throws Exception {
    Path file = dir.resolve("token");
    Files.write(file, " \n".getBytes(StandardCharsets.UTF_8));
    TokenFetchException e =
        catchThrowableOfType(TokenFetchException.class, new TokenEndpointClient(settings(file, "orders"), new FakeClock())::fetch);
    assertThat(e.getMessage()).contains("is empty");
  }
}
