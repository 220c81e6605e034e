package io.upstreamoauth.it.support;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.extension.ResponseTransformerV2;
import com.github.tomakehurst.wiremock.http.Response;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An IdP token endpoint on WireMock that hands out a new, unique token for every request, so tests
 * can tell exactly which token each upstream request carried.
 */
public final class FakeIdp implements AutoCloseable {

  public static final String PATH = "/realms/test/protocol/openid-connect/token";

  private final WireMockServer server;
  private final TokenIssuer issuer = new TokenIssuer();

  public FakeIdp() {
    server = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1").extensions(issuer));
    server.start();
    issueTokens(3600);
  }

  public String tokenEndpoint() {
    return "http://127.0.0.1:" + server.port() + PATH;
  }

  public WireMockServer server() {
    return server;
  }

  /** Answers every token request with a new token valid for {@code expiresIn} seconds. */
  public void issueTokens(long expiresIn) {
    issueTokens(expiresIn, "bearer");
  }

  /**
   * Answers every token request with a new token of {@code tokenType} (e.g. {@code DPoP}, as an
   * IdP does for a request with a DPoP proof) valid for {@code expiresIn} seconds.
   */
  public void issueTokens(long expiresIn, String tokenType) {
    server.resetAll();
    issuer.clear();
    issuer.expiresIn = expiresIn;
    issuer.tokenType = tokenType;
    server.stubFor(
        post(urlPathEqualTo(PATH))
            .willReturn(aResponse().withStatus(200).withTransformers(TokenIssuer.NAME)));
  }

  /** Gives tokens issued from now on {@code expiresIn} seconds, keeping the stubs and the request journal. */
  public void expiresIn(long expiresIn) {
    issuer.expiresIn = expiresIn;
  }

  /** Answers every token request with this status and body. */
  public void fail(int status, String contentType, String body) {
    server.resetAll();
    issuer.clear();
    server.stubFor(
        post(urlPathEqualTo(PATH))
            .willReturn(aResponse().withStatus(status).withHeader("Content-Type", contentType).withBody(body)));
  }

  /** Returns the token requests received. */
  public List<LoggedRequest> tokenRequests() {
    return server.findAll(postRequestedFor(urlPathEqualTo(PATH)));
  }

  /** Returns the tokens issued so far, oldest first. */
  public List<String> issued() {
    return issuer.issued;
  }

  /** Returns when each token of {@link #issued()} was issued (epoch ms, by this IdP's clock). */
  public List<Long> issueTimes() {
    return issuer.issueTimes;
  }

  @Override
  public void close() {
    server.stop();
  }

  /** Issues tok-1-…, tok-2-…: unique, long enough to be masked, easy to find in output. */
  static final class TokenIssuer implements ResponseTransformerV2 {
    static final String NAME = "token-issuer";
    final AtomicInteger count = new AtomicInteger();
    final List<String> issued = new CopyOnWriteArrayList<>();
    final List<Long> issueTimes = new CopyOnWriteArrayList<>();
    volatile long expiresIn;
    volatile String tokenType = "bearer";

    synchronized void clear() {
      issued.clear();
      issueTimes.clear();
    }

    @Override
    public Response transform(Response response, ServeEvent serveEvent) {
      String token = "tok-" + count.incrementAndGet() + "-" + Long.toHexString(System.nanoTime()) + "-secretpart";
      synchronized (this) {
        issueTimes.add(System.currentTimeMillis());
        issued.add(token);
      }
      String body =
          "{\"access_token\":\"" + token + "\",\"token_type\":\"" + tokenType + "\",\"expires_in\":" + expiresIn + "}";
      return Response.Builder.like(response)
          .but()
          .headers(
              new com.github.tomakehurst.wiremock.http.HttpHeaders(
                  new com.github.tomakehurst.wiremock.http.HttpHeader("Content-Type", "application/json")))
          .body(body)
          .build();
    }

    @Override
    public boolean applyGlobally() {
      return false;
    }

    @Override
    public String getName() {
      return NAME;
    }
  }
}
