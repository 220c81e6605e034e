package io.upstreamoauth.agent.rotation;

import io.upstreamoauth.agent.util.AgentLog;
import io.upstreamoauth.agent.util.Clock;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;

/**
 * One secret value read from a file with {@code ${file:...}}, followed on its own: a look at the
 * file (real path, size, modification time) at most every few seconds, and a read only when it
 * changed. For values that are not part of the OAuth settings, such as the Redis password, which
 * every new Redis connection asks for.
 */
public final class FollowedFile {

  private final String key;
  private final String path;
  private final Clock clock;
  private final long intervalMillis;
  private volatile String value;
  private FileStamp stamp; // guarded by this
  private long lastCheckMillis; // guarded by this

  /**
   * @param key the full key name, for the log
   * @param value the value read at start-up
   */
  public FollowedFile(String key, String path, String value, Clock clock, long intervalMillis) {
    this.key = key;
    this.path = path;
    this.value = value;
    this.clock = clock;
    this.intervalMillis = intervalMillis;
    this.stamp = FileStamp.of(path);
    this.lastCheckMillis = clock.millis();
  }

  /** Returns the value, read again first if the file changed since the last look. */
  public String value() {
    synchronized (this) {
      long now = clock.millis();
      if (now - lastCheckMillis >= intervalMillis) {
        lastCheckMillis = now;
        FileStamp fresh = FileStamp.of(path);
        if (!fresh.equals(stamp)) {
          String read = read();
          if (read != null) {
            stamp = fresh;
            value = read;
            AgentLog.info(key + " changed (file " + path + "); new connections use it");
          }
        }
      }
    }
    return value;
  }

  private String read() {
    try {
      String text = new String(Files.readAllBytes(Paths.get(path)), StandardCharsets.UTF_8);
      int end = text.length();
      while (end > 0 && (text.charAt(end - 1) == '\n' || text.charAt(end - 1) == '\r')) {
        end--;
      }
      return text.substring(0, end);
    } catch (IOException | RuntimeException e) {
      AgentLog.warnLimited(
          "followed:" + key,
          key + ": cannot read file '" + path + "' (" + e.getClass().getSimpleName()
              + "); the previous value stays in use");
      return null;
    }
  }

  @Override
  public String toString() {
    return "FollowedFile{" + key + ", " + path + "}"; // never the value
  }
}
