package io.upstreamoauth.agent.config;

import io.upstreamoauth.agent.tls.PemFiles;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Reads a profile's OAuth settings: what identifies its token and how to talk to the IdP. */
final class OAuthSettingsReader extends ConfigValues {

  private static final List<String> HMAC_ALGS = list("HS256", "HS384", "HS512");
  private static final List<String> SIGNATURE_ALGS =
      list("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512");

  OAuthSettingsReader(RawConfig raw, String profile, List<String> problems) {
    super(raw, profile, problems);
  }

  OAuthSettings read() {
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
    String assertionFile = string(ConfigKey.CLIENT_ASSERTION_FILE);
    if (method == AuthMethod.CLIENT_ASSERTION_FILE) {
      if (assertionFile == null) {
        required(ConfigKey.CLIENT_ASSERTION_FILE, "is required with auth-method client_assertion_file");
      } else if (!new java.io.File(assertionFile).isFile()) {
        // only that it is there: its content is someone else's short-lived JWT, read per request
        problems.add(name(ConfigKey.CLIENT_ASSERTION_FILE) + ": no such file: '" + assertionFile + "'");
      }
      builder.clientAssertionFile(assertionFile);
    }
    builder.assertionAudience(string(ConfigKey.ASSERTION_AUDIENCE));
    builder.timeoutMillis((int) longValue(ConfigKey.TIMEOUT, 1, 600_000, "milliseconds"));
    tls(builder, method);
    builder.dpop(dpop());
    builder.credentialFiles(credentialFiles(method, grant, keyFile));
    return builder.build();
  }

  /** The files this profile's credentials come from: a change to one is a rotation. */
  private CredentialFiles credentialFiles(AuthMethod method, GrantType grant, String privateKeyFile) {
    Map<String, String> files = new LinkedHashMap<String, String>();
    if (method.needsSecret()) {
      watch(files, ConfigKey.CLIENT_SECRET, raw.filePath(rawName(ConfigKey.CLIENT_SECRET)));
    }
    if (grant == GrantType.PASSWORD) {
      watch(files, ConfigKey.PASSWORD, raw.filePath(rawName(ConfigKey.PASSWORD)));
    }
    if (method == AuthMethod.PRIVATE_KEY_JWT) {
      watch(files, ConfigKey.PRIVATE_KEY_FILE, privateKeyFile);
    }
    watch(files, ConfigKey.CA_FILE, string(ConfigKey.CA_FILE));
    watch(files, ConfigKey.CLIENT_CERT_FILE, string(ConfigKey.CLIENT_CERT_FILE));
    watch(files, ConfigKey.CLIENT_KEY_FILE, string(ConfigKey.CLIENT_KEY_FILE));
    return files.isEmpty() ? CredentialFiles.NONE : new CredentialFiles(raw, profile, files);
  }

  private void watch(Map<String, String> files, ConfigKey key, String path) {
    if (path != null) {
      files.put(name(key), path);
    }
  }

  private static final List<String> DPOP_ALGS = list("ES256", "RS256", "PS256");

  /** dpop, dpop-alg, dpop-key-file, dpop-unbound-token; null when dpop is off. */
  private DpopSettings dpop() {
    boolean on = bool(ConfigKey.DPOP);
    String alg = upper(string(ConfigKey.DPOP_ALG));
    if (!DPOP_ALGS.contains(alg)) {
      problems.add(name(ConfigKey.DPOP_ALG) + ": must be one of " + DPOP_ALGS + ", was '" + alg + "'");
      return null;
    }
    String unbound = string(ConfigKey.DPOP_UNBOUND_TOKEN);
    if (unbound != null && !unbound.equals("fail") && !unbound.equals("use-as-bearer")) {
      problems.add(name(ConfigKey.DPOP_UNBOUND_TOKEN) + ": must be fail or use-as-bearer, was '" + unbound + "'");
    }
    String keyFile = string(ConfigKey.DPOP_KEY_FILE);
    io.upstreamoauth.agent.dpop.DpopKey key = null;
    if (keyFile != null) {
      try {
        key = io.upstreamoauth.agent.dpop.DpopKeyFile.load(keyFile, alg); // a bad file is reported now, not on the first request
      } catch (IllegalArgumentException e) {
        problems.add(name(ConfigKey.DPOP_KEY_FILE) + ": " + e.getMessage());
      }
    }
    return on ? new DpopSettings(alg, keyFile, key, "use-as-bearer".equals(unbound)) : null;
  }

  /**
   * ssl-verify, ca-file, client-cert-file and client-key-file: the TLS of token requests. The files
   * are read here, so that a bad one is reported at start-up naming its key; the TLS context is
   * built from them by the first HTTPS token request.
   */
  private void tls(OAuthSettings.Builder builder, AuthMethod method) {
    boolean verify = bool(ConfigKey.SSL_VERIFY);
    String caFile = string(ConfigKey.CA_FILE);
    String certFile = string(ConfigKey.CLIENT_CERT_FILE);
    String keyFile = string(ConfigKey.CLIENT_KEY_FILE);
    if (caFile != null) {
      readable(ConfigKey.CA_FILE, caFile, false);
    }
    builder.tls(verify, caFile);
    if ((certFile == null) != (keyFile == null)) {
      ConfigKey missing = certFile == null ? ConfigKey.CLIENT_CERT_FILE : ConfigKey.CLIENT_KEY_FILE;
      problems.add(name(missing) + ": is required with " + name(certFile == null ? ConfigKey.CLIENT_KEY_FILE : ConfigKey.CLIENT_CERT_FILE));
      return;
    }
    if (method.needsClientCertificate() && certFile == null) {
      problems.add(name(ConfigKey.CLIENT_CERT_FILE) + ": is required with auth-method " + method.value() + " (RFC 8705)");
      return;
    }
    if (certFile == null) {
      return;
    }
    String fingerprint;
    try {
      fingerprint = io.upstreamoauth.agent.util.Digests.sha256Hex(PemFiles.certificates(certFile).get(0).getEncoded());
    } catch (IllegalArgumentException | java.security.cert.CertificateEncodingException e) {
      problems.add(name(ConfigKey.CLIENT_CERT_FILE) + ": " + e.getMessage());
      return;
    }
    if (readable(ConfigKey.CLIENT_KEY_FILE, keyFile, true)) {
      builder.clientCertificate(certFile, keyFile, fingerprint);
    }
  }

  /** Returns true if the file parses as PEM certificates (or a PKCS#8 key); else adds a problem. */
  private boolean readable(ConfigKey key, String path, boolean privateKey) {
    try {
      if (privateKey) {
        PemFiles.privateKey(path);
      } else {
        PemFiles.certificates(path);
      }
      return true;
    } catch (IllegalArgumentException e) {
      problems.add(name(key) + ": " + e.getMessage());
      return false;
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

}
