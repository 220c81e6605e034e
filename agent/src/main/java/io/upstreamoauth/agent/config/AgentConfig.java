package io.upstreamoauth.agent.config;

import io.upstreamoauth.agent.util.AgentLog;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The agent's whole configuration, validated once at start-up. Immutable. */
public final class AgentConfig {

  private final boolean enabled;
  private final AgentLog.Level logLevel;
  private final List<ProfileConfig> profiles;
  private final boolean jmxMetrics;

  public AgentConfig(boolean enabled, AgentLog.Level logLevel, List<ProfileConfig> profiles) {
    this(enabled, logLevel, profiles, true);
  }

  /** @param jmxMetrics whether each profile gets an MBean ({@code metrics.jmx.enabled}) */
  public AgentConfig(boolean enabled, AgentLog.Level logLevel, List<ProfileConfig> profiles, boolean jmxMetrics) {
    this.enabled = enabled;
    this.logLevel = logLevel;
    this.profiles = Collections.unmodifiableList(new ArrayList<ProfileConfig>(profiles));
    this.jmxMetrics = jmxMetrics;
  }

  public boolean enabled() {
    return enabled;
  }

  public AgentLog.Level logLevel() {
    return logLevel;
  }

  public List<ProfileConfig> profiles() {
    return profiles;
  }

  /** Returns true when each profile's counters are published as an MBean. */
  public boolean jmxMetrics() {
    return jmxMetrics;
  }

  @Override
  public String toString() {
    return "AgentConfig{enabled=" + enabled + ", profiles=" + profiles + "}";
  }
}
