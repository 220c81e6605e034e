package io.upstreamoauth.agent.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads one profile's typed settings from the raw configuration: a profile's own key wins over
 * the top-level key of the same name, which wins over the default. Every problem is recorded
 * (naming the key and, unless it is a secret, the value) and reading goes on, so one start-up
 * reports all of them.
 */
final class ProfileReader {

  private static final List<String> HMAC_ALGS = list("HS256", "HS384", "HS512");
  private static final List<String> SIGNATURE_ALGS =
      list("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512");

  private final RawConfig raw;
  private final String profile; // null for the top-level profile
  private final List<String> problems;

  ProfileReader(RawConfig raw, String profile, List<String> problems) {
    this.raw = raw;
    this.profile = profile;
    this.problems = problems;
  }

  ProfileConfig read() {
    List<HostPattern> hosts = hosts();
    OAuthSettings oauth = oauth();
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
    return new ProfileConfig(
        profile == null ? ProfileConfig.DEFAULT : profile, hosts, oauth, cache, retry, headerName, purge, action, replay);
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

  private OAuthSettings oauth() {
    OAuthSettings.Builder builder = OAuthSettings.builder();
    URI endpoint = tokenEndpoint();
    builder.tokenEndpoint(endpoint != null ? endpoint : URI.create("http://invalid"));
    GrantType grant = choice(ConfigKey.GRANT_TYPE, GrantType.values(), GrantType.CLIENT_CREDENTIALS);
    AuthMethod method = choice(ConfigKey.AUTH_METHOD, AuthMethod.values(), AuthMethod.CLIENT_SECRET_BASIC);
    builder.grantType(grant).authMethod(method);

    String clientId = string(ConfigKey.CLIENT_ID);
    String secret = string(ConfigKey.CLIENT_SECRET);
    if (clientId == null && method != AuthMethod.NONE) {
      required(ConfigKey.CLIENT_ID, "is required with auth-method " + method.value());
    }
    if (secret == null && method.needsSecret()) {
      required(ConfigKey.CLIENT_SECRET, "is required with auth-method " + method.value());
    }
    builder.clientId(clientId).clientSecret(method.needsSecret() ? secret : null);

    if (grant == GrantType.PASSWORD) {
      String username = string(ConfigKey.USERNAME);
      String password = string(ConfigKey.PASSWORD);
      if (username == null) {
        required(ConfigKey.USERNAME, "is required with grant-type password");
      }
      if (password == null) {
        required(ConfigKey.PASSWORD, "is required with grant-type password");
      }
      builder.username(username).password(password);
    }
    builder.scopes(scopeTokens(ConfigKey.SCOPES)).audience(list(ConfigKey.AUDIENCE));
    builder.tokenHeaders(tokenHeaders()).tokenPostArgs(tokenPostArgs());

    String encoding = string(ConfigKey.CLIENT_SECRET_BASIC_ENCODING);
    if (encoding != null && !encoding.equals("form") && !encoding.equals("raw")) {
      problems.add(name(ConfigKey.CLIENT_SECRET_BASIC_ENCODING) + ": must be form or raw, was '" + encoding + "'");
    }
    builder.rawBasicCredentials("raw".equals(encoding));

    String hmacAlg = upper(string(ConfigKey.CLIENT_SECRET_JWT_ALG));
    if (!HMAC_ALGS.contains(hmacAlg)) {
      problems.add(name(ConfigKey.CLIENT_SECRET_JWT_ALG) + ": must be one of " + HMAC_ALGS + ", was '" + hmacAlg + "'");
    } else if (method == AuthMethod.CLIENT_SECRET_JWT && secret != null) {
      int needed = Integer.parseInt(hmacAlg.substring(2)) / 8;
      int length = secret.getBytes(StandardCharsets.UTF_8).length;
      if (length < needed) {
        problems.add(
            name(ConfigKey.CLIENT_SECRET)
                + ": client_secret_jwt with "
                + hmacAlg
                + " needs a secret of at least "
                + needed
                + " bytes (RFC 7518 §3.2), it has "
                + length);
      }
    }
    builder.clientSecretJwtAlg(hmacAlg);

    String keyAlg = upper(string(ConfigKey.PRIVATE_KEY_ALG));
    if (!SIGNATURE_ALGS.contains(keyAlg)) {
      problems.add(name(ConfigKey.PRIVATE_KEY_ALG) + ": must be one of " + SIGNATURE_ALGS + ", was '" + keyAlg + "'");
    }
    builder.privateKeyAlg(keyAlg);
    String keyId = string(ConfigKey.PRIVATE_KEY_ID);
    String keyFile = string(ConfigKey.PRIVATE_KEY_FILE);
    if (method == AuthMethod.PRIVATE_KEY_JWT) {
      if (keyFile == null) {
        required(ConfigKey.PRIVATE_KEY_FILE, "is required with auth-method private_key_jwt");
      } else if (SIGNATURE_ALGS.contains(keyAlg)) {
        try {
          PrivateKeyFile.Loaded key = PrivateKeyFile.load(keyFile, keyAlg);
          builder.privateKey(key.key, key.fingerprint);
          if (keyId == null) {
            keyId = key.keyId;
          }
        } catch (IllegalArgumentException e) {
          problems.add(name(ConfigKey.PRIVATE_KEY_FILE) + ": " + e.getMessage());
        }
      }
    }
    builder.privateKeyId(keyId);
    builder.assertionAudience(string(ConfigKey.ASSERTION_AUDIENCE));
    builder.timeoutMillis((int) longValue(ConfigKey.TIMEOUT, 1, 600_000, "milliseconds"));
    tls(builder, method);
    return builder.build();
  }

  /** ssl-verify, ca-file, client-cert-file and client-key-file: the TLS of token requests. */
  private void tls(OAuthSettings.Builder builder, AuthMethod method) {
    boolean verify = bool(ConfigKey.SSL_VERIFY);
    String caFile = string(ConfigKey.CA_FILE);
    String certFile = string(ConfigKey.CLIENT_CERT_FILE);
    String keyFile = string(ConfigKey.CLIENT_KEY_FILE);
    if ((certFile == null) != (keyFile == null)) {
      ConfigKey missing = certFile == null ? ConfigKey.CLIENT_CERT_FILE : ConfigKey.CLIENT_KEY_FILE;
      problems.add(name(missing) + ": is required with " + name(certFile == null ? ConfigKey.CLIENT_KEY_FILE : ConfigKey.CLIENT_CERT_FILE));
      return;
    }
    if (method.needsClientCertificate() && certFile == null) {
      problems.add(name(ConfigKey.CLIENT_CERT_FILE) + ": is required with auth-method " + method.value() + " (RFC 8705)");
      return;
    }
    String fingerprint = null;
    try {
      if (certFile != null) {
        fingerprint = PrivateKeyFile.sha256Hex(TlsFiles.certificates(certFile).get(0).getEncoded());
      }
    } catch (IllegalArgumentException | java.security.cert.CertificateEncodingException e) {
      problems.add(name(ConfigKey.CLIENT_CERT_FILE) + ": " + e.getMessage());
      return;
    }
    if (caFile != null) {
      try {
        TlsFiles.certificates(caFile);
      } catch (IllegalArgumentException e) {
        problems.add(name(ConfigKey.CA_FILE) + ": " + e.getMessage());
        return;
      }
    }
    try {
      builder.tls(verify, TlsFiles.socketFactory(verify, caFile, certFile, keyFile), fingerprint);
    } catch (IllegalArgumentException e) {
      problems.add(name(ConfigKey.CLIENT_KEY_FILE) + ": " + e.getMessage());
    }
  }

  private URI tokenEndpoint() {
    String value = string(ConfigKey.TOKEN_ENDPOINT);
    if (value == null) {
      required(ConfigKey.TOKEN_ENDPOINT, "is required (the IdP's token endpoint URL)");
      return null;
    }
    if (hasUserInfo(value)) {
      // checked first: every other message below shows the value. Credentials never go in the
      // URL (RFC 6749 §2.3.1); java.net.URI does not see user info in an authority it cannot
      // parse as host[:port] (e.g. a host with '_'), so this looks at the text.
      problems.add(name(ConfigKey.TOKEN_ENDPOINT) + ": must not contain user info (credentials go in client-id/client-secret)");
      return null;
    }
    try {
      URI uri = new URI(value);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!scheme.equals("http") && !scheme.equals("https")) {
        problems.add(name(ConfigKey.TOKEN_ENDPOINT) + ": must be an http or https URL, was '" + value + "'");
      } else if (uri.getHost() == null) {
        problems.add(name(ConfigKey.TOKEN_ENDPOINT) + ": has no host: '" + value + "'");
      } else if (uri.getRawUserInfo() != null) {
        // credentials never go in the URL (RFC 6749 §2.3.1); do not echo the value either
        problems.add(name(ConfigKey.TOKEN_ENDPOINT) + ": must not contain user info (credentials go in client-id/client-secret)");
      } else if (uri.getRawFragment() != null) {
        // RFC 6749 §3.2: the endpoint URI MUST NOT include a fragment component
        problems.add(name(ConfigKey.TOKEN_ENDPOINT) + ": must not contain a fragment ('#...'), was '" + value + "'");
      } else {
        return uri;
      }
    } catch (URISyntaxException e) {
      problems.add(name(ConfigKey.TOKEN_ENDPOINT) + ": is not a valid URL: " + e.getMessage());
    }
    return null;
  }

  /** Returns true when the authority of a URL (between "//" and the path) holds a '@'. */
  private static boolean hasUserInfo(String url) {
    int start = url.indexOf("//");
    if (start < 0) {
      return false;
    }
    for (int i = start + 2; i < url.length(); i++) {
      char c = url.charAt(i);
      if (c == '/' || c == '?' || c == '#') {
        return false;
      }
      if (c == '@') {
        return true;
      }
    }
    return false;
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

  private List<String> scopeTokens(ConfigKey key) {
    List<String> scopes = list(key);
    for (String scope : scopes) {
      for (int i = 0; i < scope.length(); i++) {
        char c = scope.charAt(i);
        // RFC 6749 §3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E )
        if (c < 0x21 || c == 0x22 || c == 0x5C || c > 0x7E) {
          problems.add(name(key) + ": '" + scope + "' is not a valid scope token (RFC 6749 §3.3)");
          break;
        }
      }
    }
    return scopes;
  }

  private Map<String, String> tokenHeaders() {
    Map<String, String> rawNames = new HashMap<String, String>();
    // header names are case-insensitive: a profile's X-TENANT replaces an inherited X-Tenant
    Map<String, String> headers = mapValues(ConfigKey.TOKEN_HEADERS, true, rawNames);
    for (String header : headers.keySet()) {
      if (!isToken(header)) {
        // named as written: an inherited header is a top-level key, not one of this profile
        problems.add(ConfigKey.PREFIX + rawNames.get(header) + ": '" + header + "' is not a valid header name");
      }
    }
    return headers;
  }

  private Map<String, String> tokenPostArgs() {
    return mapValues(ConfigKey.TOKEN_POST_ARGS, false, new HashMap<String, String>());
  }

  /**
   * Collects a map-valued key: top-level entries, then the profile's own, which win.
   *
   * @param rawNames filled with the key each entry was read from
   */
  private Map<String, String> mapValues(String prefix, boolean ignoreCase, Map<String, String> rawNames) {
    Map<String, String> values = new LinkedHashMap<String, String>();
    collect(values, prefix, ignoreCase, rawNames);
    if (profile != null) {
      collect(values, profile + "." + prefix, ignoreCase, rawNames);
    }
    return values;
  }

  private void collect(Map<String, String> into, String rawPrefix, boolean ignoreCase, Map<String, String> rawNames) {
    for (String name : raw.names()) {
      if (name.startsWith(rawPrefix) && name.length() > rawPrefix.length()) {
        String entry = name.substring(rawPrefix.length());
        if (ignoreCase) {
          Iterator<String> existing = into.keySet().iterator();
          while (existing.hasNext()) {
            if (existing.next().equalsIgnoreCase(entry)) {
              existing.remove();
            }
          }
        }
        into.put(entry, raw.get(name));
        rawNames.put(entry, name);
      }
    }
  }

  private List<Integer> statusCodes(ConfigKey key) {
    List<Integer> codes = new ArrayList<Integer>();
    for (String entry : list(key)) {
      try {
        int code = Integer.parseInt(entry);
        if (code >= 100 && code <= 599) {
          codes.add(code);
          continue;
        }
      } catch (NumberFormatException e) {
        // reported below
      }
      problems.add(name(key) + ": '" + entry + "' is not an HTTP status code (100-599)");
    }
    return codes;
  }

  <E extends Enum<E> & Choice> E choice(ConfigKey key, E[] values, E fallback) {
    String value = string(key);
    if (value == null) {
      return fallback;
    }
    StringBuilder allowed = new StringBuilder();
    for (E candidate : values) {
      if (candidate.value().equalsIgnoreCase(value)) {
        return candidate;
      }
      allowed.append(allowed.length() == 0 ? "" : ", ").append(candidate.value());
    }
    problems.add(name(key) + ": must be one of " + allowed + ", was '" + value + "'");
    return fallback;
  }

  long longValue(ConfigKey key, long min, long max, String unit) {
    String value = string(key);
    long fallback = Long.parseLong(key.defaultValue());
    if (value == null) {
      return fallback;
    }
    try {
      long parsed = Long.parseLong(value);
      if (parsed >= min && parsed <= max) {
        return parsed;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    problems.add(name(key) + ": must be a whole number of " + unit + " from " + min + " to " + max + ", was '" + value + "'");
    return fallback;
  }

  boolean bool(ConfigKey key) {
    String value = string(key);
    if (value == null) { // set to empty: the default, as for numbers and choices
      return Boolean.parseBoolean(key.defaultValue());
    }
    if ("true".equalsIgnoreCase(value)) {
      return true;
    }
    if ("false".equalsIgnoreCase(value)) {
      return false;
    }
    problems.add(name(key) + ": must be true or false, was '" + value + "'");
    return Boolean.parseBoolean(key.defaultValue());
  }

  private double fraction(ConfigKey key) {
    String value = string(key);
    if (value == null) { // set to empty: the default, as for numbers and choices
      return Double.parseDouble(key.defaultValue());
    }
    try {
      double parsed = Double.parseDouble(value);
      if (parsed > 0 && parsed < 1) {
        return parsed;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    problems.add(name(key) + ": must be a fraction between 0 and 1 (e.g. 0.2), was '" + value + "'");
    return Double.parseDouble(key.defaultValue());
  }

  List<String> list(ConfigKey key) {
    List<String> values = new ArrayList<String>();
    String value = string(key);
    if (value == null) {
      return values;
    }
    for (String part : value.split(",")) {
      String item = part.trim();
      if (!item.isEmpty() && !values.contains(item)) {
        values.add(item);
      }
    }
    return values;
  }

  /** Returns the trimmed value (profile's own, else top-level unless never inherited, else default). */
  String string(ConfigKey key) {
    String value = raw.get(rawName(key));
    if (value == null) {
      value = key.defaultValue();
    }
    if (value == null) {
      return null;
    }
    value = value.trim();
    return value.isEmpty() ? null : value;
  }

  private String rawName(ConfigKey key) {
    if (profile == null) {
      return key.key();
    }
    String own = profile + "." + key.key();
    // a profile's own value whose reference failed must not fall back to the inherited one
    if (raw.contains(own) || raw.isUnresolved(own) || key.scope() == ConfigKey.Scope.PROFILE_OWN) {
      return own;
    }
    return key.key();
  }

  /**
   * Reports that a key needs a value, unless it was set with a {@code ${...}} reference that could
   * not be resolved: that is reported already, and "is required" would be wrong.
   */
  void required(ConfigKey key, String message) {
    if (!raw.isUnresolved(rawName(key))) {
      problems.add(name(key) + ": " + message);
    }
  }

  /** Returns the full name of the key a value was (or would be) read from, for messages. */
  String name(ConfigKey key) {
    return ConfigKey.PREFIX + rawName(key);
  }

  private static boolean isToken(String value) {
    if (value.isEmpty()) {
      return false;
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  private static String upper(String value) {
    return value == null ? "" : value.toUpperCase(Locale.ROOT);
  }

  private static List<String> list(String... values) {
    List<String> list = new ArrayList<String>();
    Collections.addAll(list, values);
    return list;
  }
}
