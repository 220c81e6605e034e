package io.upstreamoauth.agent.oauth;

import io.upstreamoauth.agent.config.AuthMethod;
import io.upstreamoauth.agent.config.GrantType;
import io.upstreamoauth.agent.config.OAuthSettings;
import io.upstreamoauth.agent.dpop.DpopContext;
import io.upstreamoauth.agent.dpop.DpopNonces;
import io.upstreamoauth.agent.tls.ClientSocketFactory;
import io.upstreamoauth.agent.tls.TlsContexts;
import io.upstreamoauth.agent.tls.TlsMaterial;
import io.upstreamoauth.agent.util.Clock;
import io.upstreamoauth.agent.util.InternalCall;
import io.upstreamoauth.agent.util.Secrets;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Method;
import java.net.Authenticator;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.net.URL;
import java.net.UnknownHostException;
import java.security.GeneralSecurityException;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLHandshakeException;

/**
 * Asks the IdP's token endpoint for an access token: one POST per call, no retries (the caller
 * decides those), no redirects (credentials go to the configured URL and nowhere else), within
 * {@code timeout} as a whole ({@link ExchangeDeadline}), over TLS of the agent's own making
 * whatever the application did to the JVM's defaults ({@link TlsContexts}).
 */
public final class TokenEndpointClient {

  private static final int MAX_BODY = 1 << 20;
  private static final String USER_AGENT = "upstream-oauth-agent";

  /**
   * HttpURLConnection.setAuthenticator (Java 9+), or null on Java 8. Without streaming mode the
   * JDK answers a 401 that carries WWW-Authenticate by asking the application's default
   * Authenticator for credentials and re-sending the request with them; a token request must
   * only ever carry the configured client credentials, so each connection gets one that has none.
   */
  private static final Method SET_AUTHENTICATOR = findSetAuthenticator();

  private static final Authenticator NO_CREDENTIALS = new Authenticator() {};

  /**
   * Fields token-post-args may never set: they carry the grant and the client's credentials, and a
   * second set would mean two authentication methods in one request (RFC 6749 §2.3).
   */
  private static final String[] PROTECTED_FIELDS = {
    "grant_type", "username", "password", "client_id", "client_secret",
    "client_assertion_type", "client_assertion"
  };

  private final OAuthSettings settings;
  private final Clock clock;
  private final ClientAuthentication authentication;
  private final TokenResponseParser parser;
  private final List<String> secrets;
  private String lastAssertion = ""; // guarded by this; the client-assertion-file content among the secrets
  private volatile ClientSocketFactory tls; // built by the first HTTPS request
  private final DpopContext dpop; // null: plain Bearer tokens

  public TokenEndpointClient(OAuthSettings settings, Clock clock) {
    this(settings, clock, settings.dpop() == null ? null : new DpopContext(settings.dpop(), new DpopNonces(), clock));
  }

  /**
   * @param dpop the DPoP key and nonces the token is bound with, shared with the requests that
   *     will carry it; null unless {@code dpop=true}
   */
  public TokenEndpointClient(OAuthSettings settings, Clock clock, DpopContext dpop) {
    this.settings = settings;
    this.clock = clock;
    this.dpop = dpop;
    this.authentication = new ClientAuthentication(settings);
    // copy-on-write: an assertion read from a file joins it per request
    this.secrets = new java.util.concurrent.CopyOnWriteArrayList<String>(secretsAsSent(settings));
    this.parser = new TokenResponseParser(settings.tokenEndpoint().toString(), secrets);
  }

  /**
   * Returns every secret in each form it takes on the wire. An IdP that quotes the request back
   * in an error quotes it as sent: form-encoded (with %20 or '+' for spaces), or as the Basic
   * credentials, which are the secret in base64. Redacting only the raw values would let those
   * through into messages and logs.
   */
  private static List<String> secretsAsSent(OAuthSettings settings) {
    List<String> all = new ArrayList<String>();
    for (String secret : settings.secrets()) {
      if (secret != null) {
        all.add(secret);
        all.add(FormBody.encode(secret));
        all.add(FormBody.encodeForBasic(secret));
      }
    }
    if (settings.authMethod() == AuthMethod.CLIENT_SECRET_BASIC && settings.clientSecret() != null) {
      all.add(ClientAuthentication.basic(settings).substring("Basic ".length()));
    }
    return all;
  }

  /** Returns the settings this client sends. */
  public OAuthSettings settings() {
    return settings;
  }

  /** Loads the classes of a token request and its response ahead of the first one. */
  public static void warmUp() {
    TokenResponseParser.warmUp();
    ExchangeDeadline.warmUp();
    new FormBody().add("grant_type", "client_credentials").add("scope", "a b").encode();
  }

  /**
   * Requests a token.
   *
   * @throws TokenFetchException saying what went wrong; never containing a secret
   */
  public TokenResponse fetch() throws TokenFetchException {
    ExchangeDeadline deadline = ExchangeDeadline.start(settings.timeoutMillis());
    boolean wasInternal = InternalCall.enter();
    try {
      if (dpop == null) {
        FormBody form = new FormBody();
        Map<String, String> headers = new LinkedHashMap<String, String>();
        buildRequest(form, headers);
        return post(form.encode(), headers, deadline, null);
      }
      return fetchWithDpop(deadline);
    } finally {
      InternalCall.exit(wasInternal);
      deadline.finish();
    }
  }

  /**
   * A token request with a DPoP proof (RFC 9449 §5): once more with the server's nonce when it
   * asks for one (§8: 400 {@code use_dpop_nonce} and a {@code DPoP-Nonce} header); a Bearer token
   * in answer is refused, or used as one, as {@code dpop-unbound-token} says.
   */
  private TokenResponse fetchWithDpop(ExchangeDeadline deadline) throws TokenFetchException {
    java.net.URI endpoint = settings.tokenEndpoint();
    String origin = DpopNonces.origin(endpoint.getScheme(), endpoint.getHost(), endpoint.getPort());
    for (int attempt = 1; ; attempt++) {
      FormBody form = new FormBody();
      Map<String, String> headers = new LinkedHashMap<String, String>();
      buildRequest(form, headers); // a new client assertion too: a jti is never reused
      try {
        headers.put("DPoP", dpop.proof("POST", endpoint.getScheme(), endpoint.getHost(), endpoint.getPort(), endpoint.getRawPath(), null, null));
      } catch (GeneralSecurityException | RuntimeException e) {
        throw new TokenFetchException(
            "token endpoint " + endpoint + ": cannot make a DPoP proof with " + dpop.settings().alg() + ": " + e.getMessage(),
            TokenFetchException.Kind.CONFIGURATION, -1, null, -1, e);
      }
      String[] nonce = new String[1];
      try {
        TokenResponse response = post(form.encode(), headers, deadline, nonce);
        dpop.nonces().put(origin, nonce[0]);
        return bound(response);
      } catch (TokenFetchException e) {
        String before = dpop.nonces().get(origin);
        dpop.nonces().put(origin, nonce[0]);
        if (attempt == 1 && "use_dpop_nonce".equals(e.errorCode()) && nonce[0] != null && !nonce[0].equals(before)) {
          try {
            deadline.nextRequest(); // the server's nonce, once; a second refusal is the answer
          } catch (IOException timedOut) {
            throw failure(endpoint.toString(), timedOut, deadline);
          }
          continue;
        }
        throw e;
      }
    }
  }

  /** Checks that the IdP bound the token (token_type DPoP), or applies dpop-unbound-token. */
  private TokenResponse bound(TokenResponse response) throws TokenFetchException {
    if ("DPoP".equals(response.tokenType())) {
      return response;
    }
    String what =
        "token endpoint " + settings.tokenEndpoint() + " issued a " + response.tokenType()
            + " token although the request carried a DPoP proof: the token is not bound to the key";
    if (dpop.settings().unboundAsBearer()) {
      io.upstreamoauth.agent.util.AgentLog.warnLimited(
          "dpop-unbound:" + settings.tokenEndpoint(), what + "; it is used as a Bearer token (dpop-unbound-token=use-as-bearer)");
      return response;
    }
    io.upstreamoauth.agent.util.AgentLog.warnLimited("dpop-unbound:" + settings.tokenEndpoint(), what);
    throw new TokenFetchException(
        what + "; enable DPoP for the client at the IdP, or set upstream.oauth.dpop-unbound-token=use-as-bearer",
        TokenFetchException.Kind.CONFIGURATION, -1, null, -1, null);
  }

  /** Fills in the form and headers of one token request; visible for tests. */
  void buildRequest(FormBody form, Map<String, String> headers) throws TokenFetchException {
    headers.putAll(settings.tokenHeaders());
    form.add("grant_type", settings.grantType().value());
    if (settings.grantType() == GrantType.PASSWORD) {
      form.add("username", settings.username());
      form.add("password", settings.password());
    }
    if (!settings.scopes().isEmpty()) {
      form.add("scope", String.join(" ", settings.scopes()));
    }
    if (!settings.audience().isEmpty()) {
      form.add("audience", String.join(" ", settings.audience()));
    }
    authentication.apply(form, headers, clock.millis());
    String assertion = authentication.assertionFromFile();
    if (assertion != null) {
      rememberAssertion(assertion);
    }
    for (Map.Entry<String, String> arg : settings.tokenPostArgs().entrySet()) {
      // the built-in fields win; scope and audience may come from here when not configured
      if (!isProtected(arg.getKey()) && !form.has(arg.getKey())) {
        form.add(arg.getKey(), arg.getValue());
      }
    }
    headers.put("Content-Type", "application/x-www-form-urlencoded");
    headers.put("Accept", "application/json");
    // header names are case-insensitive: a token-headers "user-agent" must not be overwritten
    // by the default (HttpURLConnection would set both names as one header, the last winning)
    if (!containsIgnoreCase(headers, "User-Agent")) {
      headers.put("User-Agent", USER_AGENT);
    }
  }

  /**
   * Adds an assertion read from a file, someone else's bearer credential (a service-account
   * token), to what is scrubbed from the IdP's echoes; only the newest is kept, as the file is
   * replaced every hour or so.
   */
  private synchronized void rememberAssertion(String assertion) {
    if (!assertion.equals(lastAssertion)) {
      secrets.remove(lastAssertion);
      secrets.remove(FormBody.encode(lastAssertion));
      secrets.add(assertion);
      secrets.add(FormBody.encode(assertion));
      lastAssertion = assertion;
    }
  }

  private static boolean containsIgnoreCase(Map<String, String> headers, String name) {
    for (String key : headers.keySet()) {
      if (key.equalsIgnoreCase(name)) {
        return true;
      }
    }
    return false;
  }

  private static boolean isProtected(String name) {
    for (String builtIn : PROTECTED_FIELDS) {
      if (builtIn.equals(name)) {
        return true;
      }
    }
    return false;
  }

  /**
   * @param dpopNonce receives the response's {@code DPoP-Nonce} header, when not null
   */
  private TokenResponse post(byte[] body, Map<String, String> headers, ExchangeDeadline deadline, String[] dpopNonce)
      throws TokenFetchException {
    String endpoint = settings.tokenEndpoint().toString();
    HttpURLConnection connection = null;
    try {
      URL url = settings.tokenEndpoint().toURL();
      ClientSocketFactory tls = url.getProtocol().equalsIgnoreCase("https") ? tls(endpoint) : null;
      connection = (HttpURLConnection) url.openConnection();
      if (connection instanceof HttpsURLConnection) {
        // the agent's own context and host-name check, never the application's defaults
        HttpsURLConnection https = (HttpsURLConnection) connection;
        https.setSSLSocketFactory(tls.watchedBy(deadline));
        https.setHostnameVerifier(TlsContexts.hostnameVerifier(settings.sslVerify()));
      }
      deadline.attach(connection);
      connection.setRequestMethod("POST");
      connection.setInstanceFollowRedirects(false);
      connection.setUseCaches(false);
      withoutAuthenticator(connection);
      // no single step may outlast the whole; the deadline cuts the sum
      int left = deadline.remainingMillis();
      connection.setConnectTimeout(left);
      connection.setReadTimeout(left);
      connection.setDoOutput(true);
      // No setFixedLengthStreamingMode: in streaming mode HttpURLConnection answers a 401 with
      // an HttpRetryException and drops the body, so the IdP's invalid_client error and its
      // error_description were lost. The form is small; buffered, the JDK still sends a
      // Content-Length.
      for (Map.Entry<String, String> header : headers.entrySet()) {
        connection.setRequestProperty(header.getKey(), header.getValue());
      }
      try (OutputStream out = connection.getOutputStream()) {
        out.write(body);
      }
      // connected: a watchdog that fired while the JDK was still connecting a plain HTTP
      // connection (name lookup, TCP) had nothing to disconnect
      deadline.check();
      int status = connection.getResponseCode();
      deadline.responding();
      if (dpopNonce != null) {
        dpopNonce[0] = connection.getHeaderField("DPoP-Nonce");
      }
      if (status >= 300 && status < 400) {
        throw new TokenFetchException(
            "token endpoint "
                + endpoint
                + " answered HTTP "
                + status
                + " (a redirect to "
                + Secrets.redact(connection.getHeaderField("Location"), secrets)
                + "); credentials are only sent to the configured URL, so set"
                + " upstream.oauth.token-endpoint to the final one",
            TokenFetchException.Kind.CONFIGURATION, status, null, -1, null);
      }
      InputStream in = status >= 400 ? connection.getErrorStream() : connection.getInputStream();
      byte[] response = read(in, deadline);
      long retryAfter = retryAfterMillis(connection.getHeaderField("Retry-After"));
      return parser.parse(status, connection.getContentType(), response, retryAfter);
    } catch (TokenFetchException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw failure(endpoint, e, deadline);
    } finally {
      if (connection != null) {
        connection.disconnect();
      }
    }
  }

  /** Says why a request failed; past the deadline whatever broke was the watchdog's doing. */
  private TokenFetchException failure(String endpoint, Exception e, ExchangeDeadline deadline) {
    if (e instanceof SocketTimeoutException || deadline.passed()) {
      return new TokenFetchException(
          "token endpoint " + endpoint + ": timed out after " + settings.timeoutMillis() + " ms",
          TokenFetchException.Kind.TRANSIENT, TokenFetchException.Reason.TIMEOUT, -1, null, -1, e);
    }
    if (e instanceof ConnectException) {
      return network(endpoint, "connection failed: " + e.getMessage(), e);
    }
    if (e instanceof UnknownHostException) {
      return network(endpoint, "unknown host " + e.getMessage(), e);
    }
    if (e instanceof SSLHandshakeException) {
      return new TokenFetchException(
          "token endpoint " + endpoint + ": TLS handshake failed: " + e.getMessage(),
          TokenFetchException.Kind.CONFIGURATION, -1, null, -1, e);
    }
    return network(endpoint, e.getClass().getSimpleName() + ": " + e.getMessage(), e);
  }

  /**
   * Returns the TLS of token requests, made on the first HTTPS one: reading the trust store and
   * the key files costs tens of milliseconds that start-up must not pay.
   */
  private ClientSocketFactory tls(String endpoint) throws TokenFetchException {
    ClientSocketFactory current = tls;
    if (current == null) {
      synchronized (this) {
        current = tls;
        if (current == null) {
          TlsMaterial material = TlsMaterial.trust(settings.sslVerify(), settings.caFile());
          try {
            material = material.withClientCertificate(settings.clientCertFile(), settings.clientKeyFile());
            current = new ClientSocketFactory(TlsContexts.create(material), settings.sslVerify());
          } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new TokenFetchException(
                "token endpoint " + endpoint + ": cannot set up TLS (" + material + "): " + e.getMessage(),
                TokenFetchException.Kind.CONFIGURATION, -1, null, -1, e);
          }
          tls = current;
        }
      }
    }
    return current;
  }

  private static Method findSetAuthenticator() {
    try {
      return HttpURLConnection.class.getMethod("setAuthenticator", Authenticator.class);
    } catch (NoSuchMethodException | RuntimeException e) {
      return null; // Java 8: no per-connection authenticator
    }
  }

  private static void withoutAuthenticator(HttpURLConnection connection) {
    if (SET_AUTHENTICATOR != null) {
      try {
        SET_AUTHENTICATOR.invoke(connection, NO_CREDENTIALS);
      } catch (ReflectiveOperationException | RuntimeException e) {
        // keep the default; the request itself is unaffected
      }
    }
  }

  private static TokenFetchException network(String endpoint, String what, Exception cause) {
    return new TokenFetchException(
        "token endpoint " + endpoint + ": " + what,
        TokenFetchException.Kind.TRANSIENT, -1, null, -1, cause);
  }

  private static byte[] read(InputStream in, ExchangeDeadline deadline) throws IOException {
    if (in == null) {
      return new byte[0];
    }
    try (InputStream stream = in) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buffer = new byte[8192];
      int n;
      while ((n = stream.read(buffer)) != -1) {
        deadline.check(); // a body sent a byte at a time ends here
        if (out.size() + n > MAX_BODY) {
          throw new IOException("the response body is larger than " + MAX_BODY + " bytes");
        }
        out.write(buffer, 0, n);
      }
      return out.toByteArray();
    }
  }

  /** Parses Retry-After (RFC 9110 §10.2.3): delay-seconds or an HTTP date; -1 if absent or bad. */
  long retryAfterMillis(String value) {
    if (value == null || value.trim().isEmpty()) {
      return -1;
    }
    String trimmed = value.trim();
    try {
      long seconds = Long.parseLong(trimmed);
      return seconds < 0 ? -1 : Math.min(seconds, 86_400) * 1000;
    } catch (NumberFormatException e) {
      try {
        long at = ZonedDateTime.parse(trimmed, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant().toEpochMilli();
        return Math.max(0, Math.min(at - clock.millis(), 86_400_000L));
      } catch (RuntimeException ignored) {
        return -1;
      }
    }
  }
}
