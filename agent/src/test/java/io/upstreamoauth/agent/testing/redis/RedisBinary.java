package io.upstreamoauth.agent.testing.redis;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;

/**
 * Finds the {@code redis-server} the fixtures run: {@code -Dredis.server.binary=/path} or the
 * environment variable {@code REDIS_SERVER_BINARY} when set, else the static binary inside the
 * {@code org.signal:embedded-redis} test dependency, extracted once under {@code target/}.
 */
public final class RedisBinary {

  public static final String PROPERTY = "redis.server.binary";
  public static final String ENVIRONMENT = "REDIS_SERVER_BINARY";
  private static final String VERSION = "7.0.15";
  private static Path binary;

  private RedisBinary() {}

  /** Returns the path of an executable redis-server. */
  public static synchronized Path get() throws IOException {
    if (binary != null) {
      return binary;
    }
    String configured = System.getProperty(PROPERTY, System.getenv(ENVIRONMENT));
    if (configured != null && !configured.isEmpty()) {
      Path path = Path.of(configured);
      if (!Files.isExecutable(path)) {
        throw new IllegalStateException(PROPERTY + "/" + ENVIRONMENT + " names " + path + ", which is not executable");
      }
      return binary = path;
    }
    String resource = "redis-server-" + VERSION + "-" + platform();
    Path target = workDir().resolve("bin").resolve(resource);
    if (!Files.isExecutable(target)) {
      Files.createDirectories(target.getParent());
      try (InputStream in = RedisBinary.class.getClassLoader().getResourceAsStream(resource)) {
        if (in == null) {
          throw new IllegalStateException(resource + " is not on the class path: add the test dependency "
              + "org.signal:embedded-redis, or set " + PROPERTY + " to a redis-server binary");
        }
        Path temp = Files.createTempFile(target.getParent(), resource, ".part");
        Files.copy(in, temp, StandardCopyOption.REPLACE_EXISTING);
        temp.toFile().setExecutable(true);
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      }
    }
    return binary = target;
  }

  /** Returns where fixtures keep binaries and data: {@code target/redis} of the running module. */
  public static Path workDir() {
    return Path.of(System.getProperty("redis.work.dir", "target/redis")).toAbsolutePath();
  }

  private static String platform() {
    String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
    String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
    String cpu = arch.equals("aarch64") || arch.equals("arm64") ? "arm64" : arch.contains("64") ? "amd64" : "386";
    if (os.contains("mac")) {
      return "darwin-" + cpu;
    }
    if (os.contains("linux")) {
      return "linux-" + cpu;
    }
    throw new IllegalStateException("no bundled redis-server for " + os + "/" + arch + "; set " + PROPERTY);
  }
}
