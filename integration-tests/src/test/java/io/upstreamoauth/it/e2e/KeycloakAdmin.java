package io.upstreamoauth.it.e2e;

import com.nimbusds.jose.util.JSONArrayUtils;
import com.nimbusds.jose.util.JSONObjectUtils;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.stream.Collectors;

/** The few calls of Keycloak's admin REST API and OAuth endpoints the e2e tests need, JSON by Nimbus. */
final class KeycloakAdmin {

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String url;
  private String token;
  private long tokenTime;

  KeycloakAdmin(String url) {
    this.url = url;
  }

  void createRealm(Map<String, Object> realm) throws IOException, InterruptedException {
    send("POST", "/admin/realms", realm, 201);
  }

  void create(String realm, String collection, Map<String, Object> representation)
      throws IOException, InterruptedException {
    send("POST", "/admin/realms/" + realm + "/" + collection, representation, 201);
  }

  /** Returns how many events of a type Keycloak recorded for a client (the realm must have events on). */
  int countEvents(String realm, String clientId, String type) throws IOException, InterruptedException {
    String body = send("GET", "/admin/realms/" + realm + "/events?max=1000&client=" + clientId + "&type=" + type, null, 200);
    try {
      return JSONArrayUtils.parse(body).size();
    } catch (ParseException e) {
      throw new IOException("events: " + body, e);
    }
  }

  /** RFC 7662 token introspection, authenticated as a confidential client. */
  Map<String, Object> introspect(String realm, String clientId, String secret, String accessToken)
      throws IOException, InterruptedException {
    String basic = Base64.getEncoder().encodeToString((clientId + ":" + secret).getBytes(StandardCharsets.UTF_8));
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(url + "/realms/" + realm + "/protocol/openid-connect/token/introspect"))
            .header("Authorization", "Basic " + basic)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(form(Map.of("token", accessToken))))
            .build();
    return json(check(http.send(request, HttpResponse.BodyHandlers.ofString()), 200));
  }

  private String send(String method, String path, Map<String, Object> body, int expected)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url + path)).header("Authorization", "Bearer " + adminToken());
    if (body == null) {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      request.header("Content-Type", "application/json");
      request.method(method, HttpRequest.BodyPublishers.ofString(JSONObjectUtils.toJSONString(body)));
    }
    return check(http.send(request.build(), HttpResponse.BodyHandlers.ofString()), expected);
  }

  /** The master realm's access tokens live 60 s by default: take a fresh one when in doubt. */
  private String adminToken() throws IOException, InterruptedException {
    if (token == null || System.currentTimeMillis() - tokenTime > 30_000) {
      Map<String, String> fields =
          Map.of(
              "grant_type", "password",
              "client_id", "admin-cli",
              "username", KeycloakServer.ADMIN_USER,
              "password", KeycloakServer.ADMIN_PASSWORD);
      HttpRequest request =
          HttpRequest.newBuilder(URI.create(url + "/realms/master/protocol/openid-connect/token"))
              .header("Content-Type", "application/x-www-form-urlencoded")
              .POST(HttpRequest.BodyPublishers.ofString(form(fields)))
              .build();
      tokenTime = System.currentTimeMillis();
      token = (String) json(check(http.send(request, HttpResponse.BodyHandlers.ofString()), 200)).get("access_token");
    }
    return token;
  }

  private static String check(HttpResponse<String> response, int expected) throws IOException {
    if (response.statusCode() != expected) {
      throw new IOException(
          response.request().method() + " " + response.uri() + " -> " + response.statusCode() + ": " + response.body());
    }
    return response.body();
  }

  private static Map<String, Object> json(String body) throws IOException {
    try {
      return JSONObjectUtils.parse(body);
    } catch (ParseException e) {
      throw new IOException("not a JSON object: " + body, e);
    }
  }

  private static String form(Map<String, String> fields) {
    return fields.entrySet().stream()
        .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
  }
}
