package io.upstreamoauth.agent.cli;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import io.upstreamoauth.agent.dpop.DpopKeyFile;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CheckCommandTest {

  private static final String SECRET = "Zq7xK-SuperSecret-Quokka-4471-pLmN";

  private WireMockServer idp;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @BeforeEach
  void start() {
    idp = new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"));
    idp.start();
  }

  @AfterEach
  void stop() {
    idp.stop();
  }

  private Map<String, String> config() {
    Map<String, String> p = new HashMap<>();
    p.put("upstream.oauth.hosts", "api.example.com");
    p.put("upstream.oauth.token-endpoint", "http://127.0.0.1:" + idp.port() + "/token");
    p.put("upstream.oauth.client-id", "orders");
    p.put("upstream.oauth.client-secret", SECRET);
    p.put("upstream.oauth.scopes", "orders.read");
    return p;
  }

  private int check(Map<String, String> properties, String... args) {
    String[] all = new String[args.length + 1];
    all[0] = "check";
    System.arraycopy(args, 0, all, 1, args.length);
    return Commands.run(all, properties, new HashMap<String, String>(), new PrintStream(out, true), new PrintStream(err, true));
  }

  private String output() {
    return new String(out.toByteArray(), StandardCharsets.UTF_8) + new String(err.toByteArray(), StandardCharsets.UTF_8);
  }

  private static String b64(String json) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void jwtToken_showsClaimsAndFingerprint_neverTheToken() {
    String jwt =
        b64("{\"alg\":\"RS256\",\"typ\":\"at+jwt\"}") + "."
            + b64("{\"iss\":\"https://idp.example.com\",\"aud\":[\"orders-api\",\"x\"],\"exp\":1900000000,"
                + "\"cnf\":{\"jkt\":\"0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I\"},\"sub\":\"someone\"}")
            + ".c2lnbmF0dXJlLXNpZ25hdHVyZS1zaWduYXR1cmU";
    idp.stubFor(
        post(urlPathEqualTo("/token"))
            .willReturn(
                aResponse()
                    .withHeader("Content-Type", "application/json")
                    .withBody("{\"access_token\":\"" + jwt + "\",\"token_type\":\"Bearer\",\"expires_in\":300,\"scope\":\"orders.read\"}")));
    assertThat(check(config())).isEqualTo(0);
    String text = output();
    assertThat(text)
        .contains("profile 'default'")
        .contains("  endpoint: http://127.0.0.1:" + idp.port() + "/token")
        .contains("  grant: client_credentials, auth method: client_secret_basic, cache: memory")
        .contains("  token: Bearer, expires_in: 300 s, scope: \"orders.read\", sha256: " + TokenReport.fingerprint(jwt))
        .contains(
            "  jwt: iss=https://idp.example.com aud=[\"orders-api\",\"x\"] exp=1900000000 (2030-03-17T17:46:40Z)"
                + " cnf={\"jkt\":\"0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I\"}")
        .doesNotContain(jwt)
        .doesNotContain(jwt.split("\\.")[1])
        .doesNotContain(jwt.split("\\.")[2])
        .doesNotContain(SECRET)
        .doesNotContain("someone");
  }

  @Test
  void opaqueToken_noScopeInAnswer_saysTheRequestedOne() {
    idp.stubFor(
        post(urlPathEqualTo("/token"))
            .willReturn(
                aResponse()
                    .withHeader("Content-Type", "application/json")
                    .withBody("{\"access_token\":\"opaque-token-0123456789abcdef\",\"token_type\":\"bearer\"}")));
    assertThat(check(config())).isEqualTo(0);
    assertThat(output())
        .contains("token: Bearer, expires_in: not sent, scope: not sent (requested \"orders.read\"), sha256: ")
        .contains("jwt: no (an opaque token)")
        .doesNotContain("opaque-token-0123456789abcdef");
  }

  @Test
  void idpRefuses_exits1_withTheIdpError_noSecret() {
    idp.stubFor(
        post(urlPathEqualTo("/token"))
            .willReturn(
                aResponse()
                    .withStatus(401)
                    .withHeader("Content-Type", "application/json")
                    .withBody("{\"error\":\"invalid_client\",\"error_description\":\"bad secret " + SECRET + "\"}")));
    assertThat(check(config(), "--url", "https://api.example.com/")).isEqualTo(1);
    assertThat(output())
        .contains("token: REFUSED (configuration): token endpoint http://127.0.0.1:" + idp.port()
            + "/token answered HTTP 401: invalid_client")
        .contains("url https://api.example.com/: profile 'default', header Authorization")
        .doesNotContain(SECRET);
  }

  @Test
  void badUrl_exits2_beforeAnyTokenRequest() {
    idp.stubFor(
        post(urlPathEqualTo("/token"))
            .willReturn(aResponse().withHeader("Content-Type", "application/json")
                .withBody("{\"access_token\":\"opaque-token-0123456789abcdef\",\"token_type\":\"bearer\"}")));
    assertThat(check(config(), "--url=ftp://api.example.com/")).isEqualTo(2);
    assertThat(output()).contains("check: --url 'ftp://api.example.com/' is not an http or https URL");
    assertThat(idp.getAllServeEvents()).as("checked before any token request").isEmpty();
  }

  @Test
  void idpUnreachable_exits1_transient() {
    Map<String, String> p = config();
    int port = idp.port();
    idp.stop(); // nothing listens there now
    p.put("upstream.oauth.token-endpoint", "http://127.0.0.1:" + port + "/token");
    assertThat(check(p)).isEqualTo(1);
    assertThat(output()).contains("  token: FAILED (transient): token endpoint http://127.0.0.1:" + port + "/token");
    idp.start();
  }

  @Test
  void dpop_showsTheProofKeyThumbprint_andWhetherCnfMatches(@TempDir Path dir) throws Exception {
    // P-256 said explicitly: JDK 20+ makes 384-bit EC keys by default
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new java.security.spec.ECGenParameterSpec("secp256r1"));
    KeyPair pair = generator.generateKeyPair();
    Path keyFile = dir.resolve("dpop.pem");
    Files.writeString(keyFile, pem("PRIVATE KEY", pair.getPrivate().getEncoded()) + pem("PUBLIC KEY", pair.getPublic().getEncoded()));
    String jkt = DpopKeyFile.load(keyFile.toString(), "ES256").thumbprint();
    String jwt =
        b64("{\"alg\":\"ES256\"}") + "." + b64("{\"iss\":\"i\",\"cnf\":{\"jkt\":\"" + jkt + "\"}}") + ".c2ln";
    idp.stubFor(
        post(urlPathEqualTo("/token"))
            .willReturn(
                aResponse()
                    .withHeader("Content-Type", "application/json")
                    .withBody("{\"access_token\":\"" + jwt + "\",\"token_type\":\"DPoP\",\"expires_in\":60}")));
    Map<String, String> p = config();
    p.put("upstream.oauth.dpop", "true");
    p.put("upstream.oauth.dpop-key-file", keyFile.toString());
    assertThat(check(p)).as(output()).isEqualTo(0);
    assertThat(output())
        .contains("  token: DPoP, expires_in: 60 s")
        .contains("  dpop: ES256 key, jkt " + jkt + " (" + keyFile + "), cnf.jkt matches");
    // the token request carried a proof
    assertThat(idp.getAllServeEvents().get(0).getRequest().getHeader("DPoP")).isNotBlank();
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }
}
