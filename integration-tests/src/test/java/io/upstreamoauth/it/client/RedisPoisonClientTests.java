package io.upstreamoauth.it.client;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.upstreamoauth.agent.testing.redis.RedisServer;
import io.upstreamoauth.it.support.AgentApp;
import io.upstreamoauth.it.support.AppRun;
import io.upstreamoauth.it.support.FakeIdp;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.SetParams;

/**
 * What a token poisoned in Redis does to every client: nothing. Someone with write access to
 * Redis replaces a stored token with {@code abc\r\nX-Injected: 1} (the rest of the value left as
 * the agent wrote it, fingerprint recomputed); the next JVM must neither send it (no header
 * injected, no token the IdP did not issue) nor warn more than once, and asks the IdP instead.
 *
 * <p>One redis-server serves every client class of the test JVM; each test has its own key prefix.
 */
public interface RedisPoisonClientTests {

  /** Returns the suite's app with the agent configured for the suite's IdP and API. */
  AgentApp clientApp() throws Exception;

  /** Returns the URL of {@code path} on the configured API. */
  String clientApiUrl(String path);

  FakeIdp clientIdp();

  WireMockServer clientApi();

  @Test
  default void redisPoisonedToken_isAMiss_neverSent_idpAskedOnceMore_oneWarning() throws Exception {
    String prefix = "poison-" + UUID.randomUUID() + ":";
    AppRun first = withRedis(prefix).run("--url", clientApiUrl("/api/data"));
    assertThat(first.ok()).as(first.toString()).isEqualTo(1);
    assertThat(clientIdp().tokenRequests()).hasSize(1);
    String redisKey = poison(prefix, "abc\r\nX-Injected: 1");

    AppRun second = withRedis(prefix).run("--url", clientApiUrl("/api/data"), "--count", "3");

    List<String> issued = clientIdp().issued();
    List<LoggedRequest> requests = clientApi().findAll(anyRequestedFor(urlPathEqualTo("/api/data")));
    assertThat(requests).as(second.toString()).hasSize(4).allSatisfy(request -> {
      assertThat(request.containsHeader("X-Injected")).as("injected header").isFalse();
      assertThat(request.getHeader("Authorization")).isIn(issued.stream().map(t -> "Bearer " + t).collect(Collectors.toList()));
    });
    assertThat(second.ok()).as(second.toString()).isEqualTo(3);
    assertThat(clientIdp().tokenRequests()).as("token requests").hasSize(2);
    assertThat(requests).extracting(request -> request.getHeader("Authorization"))
        .containsOnly("Bearer " + issued.get(0), "Bearer " + issued.get(1))
        .filteredOn(("Bearer " + issued.get(1))::equals).as("the second run's requests").hasSize(3);
    List<String> newWarnings = warnings(second).stream().filter(line -> !warnings(first).contains(line)).collect(Collectors.toList());
    assertThat(newWarnings).as(second.stderr()).singleElement().asString().contains("is ignored");
    assertThat(newWarnings.get(0).replace(redisKey, "")).doesNotContain("abc").doesNotContain("X-Injected");
    assertThat(second.stderr()).doesNotContain("X-Injected").doesNotContain(issued.get(0)).doesNotContain(issued.get(1));
    try (Jedis jedis = RedisHolder.SERVER.client()) {
      assertThat(new String(jedis.get(redisKey.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8))
          .as("the poisoned value is overwritten").endsWith("|Bearer|" + issued.get(1));
    }
  }

  private AgentApp withRedis(String prefix) throws Exception {
    return clientApp()
        .oauth("cache.strategy", "redis")
        .oauth("cache.redis.port", RedisHolder.SERVER.port())
        .oauth("cache.redis.key-prefix", prefix);
  }

  /**
   * Replaces the token stored under {@code prefix} with {@code token}, keeping the value's format
   * ({@code <sha256 of token>:p:1|obtained|refresh|expires|type|token}) and its time to live;
   * returns the Redis key.
   */
  private static String poison(String prefix, String token) throws Exception {
    try (Jedis jedis = RedisHolder.SERVER.client()) {
      Set<String> keys = jedis.keys(prefix + "*");
      assertThat(keys).as("keys stored by the first run").hasSize(1);
      String key = keys.iterator().next();
      String value = new String(jedis.get(key.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
      assertThat(value).as("a plain value").matches("[0-9a-f]{64}:p:1\\|\\d+\\|\\d+\\|\\d+\\|Bearer\\|.+");
      String[] fields = value.substring(67).split("\\|", 6);
      String poisoned = sha256Hex(token) + ":p:" + String.join("|", Arrays.asList(fields).subList(0, 5)) + "|" + token;
      jedis.set(key.getBytes(StandardCharsets.UTF_8), poisoned.getBytes(StandardCharsets.UTF_8),
          SetParams.setParams().px(jedis.pttl(key)));
      return key;
    }
  }

  private static List<String> warnings(AppRun run) {
    return run.stderr().lines().filter(line -> line.contains(" WARN "))
        .map(line -> line.substring(line.indexOf(" WARN "))) // without the timestamp
        .collect(Collectors.toList());
  }

  private static String sha256Hex(String text) throws Exception {
    StringBuilder hex = new StringBuilder();
    for (byte b : MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8))) {
      hex.append(String.format("%02x", b));
    }
    return hex.toString();
  }

  /** One redis-server for the whole test JVM, started on first use; the fixture kills it at exit. */
  final class RedisHolder {
    static final RedisServer SERVER = start();

    private RedisHolder() {}

    private static RedisServer start() {
      try {
        return RedisServer.start("client-suite");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
