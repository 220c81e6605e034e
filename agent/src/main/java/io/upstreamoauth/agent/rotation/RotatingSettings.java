package io.upstreamoauth.agent.rotation;

import io.upstreamoauth.agent.config.ConfigException;
import io.upstreamoauth.agent.config.CredentialFiles;
import io.upstreamoauth.agent.config.OAuthSettings;
import io.upstreamoauth.agent.token.CredentialWatch;
import io.upstreamoauth.agent.util.AgentLog;
import io.upstreamoauth.agent.util.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A profile's OAuth settings that follow the files its credentials are read from. Each check
 * stats the files (real path, size, modification time: no read, no parse); only when one of them
 * changed is the profile read again, and then the next token request uses the new settings. A
 * token already cached is not touched: it stays in use until it expires.
 */
public final class RotatingSettings implements CredentialWatch {

  /** How often the token-request path looks at the files, at most. */
  public static final long CHECK_INTERVAL_MILLIS = 5_000;

  private final String profile;
  private final Clock clock;
  private final long intervalMillis;
  private volatile OAuthSettings current;
  private Map<String, FileStamp> stamps; // guarded by this; by path
  private long lastCheckMillis; // guarded by this

  /**
   * @param profile the profile's name, for the log
   * @param settings the settings read at start-up; their {@link OAuthSettings#credentialFiles()}
   *     are watched
   */
  public RotatingSettings(String profile, OAuthSettings settings, Clock clock, long intervalMillis) {
    this.profile = profile;
    this.clock = clock;
    this.intervalMillis = intervalMillis;
    this.current = settings;
    this.stamps = stamps(settings.credentialFiles());
    this.lastCheckMillis = clock.millis();
  }

  /** Returns the settings to make the next token request with. */
  public OAuthSettings current() {
    return current;
  }

  /** Returns true when settings hold files worth watching. */
  public static boolean watches(OAuthSettings settings) {
    return !settings.credentialFiles().files().isEmpty();
  }

  @Override
  public synchronized boolean changed(boolean now) {
    long time = clock.millis();
    if (!now && time - lastCheckMillis < intervalMillis) {
      return false;
    }
    lastCheckMillis = time;
    CredentialFiles files = current.credentialFiles();
    Map<String, FileStamp> fresh = stamps(files);
    if (fresh.equals(stamps)) {
      return false;
    }
    OAuthSettings reread;
    try {
      reread = files.reread();
    } catch (ConfigException e) {
      // most likely caught half-way through a write: the files are looked at again next time.
      // The problems name keys and files, never a value
      AgentLog.warnLimited(
          "rotation:" + profile,
          "profile '" + profile + "': a credential file changed but cannot be used yet; the"
              + " token requests go on with the previous credentials:\n" + e.getMessage());
      return false;
    }
    for (Map.Entry<String, String> file : files.files().entrySet()) {
      FileStamp before = stamps.get(file.getValue());
      if (before != null && !before.equals(fresh.get(file.getValue()))) {
        AgentLog.info(
            "profile '" + profile + "': " + file.getKey() + " changed (file " + file.getValue()
                + "); the next token request uses it, the token in use stays until it expires");
      }
    }
    stamps = fresh;
    current = reread;
    return true;
  }

  private static Map<String, FileStamp> stamps(CredentialFiles files) {
    Map<String, FileStamp> stamps = new LinkedHashMap<String, FileStamp>();
    for (String path : files.files().values()) {
      stamps.put(path, FileStamp.of(path));
    }
    return stamps;
  }

  @Override
  public String toString() {
    return "RotatingSettings{" + profile + ", " + current.credentialFiles() + "}";
  }
}
