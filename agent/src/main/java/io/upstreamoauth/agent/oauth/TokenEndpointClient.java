package io.upstreamoauth.agent.oauth;

import io.upstreamoauth.agent.config.GrantType;
import io.upstreamoauth.agent.config.OAuthSettings;
import io.upstreamoauth.agent.util.Clock;
import io.upstreamoauth.agent.util.InternalCall;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.net.URL;
import java.net.UnknownHostException;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocketFactory;

/**
 * Asks the IdP's token endpoint for an access token: one POST per call, no retries (the caller
 * decides those), no redirects (credentials go to the configured URL and nowhere else).
 */
public final class TokenEndpointClient {

  private static final int MAX_BODY = 1 << 20;
  private static final String USER_AGENT = "upstream-oauth-agent";

  /** Names of the fields the agent writes itself; token-post-args cannot replace them. */
  private static final String[] BUILT_IN_FIELDS = {
    "grant_type", "scope", "audience", "username", "password", "client_id", "client_secret",
    "client_assertion_type", "client_assertion"
  };

  private final OAuthSettings settings;
  private final Clock clock;
  private final SSLSocketFactory sslSocketFactory; // null: the JVM default
  private final ClientAuthentication authentication;
  private final TokenResponseParser parser;

  public TokenEndpointClient(OAuthSettings settings, Clock clock, SSLSocketFactory sslSocketFactory) {
    this.settings = settings;
    this.clock = clock;
    this.sslSocketFactory = sslSocketFactory;
    this.authentication = new ClientAuthentication(settings);
    this.parser = new TokenResponseParser(settings.tokenEndpoint().toString(), settings.secrets());
  }

  /**
   * Requests a token.
   *
   * @throws TokenFetchException saying what went wrong; never containing a secret
   */
  public TokenResponse fetch() throws TokenFetchException {
    FormBody form = new FormBody();
    Map<String, String> headers = new LinkedHashMap<String, String>();
    buildRequest(form, headers);
    boolean wasInternal = InternalCall.enter();
    try {
      return post(form.encode(), headers);
    } finally {
      InternalCall.exit(wasInternal);
    }
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
    for (Map.Entry<String, String> arg : settings.tokenPostArgs().entrySet()) {
      if (!isBuiltIn(arg.getKey())) {
        form.add(arg.getKey(), arg.getValue());
      }
    }
    headers.put("Content-Type", "application/x-www-form-urlencoded");
    headers.put("Accept", "application/json");
    if (!headers.containsKey("User-Agent")) {
      headers.put("User-Agent", USER_AGENT);
    }
  }

  private static boolean isBuiltIn(String name) {
    for (String builtIn : BUILT_IN_FIELDS) {
      if (builtIn.equals(name)) {
        return true;
      }
    }
    return false;
  }

  private TokenResponse post(byte[] body, Map<String, String> headers) throws TokenFetchException {
    String endpoint = settings.tokenEndpoint().toString();
    HttpURLConnection connection = null;
    try {
      URL url = settings.tokenEndpoint().toURL();
      connection = (HttpURLConnection) url.openConnection();
      if (sslSocketFactory != null && connection instanceof HttpsURLConnection) {
        ((HttpsURLConnection) connection).setSSLSocketFactory(sslSocketFactory);
      }
      connection.setRequestMethod("POST");
      connection.setInstanceFollowRedirects(false);
      connection.setUseCaches(false);
      connection.setConnectTimeout(settings.timeoutMillis());
      connection.setReadTimeout(settings.timeoutMillis());
      connection.setDoOutput(true);
      // not streaming mode: in it the JDK drops the body of a 401, which holds the IdP's error
      for (Map.Entry<String, String> header : headers.entrySet()) {
        connection.setRequestProperty(header.getKey(), header.getValue());
      }
      try (OutputStream out = connection.getOutputStream()) {
        out.write(body);
      }
      int status = connection.getResponseCode();
      if (status >= 300 && status < 400) {
        throw new TokenFetchException(
            "token endpoint "
                + endpoint
                + " answered HTTP "
                + status
                + " (a redirect to "
                + connection.getHeaderField("Location")
                + "); credentials are only sent to the configured URL, so set"
                + " upstream.oauth.token-endpoint to the final one",
            TokenFetchException.Kind.CONFIGURATION, status, null, -1, null);
      }
      byte[] response = read(status >= 400 ? connection.getErrorStream() : connection.getInputStream());
      long retryAfter = retryAfterMillis(connection.getHeaderField("Retry-After"));
      return parser.parse(status, connection.getContentType(), response, retryAfter);
    } catch (TokenFetchException e) {
      throw e;
    } catch (SocketTimeoutException e) {
      throw network(endpoint, "timed out after " + settings.timeoutMillis() + " ms", e);
    } catch (ConnectException e) {
      throw network(endpoint, "connection failed: " + e.getMessage(), e);
    } catch (UnknownHostException e) {
      throw network(endpoint, "unknown host " + e.getMessage(), e);
    } catch (SSLHandshakeException e) {
      throw new TokenFetchException(
          "token endpoint " + endpoint + ": TLS handshake failed: " + e.getMessage(),
          TokenFetchException.Kind.CONFIGURATION, -1, null, -1, e);
    } catch (IOException | RuntimeException e) {
      throw network(endpoint, e.getClass().getSimpleName() + ": " + e.getMessage(), e);
    } finally {
      if (connection != null) {
        connection.disconnect();
      }
    }
  }

  private static TokenFetchException network(String endpoint, String what, Exception cause) {
    return new TokenFetchException(
        "token endpoint " + endpoint + ": " + what,
        TokenFetchException.Kind.TRANSIENT, -1, null, -1, cause);
  }

  private static byte[] read(InputStream in) throws IOException {
    if (in == null) {
      return new byte[0];
    }
    try (InputStream stream = in) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buffer = new byte[8192];
      int n;
      while ((n = stream.read(buffer)) != -1) {
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
