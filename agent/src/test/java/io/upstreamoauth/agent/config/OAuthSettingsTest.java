package io.upstreamoauth.agent.config;

import static io.upstreamoauth.agent.config.TestConfigs.SECRET;
import static io.upstreamoauth.agent.config.TestConfigs.load;
import static io.upstreamoauth.agent.config.TestConfigs.valid;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class OAuthSettingsTest {

  private static OAuthSettings.Builder base() {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("X-Tenant", "acme");
    headers.put("X-Region", "eu");
    Map<String, String> args = new LinkedHashMap<>();
    args.put("resource", "urn:api");
    args.put("tenant", "acme");
    return OAuthSettings.builder()
        .tokenEndpoint(URI.create("https://idp.example.com/token"))
        .clientId("client")
        .clientSecret(SECRET)
        .scopes(List.of("read", "write"))
        .audience(List.of("https://a.example.com", "https://b.example.com"))
        .tokenHeaders(headers)
        .tokenPostArgs(args);
  }

  private static String key(UnaryOperator<OAuthSettings.Builder> change) {
    return change.apply(base()).build().cacheKey();
  }

  private static String identity(UnaryOperator<OAuthSettings.Builder> change) {
    return change.apply(base()).build().identity();
  }

  // ---- builder ----

  @Test
  void build_withoutTokenEndpoint_throws() {
    assertThatThrownBy(() -> OAuthSettings.builder().build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("tokenEndpoint is required");
  }

  @Test
  void build_defaults() {
    OAuthSettings settings = OAuthSettings.builder().tokenEndpoint(URI.create("https://idp/t")).build();

    assertThat(settings.grantType()).isEqualTo(GrantType.CLIENT_CREDENTIALS);
    assertThat(settings.authMethod()).isEqualTo(AuthMethod.CLIENT_SECRET_BASIC);
    assertThat(settings.clientSecretJwtAlg()).isEqualTo("HS256");
    assertThat(settings.privateKeyAlg()).isEqualTo("RS256");
    assertThat(settings.timeoutMillis()).isEqualTo(10_000);
    assertThat(settings.assertionAudience()).isEqualTo("https://idp/t");
    assertThat(settings.scopes()).isEmpty();
    assertThat(settings.tokenHeaders()).isEmpty();
  }

  @Test
  void build_copiesCollections_laterChangesDoNotLeakIn() {
    List<String> scopes = new ArrayList<>(List.of("read"));
    Map<String, String> headers = new LinkedHashMap<>(Map.of("X-A", "1"));
    OAuthSettings settings = base().scopes(scopes).tokenHeaders(headers).build();
    String key = settings.cacheKey();

    scopes.add("admin");
    headers.put("X-B", "2");

    assertThat(settings.scopes()).containsExactly("read");
    assertThat(settings.tokenHeaders()).containsOnlyKeys("X-A");
    assertThat(settings.cacheKey()).isEqualTo(key);
    assertThat(settings.scopes()).isUnmodifiable();
    assertThat(settings.audience()).isUnmodifiable();
    assertThat(settings.tokenPostArgs()).isUnmodifiable();
  }

  // ---- cacheKey ----

  @Test
  void cacheKey_isLowerCaseHexSha256AndStable() {
    String key = base().build().cacheKey();

    assertThat(key).matches("[0-9a-f]{64}");
    assertThat(base().build().cacheKey()).isEqualTo(key);
  }

  @Test
  void cacheKey_scopeOrderAndDuplicates_doNotMatter() {
    assertThat(key(b -> b.scopes(List.of("write", "read", "write")))).isEqualTo(key(b -> b));
  }

  @Test
  void cacheKey_audienceOrderAndDuplicates_doNotMatter() {
    assertThat(
            key(b -> b.audience(List.of("https://b.example.com", "https://a.example.com", "https://b.example.com"))))
        .isEqualTo(key(b -> b));
  }

  @Test
  void cacheKey_headerNameCase_doesNotMatter() {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("x-region", "eu");
    headers.put("X-TENANT", "acme");

    assertThat(key(b -> b.tokenHeaders(headers))).isEqualTo(key(b -> b));
  }

  @Test
  void cacheKey_postArgOrder_doesNotMatter() {
    Map<String, String> args = new LinkedHashMap<>();
    args.put("tenant", "acme");
    args.put("resource", "urn:api");

    assertThat(key(b -> b.tokenPostArgs(args))).isEqualTo(key(b -> b));
  }

  @Test
  void cacheKey_settingsThatDoNotIdentifyToken_doNotMatter() {
    assertThat(key(b -> b.timeoutMillis(1))).isEqualTo(key(b -> b));
  }

  @Test
  void cacheKey_anyChangeButCredentials_givesDifferentKey() {
    String original = key(b -> b);
    Map<String, String> otherHeaderValue = new LinkedHashMap<>(Map.of("X-Tenant", "other", "X-Region", "eu"));
    Map<String, String> otherArgValue = new LinkedHashMap<>(Map.of("resource", "urn:other", "tenant", "acme"));
    Map<String, String> otherArgName = new LinkedHashMap<>(Map.of("Resource", "urn:api", "tenant", "acme"));
    Map<String, String> extraArg = new LinkedHashMap<>(Map.of("resource", "urn:api", "tenant", "acme", "x", "1"));

    List<String> changed =
        List.of(
            key(b -> b.clientId("client2")),
            key(b -> b.tokenEndpoint(URI.create("https://idp.example.com/token2"))),
            key(b -> b.tokenEndpoint(URI.create("https://idp2.example.com/token"))),
            key(b -> b.grantType(GrantType.PASSWORD)),
            key(b -> b.username("alice")),
            key(b -> b.scopes(List.of("read"))),
            key(b -> b.scopes(List.of("read", "write", "admin"))),
            key(b -> b.audience(List.of("https://a.example.com"))),
            key(b -> b.tokenHeaders(otherHeaderValue)),
            key(b -> b.tokenHeaders(Map.of())),
            key(b -> b.tokenPostArgs(otherArgValue)),
            key(b -> b.tokenPostArgs(otherArgName)),
            key(b -> b.tokenPostArgs(extraArg)),
            key(b -> b.privateKey(null, "fingerprint-1")),
            key(b -> b.privateKey(null, "fingerprint-2")));

    assertThat(changed).doesNotContain(original).doesNotHaveDuplicates();
  }

  @Test
  void cacheKey_secretOrPassword_doNotMatter() {
    // the key may be shown or stored in the clear: it must not confirm a guessed secret
    String original = key(b -> b);

    assertThat(List.of(
            key(b -> b.clientSecret(SECRET + "2")),
            key(b -> b.clientSecret(null)),
            key(b -> b.password("pw")),
            key(b -> b.password("other-pw"))))
        .containsOnly(original);
    assertThat(key(b -> b.grantType(GrantType.PASSWORD).username("alice").password("pw1")))
        .isEqualTo(key(b -> b.grantType(GrantType.PASSWORD).username("alice").password("pw2")));
  }

  @Test
  void cacheKey_isSha256OfPublicIdentity_whichHoldsNoCredential() {
    OAuthSettings settings = base().grantType(GrantType.PASSWORD).username("alice").password("pw-" + SECRET).build();

    assertThat(settings.cacheKey()).isEqualTo(io.upstreamoauth.agent.util.Digests.sha256Hex(settings.publicIdentity()));
    assertThat(settings.publicIdentity())
        .doesNotContain(SECRET)
        .contains("client", "alice", "https://idp.example.com/token", "urn:api", "acme");
    assertThat(settings.identity()).contains(SECRET).contains("pw-" + SECRET);
  }

  @Test
  void identity_anyIdentifyingChange_credentialsIncluded_differs() {
    String original = identity(b -> b);

    List<String> changed =
        List.of(
            identity(b -> b.clientSecret(SECRET + "2")),
            identity(b -> b.clientSecret(null)),
            identity(b -> b.clientSecret("")),
            identity(b -> b.password("pw")),
            identity(b -> b.clientId("client2")),
            identity(b -> b.scopes(List.of("read"))),
            identity(b -> b.privateKey(null, "fingerprint-1")));

    assertThat(changed).doesNotContain(original).doesNotHaveDuplicates();
  }

  @Test
  void identity_textMovedBetweenFields_differs() {
    assertThat(identity(b -> b.clientId("ab").clientSecret("c")))
        .isNotEqualTo(identity(b -> b.clientId("a").clientSecret("bc")));
    assertThat(identity(b -> b.username("ab").password("c")))
        .isNotEqualTo(identity(b -> b.username("a").password("bc")));
  }

  @Test
  void cacheKey_listElementsCannotBeMergedOrSplit() {
    assertThat(key(b -> b.audience(List.of("a b")))).isNotEqualTo(key(b -> b.audience(List.of("a", "b"))));
    assertThat(key(b -> b.scopes(List.of("a b")))).isNotEqualTo(key(b -> b.scopes(List.of("a", "b"))));
  }

  @Test
  void cacheKey_headerAndPostArgWithSameNameAndValue_differ() {
    assertThat(key(b -> b.tokenHeaders(Map.of("x", "1")).tokenPostArgs(Map.of())))
        .isNotEqualTo(key(b -> b.tokenHeaders(Map.of()).tokenPostArgs(Map.of("x", "1"))));
  }

  @Test
  void cacheKey_profilesWithIdenticalOAuthSettings_areEqual() throws Exception {
    AgentConfig config =
        load(
            valid(
                "hosts", null,
                "scopes", "read,write",
                "profiles", "billing,crm,other",
                "billing.hosts", "billing.example.com",
                "billing.timeout", "1000",
                "billing.header-name", "X-Token",
                "crm.hosts", "crm.example.com",
                "crm.scopes", "write, read",
                "other.hosts", "other.example.com",
                "other.client-id", "other-client"));

    String billing = config.profiles().get(0).oauth().cacheKey();
    String crm = config.profiles().get(1).oauth().cacheKey();
    String other = config.profiles().get(2).oauth().cacheKey();
    assertThat(billing).isEqualTo(crm);
    assertThat(other).isNotEqualTo(billing);
  }

  // ---- secrets and toString ----

  @Test
  void secrets_listsEverySecretValue() {
    OAuthSettings settings = base().password("pw-value").build();

    assertThat(settings.secrets())
        .contains(SECRET, "pw-value", "acme", "eu", "urn:api")
        .doesNotContain("client", "https://idp.example.com/token");
  }

  @Test
  void toString_showsIdentityButNoSecret() {
    OAuthSettings settings = base().password("pw-" + SECRET).build();

    assertThat(settings.toString())
        .contains("tokenEndpoint=https://idp.example.com/token")
        .contains("clientId=client")
        .contains("authMethod=client_secret_basic")
        .contains("clientSecret=****")
        .doesNotContain(SECRET)
        .doesNotContain("acme")
        .doesNotContain("urn:api");
    assertThat(base().clientSecret(null).build().toString()).contains("clientSecret=none");
  }
}
