package io.upstreamoauth.agent.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigKeyTest {

  @ParameterizedTest
  @CsvSource({
    "token-endpoint, UPSTREAM_OAUTH_TOKEN_ENDPOINT",
    "cache.default-ttl, UPSTREAM_OAUTH_CACHE_DEFAULT_TTL",
    "idp-retry.max-backoff, UPSTREAM_OAUTH_IDP_RETRY_MAX_BACKOFF",
    "billing.client-id, UPSTREAM_OAUTH_BILLING_CLIENT_ID",
    "token-headers., UPSTREAM_OAUTH_TOKEN_HEADERS_",
    "'', UPSTREAM_OAUTH_",
  })
  void envName_isUpperSnakeCase(String name, String expected) {
    assertThat(ConfigKey.envName(name)).isEqualTo(expected);
  }

  @Test
  void envName_ofEveryKey_isUnique() {
    Set<String> names = new HashSet<>();
    for (ConfigKey key : ConfigKey.values()) {
      assertThat(names.add(ConfigKey.envName(key.key()))).as(key.key()).isTrue();
    }
  }

  @Test
  void fullName_topLevelAndProfile() {
    assertThat(ConfigKey.CACHE_DEFAULT_TTL.fullName(null)).isEqualTo("upstream.oauth.cache.default-ttl");
    assertThat(ConfigKey.CLIENT_ID.fullName("billing")).isEqualTo("upstream.oauth.billing.client-id");
  }

  @Test
  void byName_findsEveryKeyAndNothingElse() {
    for (ConfigKey key : ConfigKey.values()) {
      assertThat(ConfigKey.byName(key.key())).isSameAs(key);
    }
    assertThat(ConfigKey.byName("upstream.oauth.hosts")).isNull();
    assertThat(ConfigKey.byName("HOSTS")).isNull();
    assertThat(ConfigKey.byName("token-headers.X")).isNull();
  }

  @Test
  void isMapKey_needsANameAfterThePrefix() {
    assertThat(ConfigKey.isMapKey("token-headers.X-Tenant")).isTrue();
    assertThat(ConfigKey.isMapKey("token-post-args.resource")).isTrue();
    assertThat(ConfigKey.isMapKey("token-headers.")).isFalse();
    assertThat(ConfigKey.isMapKey("token-post-args.")).isFalse();
    assertThat(ConfigKey.isMapKey("token-headers")).isFalse();
    assertThat(ConfigKey.isMapKey("billing.token-headers.X")).isFalse();
  }

  @Test
  void isSecretName_secretsAndMapKeysOnly() {
    assertThat(ConfigKey.isSecretName("client-secret")).isTrue();
    assertThat(ConfigKey.isSecretName("password")).isTrue();
    assertThat(ConfigKey.isSecretName("token-headers.X-Api-Key")).isTrue();
    assertThat(ConfigKey.isSecretName("token-post-args.assertion")).isTrue();
    assertThat(ConfigKey.isSecretName("client-id")).isFalse();
    assertThat(ConfigKey.isSecretName("username")).isFalse();
    assertThat(ConfigKey.isSecretName("token-endpoint")).isFalse();
    assertThat(ConfigKey.isSecretName("no-such-key")).isFalse();
  }

  @Test
  void secretKeys_areExactlyClientSecretPasswordsAndEncryptionKey() {
    Set<ConfigKey> secrets = new HashSet<>();
    for (ConfigKey key : ConfigKey.values()) {
      if (key.isSecret()) {
        secrets.add(key);
      }
    }
    assertThat(secrets)
        .containsExactlyInAnyOrder(
            ConfigKey.CLIENT_SECRET,
            ConfigKey.PASSWORD,
            ConfigKey.CACHE_REDIS_PASSWORD,
            ConfigKey.CACHE_REDIS_SENTINEL_PASSWORD,
            ConfigKey.CACHE_REDIS_ENCRYPTION_KEY);
  }

  @Test
  void scopes_globalKeysAndHosts() {
    assertThat(ConfigKey.ENABLED.scope()).isEqualTo(ConfigKey.Scope.GLOBAL);
    assertThat(ConfigKey.LOG_LEVEL.scope()).isEqualTo(ConfigKey.Scope.GLOBAL);
    assertThat(ConfigKey.CONFIG_FILE.scope()).isEqualTo(ConfigKey.Scope.GLOBAL);
    assertThat(ConfigKey.PROFILES.scope()).isEqualTo(ConfigKey.Scope.GLOBAL);
    assertThat(ConfigKey.HOSTS.scope()).isEqualTo(ConfigKey.Scope.PROFILE_OWN);
    assertThat(ConfigKey.TOKEN_ENDPOINT.scope()).isEqualTo(ConfigKey.Scope.PROFILE);
  }

  @Test
  void choices_haveConfigurationSpelling() {
    assertThat(GrantType.CLIENT_CREDENTIALS.value()).isEqualTo("client_credentials");
    assertThat(GrantType.PASSWORD.value()).isEqualTo("password");
    assertThat(AuthMethod.PRIVATE_KEY_JWT.value()).isEqualTo("private_key_jwt");
    assertThat(AuthMethod.NONE.value()).isEqualTo("none");
    assertThat(CacheStrategy.MEMORY.value()).isEqualTo("memory");
    assertThat(IdpErrorAction.PROCEED.value()).isEqualTo("proceed");
  }
}
