package io.upstreamoauth.agent.cli.kong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.upstreamoauth.agent.config.AgentConfig;
import io.upstreamoauth.agent.config.ConfigLoader;
import io.upstreamoauth.agent.config.ProfileConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** from-kong on configurations shaped like the examples of Kong's own documentation of the plugin. */
class KongConverterTest {

  @TempDir Path dir;

  static String resource(String name) throws IOException {
    try (InputStream in = KongConverterTest.class.getResourceAsStream("/kong/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  static Properties properties(String text) throws IOException {
    Properties properties = new Properties();
    properties.load(new StringReader(text));
    return properties;
  }

  private static KongConverter.Result convert(String name) throws IOException {
    return KongConverter.convert(resource(name), name);
  }

  @Test
  void basicExample_serviceUrlIsTheHostAndEnvVaultReferencesBecomeEnvReferences() throws IOException {
    KongConverter.Result result = convert("basic-example.yaml");
    Properties p = properties(result.properties);

    assertThat(result.profiles).containsExactly("example-service");
    assertThat(p.getProperty("upstream.oauth.profiles")).isEqualTo("example-service");
    assertThat(p.getProperty("upstream.oauth.example-service.hosts")).isEqualTo("http://httpbin.konghq.com/anything");
    assertThat(p.getProperty("upstream.oauth.example-service.token-endpoint"))
        .isEqualTo("http://keycloak.local:8080/realms/master/protocol/openid-connect/token");
    assertThat(p.getProperty("upstream.oauth.example-service.client-id")).isEqualTo("${env:UPSTREAM_CLIENT_ID}");
    assertThat(p.getProperty("upstream.oauth.example-service.client-secret")).isEqualTo("${env:UPSTREAM_CLIENT_SECRET}");
    assertThat(p.getProperty("upstream.oauth.example-service.scopes")).isEqualTo("openid");
    // Kong's default, which is not the agent's
    assertThat(p.getProperty("upstream.oauth.example-service.auth-method")).isEqualTo("client_secret_post");
    assertThat(p.getProperty("upstream.oauth.example-service.header-name")).isEqualTo("Authorization");
    assertThat(result.variables).containsExactly("UPSTREAM_CLIENT_ID", "UPSTREAM_CLIENT_SECRET");
    assertThat(result.missingHosts).isEmpty();
  }

  @Test
  void kongIdentityAdminApiPlugin_globalHasAHostsPlaceholder_literalSecretIsNeverPrinted() throws IOException {
    KongConverter.Result result = convert("kong-identity-plugin.json");
    Properties p = properties(result.properties);

    assertThat(result.properties).doesNotContain("Kong1dentity-Literal-Secret-77");
    assertThat(p.getProperty("upstream.oauth.kong-1.client-secret")).isEqualTo("${env:KONG_1_CLIENT_SECRET}");
    assertThat(result.properties)
        .contains("config.oauth.client_secret held a literal secret")
        .contains("#upstream.oauth.kong-1.hosts=FILL-IN")
        .contains("hosts must be filled in");
    assertThat(p.getProperty("upstream.oauth.kong-1.hosts")).isNull();
    assertThat(p.getProperty("upstream.oauth.kong-1.scopes")).isEqualTo("Scope");
    assertThat(p.getProperty("upstream.oauth.kong-1.client-id")).isEqualTo("k1dclient");
    assertThat(result.missingHosts).containsExactly("kong-1");
  }

  @Test
  void allFields_everyFieldOfThePluginIsInTheTestFile() throws IOException {
    Map<String, Object> seen = new LinkedHashMap<>();
    for (Object plugin : KongNodes.list(KongNodes.map(KongTree.parse(resource("all-fields.yaml"))).get("plugins"))) {
      flatten("", KongNodes.map(KongNodes.map(plugin), "config"), seen);
    }
    for (Object service : KongNodes.list(KongNodes.map(KongTree.parse(resource("all-fields.yaml"))).get("services"))) {
      for (Object plugin : KongNodes.list(KongNodes.map(service).get("plugins"))) {
        flatten("", KongNodes.map(KongNodes.map(plugin), "config"), seen);
      }
    }
    List<String> fields = new ArrayList<>(KongFields.MAPPED.keySet());
    fields.addAll(KongFields.UNMAPPED.keySet());
    fields.add("oauth.token_headers");
    fields.add("oauth.token_post_args");
    assertThat(seen.keySet()).containsAll(fields);
    // and nothing the converter does not know
    assertThat(fields).containsAll(seen.keySet());
  }

  private static void flatten(String prefix, Map<String, Object> node, Map<String, Object> flat) {
    for (Map.Entry<String, Object> entry : node.entrySet()) {
      String name = prefix + entry.getKey();
      boolean leaf = name.equals("oauth.token_headers") || name.equals("oauth.token_post_args")
          || name.equals("cache.redis.cloud_authentication");
      if (entry.getValue() instanceof Map && !leaf) {
        flatten(name + ".", KongNodes.map(entry.getValue()), flat);
      } else {
        flat.put(name, entry.getValue());
      }
    }
  }

  @Test
  void allFields_mappedFieldsBecomeTheirKeys() throws IOException {
    KongConverter.Result result = convert("all-fields.yaml");
    Properties p = properties(result.properties);

    assertThat(result.profiles).containsExactly("billing-oauth", "orders-route", "ledger", "kong-4");
    String b = "upstream.oauth.billing-oauth.";
    assertThat(p.getProperty(b + "hosts")).isEqualTo("https://billing.internal:8443/v1");
    assertThat(p.getProperty(b + "grant-type")).isEqualTo("password");
    assertThat(p.getProperty(b + "client-id")).isEqualTo("billing-client");
    assertThat(p.getProperty(b + "username")).isEqualTo("svc-billing");
    assertThat(p.getProperty(b + "password")).isEqualTo("${env:BILLING_OAUTH_PASSWORD}");
    assertThat(p.getProperty(b + "scopes")).isEqualTo("billing.read,billing.write");
    assertThat(p.getProperty(b + "audience")).isEqualTo("https://billing.internal,https://ledger.internal");
    assertThat(p.getProperty(b + "token-headers.X-Tenant")).isEqualTo("acme");
    assertThat(p.getProperty(b + "token-headers.X-Api-Key")).isEqualTo("${env:BILLING_OAUTH_TOKEN_HEADER_X_API_KEY}");
    assertThat(p.getProperty(b + "token-post-args.resource")).isEqualTo("https://billing.internal");
    // a reference through a vault entity with its own prefix and config.prefix
    assertThat(p.getProperty(b + "token-post-args.client_assertion_extra")).isEqualTo("${env:PARTNER_EXTRA_ARG}");
    assertThat(p.getProperty(b + "auth-method")).isEqualTo("client_secret_basic");
    assertThat(p.getProperty(b + "client-secret-jwt-alg")).isEqualTo("HS256");
    assertThat(p.getProperty(b + "timeout")).isEqualTo("7000");
    assertThat(p.getProperty(b + "ssl-verify")).isEqualTo("true");
    assertThat(p.getProperty(b + "cache.strategy")).isEqualTo("memory");
    assertThat(p.getProperty(b + "cache.eagerly-expire")).isEqualTo("10");
    assertThat(p.getProperty(b + "cache.default-ttl")).isEqualTo("1800");
    assertThat(p.getProperty(b + "header-name")).isEqualTo("X-Upstream-Token");
    assertThat(p.getProperty(b + "purge-token-on-upstream-status-codes")).isEqualTo("401,403");

    String o = "upstream.oauth.orders-route.";
    assertThat(p.getProperty(o + "hosts")).isEqualTo("https://orders.example.com/orders,https://orders.example.com/orders-v2");
    assertThat(p.getProperty(o + "client-id")).isEqualTo("${env:ORDERS_CLIENT_ID}");
    assertThat(p.getProperty(o + "client-secret")).isEqualTo("${file:/run/secrets/orders-client-secret}");
    assertThat(p.getProperty(o + "auth-method")).isEqualTo("client_secret_jwt");
    assertThat(p.getProperty(o + "client-secret-jwt-alg")).isEqualTo("HS512"); // Kong's default
    assertThat(p.getProperty(o + "ssl-verify")).isEqualTo("false");
    assertThat(p.getProperty(o + "cache.strategy")).isEqualTo("redis");
    assertThat(p.getProperty(o + "cache.default-ttl")).isEqualTo("600");
    assertThat(p.getProperty(o + "cache.redis.host")).isEqualTo("redis.internal");
    assertThat(p.getProperty(o + "cache.redis.port")).isEqualTo("6380");
    assertThat(p.getProperty(o + "cache.redis.database")).isEqualTo("2");
    assertThat(p.getProperty(o + "cache.redis.username")).isEqualTo("agent");
    assertThat(p.getProperty(o + "cache.redis.password")).isEqualTo("${file:/run/secrets/redis-password}");
    assertThat(p.getProperty(o + "cache.redis.ssl")).isEqualTo("true");
    assertThat(p.getProperty(o + "cache.redis.ssl-verify")).isEqualTo("true");
    assertThat(p.getProperty(o + "cache.redis.server-name")).isEqualTo("redis.internal");
    // the deprecated redis.timeout stands for both
    assertThat(p.getProperty(o + "cache.redis.connect-timeout")).isEqualTo("2500");
    assertThat(p.getProperty(o + "cache.redis.read-timeout")).isEqualTo("2500");
    assertThat(result.properties).contains("if the application now calls the service directly instead of through Kong, the hosts are: http://orders.internal/api");

    String l = "upstream.oauth.ledger.";
    // the service's host is an upstream entity: its targets, 8000 where a target names no port
    assertThat(p.getProperty(l + "hosts")).isEqualTo("https://ledger-1.internal:9443,https://ledger-2.internal:8000");
    assertThat(p.getProperty(l + "client-secret")).isEqualTo("${env:PARTNER_LEDGER_SECRET}");
    assertThat(p.getProperty(l + "scopes")).isEmpty();
    assertThat(p.getProperty(l + "cache.redis.connect-timeout")).isEqualTo("1000");
    assertThat(p.getProperty(l + "cache.redis.read-timeout")).isEqualTo("3000");
    assertThat(p.getProperty(l + "cache.redis.sentinel-master")).isEqualTo("mymaster");
    assertThat(p.getProperty(l + "cache.redis.sentinel-role")).isEqualTo("any");
    assertThat(p.getProperty(l + "cache.redis.sentinel-nodes")).isEqualTo("sentinel-1.internal:26379,sentinel-2.internal:26379");
    assertThat(p.getProperty(l + "cache.redis.sentinel-username")).isEqualTo("sentinel-user");
    assertThat(p.getProperty(l + "cache.redis.sentinel-password")).isEqualTo("${env:DECK_SENTINEL_PASSWORD}");
    assertThat(p.getProperty(l + "purge-token-on-upstream-status-codes")).isEmpty();

    String g = "upstream.oauth.kong-4.";
    assertThat(p.getProperty(g + "hosts")).isNull();
    assertThat(p.getProperty(g + "client-secret")).isEqualTo("${env:EVERYONE_SECRET_PREVIOUS}");
    assertThat(p.getProperty(g + "auth-method")).isEqualTo("none");
    assertThat(p.getProperty(g + "cache.redis.cluster-nodes")).isEqualTo("10.0.0.1:7000,10.0.0.2:7001");
    assertThat(p.getProperty(g + "cache.redis.cluster-max-redirections")).isEqualTo("7");
    assertThat(p.getProperty(g + "cache.redis.password")).isEqualTo("${env:KONG_4_REDIS_PASSWORD}");

    assertThat(result.properties).contains("plugin on service 'billing' is disabled in Kong: not converted");
    assertThat(p.getProperty("upstream.oauth.profiles")).isEqualTo("billing-oauth,orders-route,ledger,kong-4");
  }

  @Test
  void allFields_unmappedFieldsAreListedWithWhatHappensInstead() throws IOException {
    String text = convert("all-fields.yaml").properties;
    for (String field : KongFields.UNMAPPED.keySet()) {
      assertThat(text).contains("#   config." + field + " = ");
    }
    assertThat(text).contains(
        "config.behavior.idp_error_response_status_code = 503: no equivalent: there is no response to answer"
            + " with; a call that gets no token fails with an IOException the client sees");
  }

  @Test
  void allFields_noLiteralSecretIsEverPrinted() throws IOException {
    KongConverter.Result result = convert("all-fields.yaml");
    assertThat(result.properties).doesNotContain("Do-Not-Print");
    assertThat(result.variables).contains(
        "BILLING_OAUTH_CLIENT_SECRET", "BILLING_OAUTH_PASSWORD", "BILLING_OAUTH_TOKEN_HEADER_X_API_KEY",
        "KONG_4_REDIS_PASSWORD");
  }

  @Test
  void allFields_roundTrip_loadsThroughConfigLoaderWithTheVariablesSet() throws Exception {
    KongConverter.Result result = convert("all-fields.yaml");
    Path file = dir.resolve("agent.properties");
    Files.write(file, result.properties.getBytes(StandardCharsets.UTF_8));
    Map<String, String> environment = new HashMap<>();
    for (String variable : result.variables) {
      environment.put(variable, "a-placeholder-secret-of-at-least-sixty-four-bytes-for-hs512-signing-0123456789");
    }
    Map<String, String> system = new HashMap<>();
    system.put("upstream.oauth.kong-4.hosts", "everyone.internal"); // the one left to fill in
    Files.createDirectories(dir.resolve("secrets"));
    String text = result.properties.replace("${file:/run/secrets/", "${file:" + dir.resolve("secrets") + "/");
    Files.write(dir.resolve("secrets/orders-client-secret"), "x".repeat(80).getBytes(StandardCharsets.UTF_8));
    Files.write(dir.resolve("secrets/redis-password"), "redis-secret".getBytes(StandardCharsets.UTF_8));
    Files.write(file, text.getBytes(StandardCharsets.UTF_8));

    AgentConfig config = ConfigLoader.load(system, environment, file.toString());

    assertThat(config.profiles()).extracting(ProfileConfig::name)
        .containsExactly("billing-oauth", "orders-route", "ledger", "kong-4");
  }

  @Test
  void basicExampleAndKongIdentity_roundTrip() throws Exception {
    for (String name : new String[] {"basic-example.yaml", "kong-identity-plugin.json"}) {
      KongConverter.Result result = convert(name);
      Path file = dir.resolve(name + ".properties");
      Files.write(file, result.properties.getBytes(StandardCharsets.UTF_8));
      Map<String, String> environment = new HashMap<>();
      for (String variable : result.variables) {
        environment.put(variable, "placeholder");
      }
      Map<String, String> system = new HashMap<>();
      for (String profile : result.missingHosts) {
        system.put("upstream.oauth." + profile + ".hosts", "api.example.com");
      }
      assertThat(ConfigLoader.load(system, environment, file.toString()).profiles()).as(name).hasSize(1);
    }
  }

  @Test
  void adminApiPage_nullFieldsSkipped_redisIgnoredUnderMemory() {
    String json = "{\"data\":[{\"name\":\"upstream-oauth\",\"id\":\"5f1c\",\"service\":{\"id\":\"9a2b\"},"
        + "\"route\":null,\"enabled\":true,\"config\":{\"oauth\":{\"token_endpoint\":\"https://idp/token\","
        + "\"client_id\":\"c\",\"client_secret\":null,\"username\":null,\"scopes\":[\"openid\"],"
        + "\"token_headers\":{}},\"cache\":{\"strategy\":\"memory\",\"redis\":{\"host\":null,\"port\":6379}}}},"
        + "{\"name\":\"upstream-oauth\",\"route\":{\"id\":\"77aa\"},\"config\":{\"oauth\":{\"token_endpoint\":\"https://idp/t\"},"
        + "\"cache\":{\"strategy\":\"redis\",\"redis\":{\"host\":\"r\",\"cluster_nodes\":null,"
        + "\"cloud_authentication\":{\"auth_provider\":null}}}}},"
        + "{\"name\":\"rate-limiting\",\"config\":{}}],\"next\":null}";
    KongConverter.Result result = KongConverter.convert(json, "plugins.json");
    assertThat(result.profiles).containsExactly("9a2b", "77aa");
    assertThat(result.properties.substring(0, result.properties.indexOf("profile 77aa")))
        .doesNotContain("cache.redis")
        .doesNotContain("client-secret")
        .contains("the file does not describe service '9a2b': hosts must be filled in");
    assertThat(result.properties)
        .contains("upstream.oauth.77aa.cache.redis.host=r\n")
        .contains("the file does not describe route '77aa'")
        .doesNotContain("cluster-nodes")
        .doesNotContain("cloud_authentication");
  }

  @Test
  void consumerGroupPlugin_isNotedAsScopedToTheGroup() {
    KongConverter.Result result = KongConverter.convert("_format_version: '3.0'\nconsumer_groups:\n- name: gold\n"
        + "  plugins:\n  - name: upstream-oauth\n    config: {oauth: {token_endpoint: https://idp/t}}\n", "k.yaml");
    assertThat(result.missingHosts).containsExactly("kong-1");
    assertThat(result.properties).contains("Kong added the token only for consumer 'group gold'");
  }

  @Test
  void sameServiceTwice_secondProfileLeavesTheHostOut() {
    String yaml = "_format_version: '3.0'\nservices:\n"
        + "- name: a\n  url: https://api.internal\n  plugins:\n  - name: upstream-oauth\n    config: {oauth: {token_endpoint: https://idp/t}}\n"
        + "  routes:\n  - name: r\n    paths: [/x]\n    plugins:\n    - name: upstream-oauth\n      config: {oauth: {token_endpoint: https://idp/t}}\n";
    KongConverter.Result result = KongConverter.convert(yaml, "k.yaml");
    assertThat(result.profiles).containsExactly("a", "r");
    assertThat(result.missingHosts).containsExactly("r");
    assertThat(result.properties)
        .contains("upstream.oauth.a.hosts=https://api.internal\n")
        .contains("the route matches paths [/x] on any host")
        .contains("#upstream.oauth.r.hosts=FILL-IN");
  }

  @Test
  void twoServicesWithTheSameUrl_secondHasItsHostLeftOut_andIsListedAsMissingHosts() {
    String plugin = "  plugins:\n  - name: upstream-oauth\n    config: {oauth: {token_endpoint: https://idp/t}}\n";
    KongConverter.Result result = KongConverter.convert("_format_version: '3.0'\nservices:\n"
        + "- name: a\n  url: https://api.internal/\n" + plugin + "- name: b\n  url: https://api.internal\n" + plugin, "k.yaml");
    assertThat(result.missingHosts).containsExactly("b");
    assertThat(result.properties)
        .contains("hosts entry https://api.internal left out: an earlier profile has it")
        .contains("#upstream.oauth.b.hosts=FILL-IN");
  }

  @Test
  void profileName_fromHints_validAndNeverAKeyName() {
    List<String> taken = new ArrayList<>();
    assertThat(KongConverter.profileName("my service!", 1, taken)).isEqualTo("my-service-");
    assertThat(KongConverter.profileName("client", 1, taken)).isEqualTo("kong-client");
    assertThat(KongConverter.profileName("cache", 1, taken)).isEqualTo("kong-cache");
    assertThat(KongConverter.profileName("assertion", 1, taken)).isEqualTo("kong-assertion");
    assertThat(KongConverter.profileName(null, 3, taken)).isEqualTo("kong-3");
    taken.add("billing");
    assertThat(KongConverter.profileName("billing", 2, taken)).isEqualTo("billing-2");
  }

  @Test
  void vaultReferences_envPrefixJsonKeyAndOtherBackends() {
    KongVaults vaults = new KongVaults();
    assertThat(vaults.resolve("{vault://env/my-secret}", "f").value).isEqualTo("${env:MY_SECRET}");
    assertThat(vaults.resolve("{vault://env/secret?prefix=app_}", "f").value).isEqualTo("${env:APP_SECRET}");
    KongVaults.Resolved json = vaults.resolve("{vault://env/creds/client_secret}", "f");
    assertThat(json.value).isEqualTo("${env:CREDS}");
    assertThat(json.note).contains("key 'client_secret'");
    KongVaults.Resolved gcp = vaults.resolve("{vault://gcp/idp-secret?project_id=p}", "f");
    assertThat(gcp.value).isEqualTo("${file:/run/secrets/idp-secret}");
    assertThat(gcp.note).contains("'gcp' vault");
    assertThat(vaults.resolve("plain", "f")).isNull();
  }

  @Test
  void invalidYaml_messageNamesTheLineButNotItsText() {
    assertThatThrownBy(() -> KongConverter.convert("services:\n  - name: a\n   client_secret: \"Hidden-Value: [\n", "k.yaml"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("not valid YAML")
        .hasMessageNotContaining("Hidden-Value");
    assertThatThrownBy(() -> KongConverter.convert("{\"client_secret\": Hidden-Value}", "k.json"))
        .hasMessageStartingWith("not valid JSON")
        .hasMessageNotContaining("Hidden-Value");
  }

  @Test
  void noPlugin_isAnError() {
    assertThatThrownBy(() -> KongConverter.convert("_format_version: '3.0'\nservices: []\n", "k.yaml"))
        .hasMessage("no upstream-oauth plugin in k.yaml");
  }

  @Test
  void literalWithDollarBrace_isNotedBecauseTheAgentWouldReadItAsAReference() {
    KongConverter.Result result = KongConverter.convert("_format_version: '3.0'\nplugins:\n- name: upstream-oauth\n"
        + "  config: {oauth: {token_endpoint: https://idp/t, token_post_args: {template: 'a${b}'}}}\n", "k.yaml");
    assertThat(result.properties).contains("config.oauth.token_post_args.template holds '${'");
  }
}
