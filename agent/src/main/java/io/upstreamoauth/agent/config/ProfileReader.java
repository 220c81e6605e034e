package io.upstreamoauth.agent.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Reads one profile from the raw configuration: its hosts, OAuth settings ({@link
 * OAuthSettingsReader}), cache, retry and behaviour. Every problem is recorded and reading goes
 * on, so one start-up reports all of them.
 */
final class ProfileReader extends ConfigValues {

  ProfileReader(RawConfig raw, String profile, List<String> problems) {
    super(raw, profile, problems);
  }

  ProfileConfig read() {
    List<HostPattern> hosts = hosts();
    OAuthSettings oauth = new OAuthSettingsReader(raw, profile, problems).read();
    CacheStrategy strategy = choice(ConfigKey.CACHE_STRATEGY, CacheStrategy.values(), CacheStrategy.MEMORY);
    // read (and so checked) even for the memory strategy: a bad value is a mistake either way
    RedisSettings redis = new RedisSettingsReader(this, problems).read();
    CacheSettings cache =
        new CacheSettings(
            strategy,
            longValue(ConfigKey.CACHE_EAGERLY_EXPIRE, 0, 86_400, "seconds"),
            longValue(ConfigKey.CACHE_DEFAULT_TTL, 1, 31_536_000, "seconds"),
            bool(ConfigKey.CACHE_REFRESH_AHEAD),
            fraction(ConfigKey.CACHE_REFRESH_AHEAD_WINDOW),
            strategy == CacheStrategy.REDIS ? redis : null);
    if (strategy == CacheStrategy.REDIS && oauth.dpop() != null && oauth.dpop().keyFile() == null) {
      // a DPoP-bound token works only with its key: a key made per JVM cannot be shared
      problems.add(
          name(ConfigKey.DPOP_KEY_FILE)
              + ": is required with "
              + name(ConfigKey.DPOP)
              + "=true and "
              + name(ConfigKey.CACHE_STRATEGY)
              + "=redis: a DPoP-bound token works only with the key it is bound to, so every JVM that"
              + " shares tokens through Redis must use the same key file (or set cache.strategy=memory:"
              + " each JVM then gets tokens bound to its own key)");
    }
    RetrySettings retry =
        new RetrySettings(
            longValue(ConfigKey.IDP_RETRY_INITIAL_BACKOFF, 1, 3_600_000, "milliseconds"),
            longValue(ConfigKey.IDP_RETRY_MAX_BACKOFF, 1, 3_600_000, "milliseconds"),
            longValue(ConfigKey.IDP_RETRY_CONFIG_ERROR_BACKOFF, 1, 3_600_000, "milliseconds"));
    if (retry.maxBackoffMillis() < retry.initialBackoffMillis()) {
      problems.add(
          name(ConfigKey.IDP_RETRY_MAX_BACKOFF)
              + ": must not be less than "
              + name(ConfigKey.IDP_RETRY_INITIAL_BACKOFF)
              + " ("
              + retry.initialBackoffMillis()
              + "), was "
              + retry.maxBackoffMillis());
    }
    String headerName = headerName();
    List<Integer> purge = statusCodes(ConfigKey.PURGE_TOKEN_ON_UPSTREAM_STATUS_CODES);
    IdpErrorAction action = choice(ConfigKey.IDP_ERROR_ACTION, IdpErrorAction.values(), IdpErrorAction.FAIL);
    boolean replay = bool(ConfigKey.REPLAY_AFTER_PURGE);
    long purgeMinInterval = longValue(ConfigKey.PURGE_MIN_INTERVAL, 0, 3_600_000, "milliseconds");
    return new ProfileConfig(
        profile == null ? ProfileConfig.DEFAULT : profile, hosts, oauth, cache, retry, headerName, purge, action, replay,
        purgeMinInterval);
  }

  private List<HostPattern> hosts() {
    List<HostPattern> hosts = new ArrayList<HostPattern>();
    List<String> entries = list(ConfigKey.HOSTS);
    if (entries.isEmpty()) {
      required(ConfigKey.HOSTS, "is required (comma list of host, *.domain, host:port or host/path)");
    }
    for (String entry : entries) {
      try {
        HostPattern pattern = HostPattern.parse(entry);
        if (!hosts.contains(pattern)) {
          hosts.add(pattern);
        }
      } catch (IllegalArgumentException e) {
        problems.add(name(ConfigKey.HOSTS) + ": " + e.getMessage());
      }
    }
    Collections.sort(hosts);
    return hosts;
  }

  private String headerName() {
    String value = string(ConfigKey.HEADER_NAME);
    if (value == null) { // set to empty: the default, as for every other key
      return ConfigKey.HEADER_NAME.defaultValue();
    }
    if (!isToken(value)) {
      problems.add(name(ConfigKey.HEADER_NAME) + ": must be a valid HTTP header name, was '" + value + "'");
      return ConfigKey.HEADER_NAME.defaultValue();
    }
    return value;
  }
}
