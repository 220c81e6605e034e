package io.upstreamoauth.agent.config;

import java.net.URI;
import java.security.PrivateKey;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What the agent sends to the token endpoint and how: Kong's {@code config.oauth} and {@code
 * config.client}. Immutable; {@link #toString()} shows no secret.
 */
public final class OAuthSettings {

  private final URI tokenEndpoint;
  private final GrantType grantType;
  private final String clientId;
  private final String clientSecret;
  private final String username;
  private final String password;
  private final List<String> scopes;
  private final List<String> audience;
  private final Map<String, String> tokenHeaders;
  private final Map<String, String> tokenPostArgs;
  private final AuthMethod authMethod;
  private final boolean rawBasicCredentials;
  private final String clientSecretJwtAlg;
  private final PrivateKey privateKey;
  private final String privateKeyAlg;
  private final String privateKeyId;
  private final String privateKeyFingerprint;
  private final String assertionAudience;
  private final int timeoutMillis;
  private final boolean sslVerify;
  private final String caFile;
  private final String clientCertFile;
  private final String clientKeyFile;
  private final String clientCertificateFingerprint;
  private final DpopSettings dpop;
  private final String clientAssertionFile;
  private final CredentialFiles credentialFiles;
  private final String identity;
  private final String publicIdentity;
  private volatile String cacheKey;

  private OAuthSettings(Builder b) {
    this.tokenEndpoint = b.tokenEndpoint;
    this.grantType = b.grantType;
    this.clientId = b.clientId;
    this.clientSecret = b.clientSecret;
    this.username = b.username;
    this.password = b.password;
    this.scopes = Collections.unmodifiableList(new ArrayList<String>(b.scopes));
    this.audience = Collections.unmodifiableList(new ArrayList<String>(b.audience));
    this.tokenHeaders = Collections.unmodifiableMap(new LinkedHashMap<String, String>(b.tokenHeaders));
    this.tokenPostArgs =
        Collections.unmodifiableMap(new LinkedHashMap<String, String>(b.tokenPostArgs));
    this.authMethod = b.authMethod;
    this.rawBasicCredentials = b.rawBasicCredentials;
    this.clientSecretJwtAlg = b.clientSecretJwtAlg;
    this.privateKey = b.privateKey;
    this.privateKeyAlg = b.privateKeyAlg;
    this.privateKeyId = b.privateKeyId;
    this.privateKeyFingerprint = b.privateKeyFingerprint;
    this.assertionAudience =
        b.assertionAudience != null ? b.assertionAudience : String.valueOf(b.tokenEndpoint);
    this.timeoutMillis = b.timeoutMillis;
    this.sslVerify = b.sslVerify;
    this.caFile = b.caFile;
    this.clientCertFile = b.clientCertFile;
    this.clientKeyFile = b.clientKeyFile;
    this.clientCertificateFingerprint = b.clientCertificateFingerprint;
    this.dpop = b.dpop;
    this.clientAssertionFile = b.clientAssertionFile;
    this.credentialFiles = b.credentialFiles;
    this.identity = canonicalForm(true);
    this.publicIdentity = canonicalForm(false);
  }

  /** Returns the DPoP settings, or null when tokens are not sender-constrained ({@code dpop=false}). */
  public DpopSettings dpop() {
    return dpop;
  }

  /** Returns the file whose content is the client assertion (client_assertion_file), or null. */
  public String clientAssertionFile() {
    return clientAssertionFile;
  }

  /** Returns the files the credentials were read from, to follow them when they change. */
  public CredentialFiles credentialFiles() {
    return credentialFiles;
  }

  public static Builder builder() {
    return new Builder();
  }

  public URI tokenEndpoint() {
    return tokenEndpoint;
  }

  public GrantType grantType() {
    return grantType;
  }

  public String clientId() {
    return clientId;
  }

  public String clientSecret() {
    return clientSecret;
  }

  public String username() {
    return username;
  }

  public String password() {
    return password;
  }

  /** Returns the scopes in configured order, without duplicates. */
  public List<String> scopes() {
    return scopes;
  }

  public List<String> audience() {
    return audience;
  }

  public Map<String, String> tokenHeaders() {
    return tokenHeaders;
  }

  public Map<String, String> tokenPostArgs() {
    return tokenPostArgs;
  }

  public AuthMethod authMethod() {
    return authMethod;
  }

  /** Returns true when client_secret_basic must not form-encode id and secret (old servers). */
  public boolean rawBasicCredentials() {
    return rawBasicCredentials;
  }

  public String clientSecretJwtAlg() {
    return clientSecretJwtAlg;
  }

  public PrivateKey privateKey() {
    return privateKey;
  }

  public String privateKeyAlg() {
    return privateKeyAlg;
  }

  public String privateKeyId() {
    return privateKeyId;
  }

  /** Returns the {@code aud} of client assertions: the token endpoint unless configured. */
  public String assertionAudience() {
    return assertionAudience;
  }

  public int timeoutMillis() {
    return timeoutMillis;
  }

  /** Returns false when token requests accept any server certificate (ssl-verify=false). */
  public boolean sslVerify() {
    return sslVerify;
  }

  /** Returns the PEM file of the CAs trusted for the IdP (ca-file), or null for the JVM's trust store. */
  public String caFile() {
    return caFile;
  }

  /** Returns the PEM client certificate chain for mutual TLS (client-cert-file), or null. */
  public String clientCertFile() {
    return clientCertFile;
  }

  /** Returns the PEM PKCS#8 key of the client certificate (client-key-file), or null. */
  public String clientKeyFile() {
    return clientKeyFile;
  }

  /**
   * Returns the hex SHA-256 of {@link #publicIdentity()}: a name for the token that can be
   * computed without any credential, so it can be shown or stored where anyone may read it (Redis
   * key names without {@code cache.redis.encryption-key}). Settings that differ only in secret or
   * password have the same key.
   */
  public String cacheKey() {
    String key = cacheKey;
    if (key == null) {
      key = io.upstreamoauth.agent.util.Digests.sha256Hex(publicIdentity);
      cacheKey = key;
    }
    return key;
  }

  /**
   * Returns the normalised settings that identify a token: equal for settings that share a token,
   * different when any of them differs, the client secret and password included. Holds secrets:
   * for in-memory keys and keyed hashes only, never to be logged or stored. It avoids the SHA-256
   * at start-up, where loading the JCA providers would cost tens of milliseconds.
   */
  public String identity() {
    return identity;
  }

  /**
   * Returns {@link #identity()} without the credentials someone could guess: the client secret
   * and the password. They prove who asks, they do not change what is asked for, so settings that
   * differ only in them ask for the same token. Everything else stays: endpoint, grant, client
   * id, user name, scopes, audience, extra headers and form fields (they may pick a tenant or a
   * resource), and the fingerprints of a private key or client certificate, which no one can guess.
   */
  public String publicIdentity() {
    return publicIdentity;
  }

  /** Returns every secret value, so messages and logs can be scrubbed of them. */
  public List<String> secrets() {
    List<String> secrets = new ArrayList<String>();
    secrets.add(clientSecret);
    secrets.add(password);
    secrets.addAll(tokenHeaders.values());
    secrets.addAll(tokenPostArgs.values());
    return secrets;
  }

  /** @param credentials false to leave the client secret and the password out */
  private String canonicalForm(boolean credentials) {
    // length-prefixed fields: no value can be crafted to collide with another field layout
    StringBuilder canonical = new StringBuilder();
    field(canonical, "token_endpoint", tokenEndpoint.toString());
    field(canonical, "grant_type", grantType.value());
    field(canonical, "client_id", clientId);
    if (credentials) {
      field(canonical, "client_secret", clientSecret);
    }
    field(canonical, "username", username);
    if (credentials) {
      field(canonical, "password", password);
    }
    // each element length-prefixed too: audience "a b" must not equal audience "a" and "b"
    field(canonical, "scopes", elements(new TreeSet<String>(scopes)));
    field(canonical, "audience", elements(new TreeSet<String>(audience)));
    Map<String, String> headers = new TreeMap<String, String>();
    for (Map.Entry<String, String> header : tokenHeaders.entrySet()) {
      headers.put(header.getKey().toLowerCase(Locale.ROOT), header.getValue());
    }
    for (Map.Entry<String, String> header : headers.entrySet()) {
      field(canonical, "header:" + header.getKey(), header.getValue());
    }
    for (Map.Entry<String, String> arg : new TreeMap<String, String>(tokenPostArgs).entrySet()) {
      field(canonical, "arg:" + arg.getKey(), arg.getValue());
    }
    field(canonical, "private_key", privateKeyFingerprint);
    // with RFC 8705 client authentication the certificate is the credential
    field(canonical, "client_certificate", authMethod.needsClientCertificate() ? clientCertificateFingerprint : null);
    // a DPoP-bound token works only with the key it is bound to
    field(canonical, "dpop", dpop == null ? null : dpop.identity());
    if (clientAssertionFile != null) {
      // only when set: the names of tokens configured before this setting existed stay the same.
      // The path, not the content: the assertion is re-read per request and changes every hour
      field(canonical, "client_assertion_file", clientAssertionFile);
    }
    return canonical.toString();
  }

  private static String elements(Iterable<String> values) {
    StringBuilder out = new StringBuilder();
    for (String value : values) {
      out.append(value.length()).append(':').append(value).append(' ');
    }
    return out.toString();
  }

  private static void field(StringBuilder out, String name, String value) {
    out.append(name).append('=');
    if (value == null) {
      out.append("-1:");
    } else {
      out.append(value.length()).append(':').append(value);
    }
    out.append('\n');
  }

  @Override
  public String toString() {
    return "OAuthSettings{tokenEndpoint="
        + tokenEndpoint
        + ", grantType="
        + grantType.value()
        + ", clientId="
        + clientId
        + ", authMethod="
        + authMethod.value()
        + ", scopes="
        + scopes
        + ", audience="
        + audience
        + ", clientSecret="
        + (clientSecret == null ? "none" : "****")
        + "}";
  }

  /** Builds settings; validation happens in the configuration loader. */
  public static final class Builder {
    private URI tokenEndpoint;
    private GrantType grantType = GrantType.CLIENT_CREDENTIALS;
    private String clientId;
    private String clientSecret;
    private String username;
    private String password;
    private List<String> scopes = new ArrayList<String>();
    private List<String> audience = new ArrayList<String>();
    private Map<String, String> tokenHeaders = new LinkedHashMap<String, String>();
    private Map<String, String> tokenPostArgs = new LinkedHashMap<String, String>();
    private AuthMethod authMethod = AuthMethod.CLIENT_SECRET_BASIC;
    private boolean rawBasicCredentials;
    private String clientSecretJwtAlg = "HS256";
    private PrivateKey privateKey;
    private String privateKeyAlg = "RS256";
    private String privateKeyId;
    private String privateKeyFingerprint;
    private String assertionAudience;
    private int timeoutMillis = 10_000;
    private boolean sslVerify = true;
    private String caFile;
    private String clientCertFile;
    private String clientKeyFile;
    private String clientCertificateFingerprint;
    private DpopSettings dpop;
    private String clientAssertionFile;
    private CredentialFiles credentialFiles = CredentialFiles.NONE;

    public Builder clientAssertionFile(String value) {
      this.clientAssertionFile = value;
      return this;
    }

    Builder credentialFiles(CredentialFiles value) {
      this.credentialFiles = value;
      return this;
    }

    /** Asks for DPoP-bound tokens; null: plain Bearer tokens. */
    public Builder dpop(DpopSettings settings) {
      this.dpop = settings;
      return this;
    }

    private Builder() {}

    public Builder tokenEndpoint(URI value) {
      this.tokenEndpoint = value;
      return this;
    }

    public Builder grantType(GrantType value) {
      this.grantType = value;
      return this;
    }

    public Builder clientId(String value) {
      this.clientId = value;
      return this;
    }

    public Builder clientSecret(String value) {
      this.clientSecret = value;
      return this;
    }

    public Builder username(String value) {
      this.username = value;
      return this;
    }

    public Builder password(String value) {
      this.password = value;
      return this;
    }

    public Builder scopes(List<String> value) {
      this.scopes = value;
      return this;
    }

    public Builder audience(List<String> value) {
      this.audience = value;
      return this;
    }

    public Builder tokenHeaders(Map<String, String> value) {
      this.tokenHeaders = value;
      return this;
    }

    public Builder tokenPostArgs(Map<String, String> value) {
      this.tokenPostArgs = value;
      return this;
    }

    public Builder authMethod(AuthMethod value) {
      this.authMethod = value;
      return this;
    }

    public Builder rawBasicCredentials(boolean value) {
      this.rawBasicCredentials = value;
      return this;
    }

    public Builder clientSecretJwtAlg(String value) {
      this.clientSecretJwtAlg = value;
      return this;
    }

    public Builder privateKey(PrivateKey key, String fingerprint) {
      this.privateKey = key;
      this.privateKeyFingerprint = fingerprint;
      return this;
    }

    public Builder privateKeyAlg(String value) {
      this.privateKeyAlg = value;
      return this;
    }

    public Builder privateKeyId(String value) {
      this.privateKeyId = value;
      return this;
    }

    public Builder assertionAudience(String value) {
      this.assertionAudience = value;
      return this;
    }

    /** Sets ssl-verify and ca-file (null: the JVM's trust store). */
    public Builder tls(boolean verify, String caFile) {
      this.sslVerify = verify;
      this.caFile = caFile;
      return this;
    }

    /** Sets the client certificate and key files for mutual TLS, and the certificate's SHA-256. */
    public Builder clientCertificate(String certFile, String keyFile, String certificateFingerprint) {
      this.clientCertFile = certFile;
      this.clientKeyFile = keyFile;
      this.clientCertificateFingerprint = certificateFingerprint;
      return this;
    }

    public Builder timeoutMillis(int value) {
      this.timeoutMillis = value;
      return this;
    }

    public OAuthSettings build() {
      if (tokenEndpoint == null) {
        throw new IllegalStateException("tokenEndpoint is required");
      }
      return new OAuthSettings(this);
    }
  }
}
