package io.upstreamoauth.bootstrap;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URL;
import sun.net.www.MessageHeader;

/**
 * Called by the code the agent weaves into {@code sun.net.www.protocol.http.HttpURLConnection}
 * (the implementation behind HTTP and HTTPS connections).
 *
 * <p>Every hook catches everything: an agent bug sends the request without a token and is
 * reported, it never fails the application's call. The one deliberate exception is the
 * IOException of {@link #beforeWriteRequests} when a configured host's token cannot be had.
 */
public final class HttpUrlConnectionHooks {

  private HttpUrlConnectionHooks() {}

  /**
   * Runs at the start of {@code writeRequests()}: once per physical request, after the JDK has
   * followed a redirect, before the request bytes go out.
   *
   * @param requests the connection's {@code requests} header list ({@code MessageHeader})
   * @param userServerAuth the connection's {@code isUserServerAuth} flag
   * @return the new value of {@code isUserServerAuth}: true once the agent set Authorization, so
   *     the JDK treats it as set by the application and keeps it after the response
   * @throws IOException when the target is configured and no token can be had
   */
  public static boolean beforeWriteRequests(
      HttpURLConnection connection, Object requests, boolean userServerAuth) throws IOException {
    try {
      if (!(requests instanceof MessageHeader)) {
        return userServerAuth;
      }
      MessageHeader headers = (MessageHeader) requests;
      URL url = connection.getURL();
      Decision decision =
          UpstreamOAuth.bridge()
              .decide(url.getProtocol(), url.getHost(), url.getPort(), url.getPath(), connection.getRequestMethod(), true);
      if (decision.action() == Decision.FAIL) {
        throw decision.failure();
      }
      boolean setsAuthorization = false;
      for (int i = 0; i < decision.size(); i++) {
        String name = decision.name(i);
        String value = decision.value(i);
        if (value != null) {
          headers.remove(name); // every value the application set: one header, the agent's
          headers.add(name, value);
          setsAuthorization |= "Authorization".equalsIgnoreCase(name);
        } else if (decision.removes(i, headers.findValue(name))) {
          headers.remove(name);
        }
      }
      return userServerAuth || setsAuthorization;
    } catch (IOException e) {
      throw e;
    } catch (Throwable t) {
      UpstreamOAuth.adviceError(t);
      return userServerAuth;
    }
  }

  /**
   * Runs when {@code getInputStream()} returns or throws: tells the agent the status of a request
   * that carried its token, so a rejected token is purged. The decision is found by the value
   * sent: a value the agent issued is on this request only if this hop's decision set it.
   */
  public static void afterGetInputStream(HttpURLConnection connection, Object requests, Object responses, int status) {
    try {
      Decision decision = sent(requests, status);
      if (decision == null) {
        return;
      }
      if (decision.readsDpopHeaders() && responses instanceof MessageHeader) {
        URL url = connection.getURL();
        MessageHeader headers = (MessageHeader) responses;
        decision.onResponse(
            status, url.getProtocol(), url.getHost(), url.getPort(), headers.findValue("DPoP-Nonce"),
            headers.findValue("WWW-Authenticate"));
      } else {
        decision.onResponse(status);
      }
    } catch (Throwable t) {
      UpstreamOAuth.adviceError(t);
    }
  }

  /** Returns the decision whose value this request carries, or null. */
  private static Decision sent(Object requests, int status) {
    if (!(requests instanceof MessageHeader) || status <= 0) {
      return null;
    }
    OAuthBridge bridge = UpstreamOAuth.bridge();
    String[] names = bridge.headerNames();
    for (int i = 0; i < names.length; i++) {
      String value = ((MessageHeader) requests).findValue(names[i]);
      Decision decision = value == null ? null : bridge.issuedBy(value);
      if (decision != null) {
        return decision;
      }
    }
    return null;
  }

  /** Connections the agent has replayed a request of: never a second time. */
  private static final WeakIdentityMap<HttpURLConnection, Boolean> REPLAYED =
      new WeakIdentityMap<HttpURLConnection, Boolean>();

  /**
   * Runs at the start of {@code followRedirect()}, which the JDK calls for every response inside
   * {@code getInputStream}: with {@code replay-after-purge}, for a request that carried the
   * agent's token and was rejected with a purge status, purges that token and answers true, and
   * the woven code makes the JDK send the request again (its writeRequests gets a new token). Once
   * per connection.
   *
   * @return true to send the request again
   */
  public static boolean replayAfterRejection(
      HttpURLConnection connection, Object requests, Object responses, int status, String method) {
    try {
      Decision decision = sent(requests, status);
      if (decision == null || !decision.keepsForReplay(method) || REPLAYED.get(connection) != null) {
        return false;
      }
      boolean replay;
      if (decision.readsDpopHeaders() && responses instanceof MessageHeader) {
        URL url = connection.getURL();
        MessageHeader headers = (MessageHeader) responses;
        replay =
            decision.replayAfter(
                method, status, url.getProtocol(), url.getHost(), url.getPort(), headers.findValue("DPoP-Nonce"),
                headers.findValue("WWW-Authenticate"));
      } else {
        replay = decision.replayAfter(method, status);
      }
      if (replay) {
        REPLAYED.put(connection, Boolean.TRUE);
        return true;
      }
      return false;
    } catch (Throwable t) {
      UpstreamOAuth.adviceError(t);
      return false;
    }
  }
}
