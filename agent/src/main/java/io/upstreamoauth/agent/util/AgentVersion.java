package io.upstreamoauth.agent.util;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The agent's version and the Byte Buddy version it ships, as the build wrote them. */
public final class AgentVersion {

  private static final String RESOURCE = "/META-INF/upstream-oauth/version.properties";
  private static final String UNKNOWN = "unknown";

  private AgentVersion() {}

  /** Returns the agent's version, e.g. {@code 0.1.0}, or {@code unknown}. */
  public static String agent() {
    return read("agent");
  }

  /** Returns the version of the Byte Buddy shaded into the agent, or {@code unknown}. */
  public static String byteBuddy() {
    return read("byte-buddy");
  }

  private static String read(String name) {
    Properties properties = new Properties();
    try (InputStream in = AgentVersion.class.getResourceAsStream(RESOURCE)) {
      if (in != null) {
        properties.load(in);
      }
    } catch (IOException | IllegalArgumentException e) {
      return UNKNOWN; // the version is worth a line, never a failure
    }
    String value = properties.getProperty(name);
    // an unfiltered copy (an IDE build) still holds the ${...} placeholder
    return value == null || value.isEmpty() || value.startsWith("${") ? UNKNOWN : value;
  }
}
