package io.upstreamoauth.agent.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The files a profile's credentials come from, and how to read its settings again once one of
 * them changed: {@code ${file:...}} values of {@code client-secret} and {@code password}, and the
 * files named by {@code private-key-file}, {@code ca-file}, {@code client-cert-file} and {@code
 * client-key-file}. Kubernetes replaces a mounted secret by swapping a symbolic link, so the
 * settings must follow the files, not what they held at start-up.
 */
public final class CredentialFiles {

  static final CredentialFiles NONE =
      new CredentialFiles(null, null, Collections.<String, String>emptyMap());

  private final RawConfig raw;
  private final String profile;
  private final Map<String, String> files; // full key name -> path

  CredentialFiles(RawConfig raw, String profile, Map<String, String> files) {
    this.raw = raw;
    this.profile = profile;
    this.files = Collections.unmodifiableMap(new LinkedHashMap<String, String>(files));
  }

  /** Returns the watched files by the full name of the key that names them, in key order. */
  public Map<String, String> files() {
    return files;
  }

  /**
   * Reads the profile's OAuth settings again from the same sources, every file read anew.
   *
   * @throws ConfigException listing what is wrong now (a file half written, gone, not a key),
   *     each problem naming its key and never a secret value
   */
  public OAuthSettings reread() throws ConfigException {
    if (raw == null) {
      throw new ConfigException(Collections.singletonList("nothing to read again"));
    }
    List<String> problems = new ArrayList<String>();
    OAuthSettings settings = new OAuthSettingsReader(raw.reread(problems), profile, problems).read();
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return settings;
  }

  @Override
  public String toString() {
    return "CredentialFiles" + files;
  }
}
