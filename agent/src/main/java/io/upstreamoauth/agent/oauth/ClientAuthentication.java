package io.upstreamoauth.agent.oauth;

import io.upstreamoauth.agent.config.AuthMethod;
import io.upstreamoauth.agent.config.OAuthSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.Base64;
import java.util.Map;

/**
 * Puts the client's credentials on a token request, exactly one way per request (RFC 6749 §2.3):
 * a Basic header, form fields, or a JWT assertion. Never in the URL.
 */
final class ClientAuthentication {

  private final OAuthSettings settings;
  private final ClientAssertions assertions; // null unless a JWT method is configured
  private volatile String assertionFromFile; // the last one sent, for scrubbing echoes of it

  ClientAuthentication(OAuthSettings settings) {
    this.settings = settings;
    AuthMethod method = settings.authMethod();
    this.assertions =
        method == AuthMethod.CLIENT_SECRET_JWT || method == AuthMethod.PRIVATE_KEY_JWT
            ? new ClientAssertions(settings)
            : null;
  }

  /** Adds the credentials to the form or headers of one request. */
  void apply(FormBody form, Map<String, String> headers, long nowMillis) throws TokenFetchException {
    switch (settings.authMethod()) {
      case CLIENT_SECRET_BASIC:
        headers.put("Authorization", basic(settings));
        break;
      case CLIENT_SECRET_POST:
        form.add("client_id", settings.clientId());
        form.add("client_secret", settings.clientSecret());
        break;
      case CLIENT_SECRET_JWT:
      case PRIVATE_KEY_JWT:
        form.add("client_id", settings.clientId());
        form.add("client_assertion_type", ClientAssertions.ASSERTION_TYPE);
        form.add("client_assertion", assertions.create(nowMillis));
        break;
      case CLIENT_ASSERTION_FILE:
        // RFC 7523 §2.2: someone else's JWT; read per request, the kubelet or the Azure webhook
        // replaces it well before it expires
        if (settings.clientId() != null) {
          form.add("client_id", settings.clientId());
        }
        form.add("client_assertion_type", ClientAssertions.ASSERTION_TYPE);
        assertionFromFile = assertionFromFile(settings.clientAssertionFile());
        form.add("client_assertion", assertionFromFile);
        break;
      case TLS_CLIENT_AUTH:
      case SELF_SIGNED_TLS_CLIENT_AUTH:
        // RFC 8705 §2: the TLS client certificate authenticates; client_id still identifies
        form.add("client_id", settings.clientId());
        break;
      case NONE:
      default:
        // a public client identifies itself but proves nothing (RFC 6749 §2.1)
        form.add("client_id", settings.clientId());
        break;
    }
  }

  /** Returns the last assertion read from client-assertion-file, or null. */
  String assertionFromFile() {
    return assertionFromFile;
  }

  /** Returns the file's content without surrounding white space; never quotes it in a message. */
  static String assertionFromFile(String path) throws TokenFetchException {
    String assertion;
    try {
      assertion = new String(Files.readAllBytes(Paths.get(path)), StandardCharsets.UTF_8).trim();
    } catch (IOException | RuntimeException e) {
      throw new TokenFetchException(
          "client-assertion-file: cannot read '" + path + "': " + e.getClass().getSimpleName(),
          TokenFetchException.Kind.CONFIGURATION, -1, null, -1, null);
    }
    if (assertion.isEmpty()) {
      throw new TokenFetchException(
          "client-assertion-file: '" + path + "' is empty",
          TokenFetchException.Kind.CONFIGURATION, -1, null, -1, null);
    }
    return assertion;
  }

  /**
   * Returns the Basic header value: id and secret form-encoded before they are joined with ':'
   * (RFC 6749 §2.3.1), so a secret with ':', '%', '+' or '/' survives; raw for old servers that
   * do not decode.
   */
  static String basic(OAuthSettings settings) {
    String id = settings.clientId();
    String secret = settings.clientSecret();
    if (!settings.rawBasicCredentials()) {
      id = FormBody.encodeForBasic(id);
      secret = FormBody.encodeForBasic(secret);
    }
    byte[] pair = (id + ":" + secret).getBytes(StandardCharsets.UTF_8);
    return "Basic " + Base64.getEncoder().encodeToString(pair);
  }
}
