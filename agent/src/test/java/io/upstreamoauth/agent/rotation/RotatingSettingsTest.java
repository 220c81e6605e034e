package io.upstreamoauth.agent.rotation;

import static org.assertj.core.api.Assertions.assertThat;

import io.upstreamoauth.agent.config.AgentConfig;
import io.upstreamoauth.agent.config.ConfigLoader;
import io.upstreamoauth.agent.config.OAuthSettings;
import io.upstreamoauth.agent.util.AgentLog;
import io.upstreamoauth.agent.util.FakeClock;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Settings that follow their credential files, on a fake clock: a Kubernetes-style secret volume
 * ({@code client-secret -> ..data/client-secret}, {@code ..data -> ..2026_12_02_N}) whose
 * {@code ..data} link is swapped, as the kubelet does.
 */
class RotatingSettingsTest {

  private static final long INTERVAL = RotatingSettings.CHECK_INTERVAL_MILLIS;

  @TempDir Path volume;
  private final FakeClock clock = new FakeClock();
  private final ByteArrayOutputStream log = new ByteArrayOutputStream();
  private int generation;

  @BeforeEach
  void captureLog() {
    AgentLog.setOutput(new PrintStream(log, true));
    AgentLog.resetLimits();
  }

  @AfterEach
  void restoreLog() {
    AgentLog.setOutput(System.err);
  }

  /** Writes a new ..N directory and points ..data at it, atomically (rename of a new link). */
  private void mount(String secret) throws Exception {
    generation++;
    Path dir = Files.createDirectory(volume.resolve("..2026_12_02_" + generation));
    Files.write(dir.resolve("client-secret"), (secret + "\n").getBytes(StandardCharsets.UTF_8));
    // the same size and modification time as the old file: only the real path tells them apart
    Files.setLastModifiedTime(dir.resolve("client-secret"), FileTime.fromMillis(1_700_000_000_000L));
    Path next = Files.createSymbolicLink(volume.resolve("..data_tmp"), dir.getFileName());
    Files.move(next, volume.resolve("..data"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    if (!Files.exists(volume.resolve("client-secret"), java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      Files.createSymbolicLink(volume.resolve("client-secret"), Path.of("..data/client-secret"));
    }
  }

  private RotatingSettings rotating() throws Exception {
    Map<String, String> properties = new HashMap<>();
    properties.put("upstream.oauth.hosts", "api.example.com");
    properties.put("upstream.oauth.token-endpoint", "https://idp.example.com/token");
    properties.put("upstream.oauth.client-id", "orders");
    properties.put("upstream.oauth.client-secret", "${file:" + volume.resolve("client-secret") + "}");
    AgentConfig config = ConfigLoader.load(properties, new HashMap<>(), null);
    OAuthSettings settings = config.profiles().get(0).oauth();
    assertThat(RotatingSettings.watches(settings)).isTrue();
    return new RotatingSettings("default", settings, clock, INTERVAL);
  }

  @Test
  void changed_symlinkSwapped_newSecretAfterTheInterval() throws Exception {
    mount("old-secret-000");
    RotatingSettings rotating = rotating();
    assertThat(rotating.current().clientSecret()).isEqualTo("old-secret-000");

    mount("new-secret-111"); // same length, same mtime: a different real path
    clock.advance(INTERVAL - 1);
    assertThat(rotating.changed(false)).as("no look before the interval").isFalse();
    assertThat(rotating.current().clientSecret()).isEqualTo("old-secret-000");

    clock.advance(1);
    assertThat(rotating.changed(false)).isTrue();
    assertThat(rotating.current().clientSecret()).isEqualTo("new-secret-111");
    assertThat(rotating.changed(false)).as("reported once").isFalse();
    clock.advance(INTERVAL);
    assertThat(rotating.changed(false)).as("nothing new").isFalse();
  }

  @Test
  void changed_now_looksAtOnce() throws Exception {
    mount("old-secret-000");
    RotatingSettings rotating = rotating();
    mount("new-secret-111");
    assertThat(rotating.changed(true)).as("the IdP refused the client: look now").isTrue();
    assertThat(rotating.current().clientSecret()).isEqualTo("new-secret-111");
  }

  @Test
  void changed_logsKeyAndFile_neverTheSecret() throws Exception {
    mount("old-secret-000");
    RotatingSettings rotating = rotating();
    mount("new-secret-111");
    rotating.changed(true);
    String logged = log.toString(StandardCharsets.UTF_8);
    assertThat(logged)
        .contains("upstream.oauth.client-secret changed (file " + volume.resolve("client-secret") + ")")
        .doesNotContain("secret-000")
        .doesNotContain("secret-111");
    assertThat(logged.lines().filter(line -> line.contains("changed (file"))).hasSize(1);
  }

  @Test
  void changed_fileGone_keepsTheOldSettings_andTakesTheFileWhenItIsBack() throws Exception {
    mount("old-secret-000");
    RotatingSettings rotating = rotating();
    Files.delete(volume.resolve("..data"));
    assertThat(rotating.changed(true)).isFalse();
    assertThat(rotating.current().clientSecret()).isEqualTo("old-secret-000");
    assertThat(log.toString(StandardCharsets.UTF_8))
        .contains("cannot be used yet")
        .contains("upstream.oauth.client-secret")
        .doesNotContain("secret-000");

    mount("new-secret-111");
    assertThat(rotating.changed(true)).isTrue();
    assertThat(rotating.current().clientSecret()).isEqualTo("new-secret-111");
  }

  @Test
  void changed_writtenInPlace_seenBySizeOrTime() throws Exception {
    Path plain = volume.resolve("secret.txt");
    Files.write(plain, "old-secret".getBytes(StandardCharsets.UTF_8));
    Map<String, String> properties = new HashMap<>();
    properties.put("upstream.oauth.hosts", "api.example.com");
    properties.put("upstream.oauth.token-endpoint", "https://idp.example.com/token");
    properties.put("upstream.oauth.client-id", "orders");
    properties.put("upstream.oauth.client-secret", "${file:" + plain + "}");
    OAuthSettings settings = ConfigLoader.load(properties, new HashMap<>(), null).profiles().get(0).oauth();
    RotatingSettings rotating = new RotatingSettings("default", settings, clock, INTERVAL);

    Files.write(plain, "a-longer-new-secret".getBytes(StandardCharsets.UTF_8));
    assertThat(rotating.changed(true)).isTrue();
    assertThat(rotating.current().clientSecret()).isEqualTo("a-longer-new-secret");
  }

  private static void writeKey(Path file) throws Exception {
    java.security.KeyPairGenerator generator = java.security.KeyPairGenerator.getInstance("EC");
    generator.initialize(new java.security.spec.ECGenParameterSpec("secp256r1"));
    String base64 = java.util.Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
        .encodeToString(generator.generateKeyPair().getPrivate().getEncoded());
    Path next = file.resolveSibling(file.getFileName() + ".tmp");
    Files.write(next, ("-----BEGIN PRIVATE KEY-----\n" + base64 + "\n-----END PRIVATE KEY-----\n")
        .getBytes(StandardCharsets.US_ASCII));
    Files.move(next, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  @Test
  void changed_privateKeyFileReplaced_newKeyAndNewFingerprint() throws Exception {
    Path key = volume.resolve("client-key.pem");
    writeKey(key);
    Map<String, String> properties = new HashMap<>();
    properties.put("upstream.oauth.hosts", "api.example.com");
    properties.put("upstream.oauth.token-endpoint", "https://idp.example.com/token");
    properties.put("upstream.oauth.client-id", "orders");
    properties.put("upstream.oauth.auth-method", "private_key_jwt");
    properties.put("upstream.oauth.private-key-alg", "ES256");
    properties.put("upstream.oauth.private-key-file", key.toString());
    OAuthSettings settings = ConfigLoader.load(properties, new HashMap<>(), null).profiles().get(0).oauth();
    RotatingSettings rotating = new RotatingSettings("default", settings, clock, INTERVAL);

    writeKey(key); // a new file in its place: a new inode, most likely a new size too
    Files.setLastModifiedTime(key, FileTime.fromMillis(1_800_000_000_000L));
    assertThat(rotating.changed(true)).isTrue();
    assertThat(rotating.current().privateKey()).isNotEqualTo(settings.privateKey());
    assertThat(rotating.current().publicIdentity()).as("the key's fingerprint names the token")
        .isNotEqualTo(settings.publicIdentity());
    assertThat(log.toString(StandardCharsets.UTF_8)).contains("upstream.oauth.private-key-file changed (file " + key + ")");
  }

  @Test
  void watches_secretGivenInline_nothingToWatch() throws Exception {
    Map<String, String> properties = new HashMap<>();
    properties.put("upstream.oauth.hosts", "api.example.com");
    properties.put("upstream.oauth.token-endpoint", "https://idp.example.com/token");
    properties.put("upstream.oauth.client-id", "orders");
    properties.put("upstream.oauth.client-secret", "inline");
    OAuthSettings settings = ConfigLoader.load(properties, new HashMap<>(), null).profiles().get(0).oauth();
    assertThat(RotatingSettings.watches(settings)).isFalse();
  }
}
