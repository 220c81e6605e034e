package io.upstreamoauth.agent.config;

/**
 * Which node of a Sentinel-monitored group token reads go to. Leases and writes always go to the
 * master: a replica refuses them.
 */
public enum SentinelRole implements Choice {
  /** Reads go to the master, like everything else. */
  MASTER("master"),
  /** Reads go to a replica while one is up, else to the master. */
  SLAVE("slave"),
  /** Reads go to the master or a replica, whichever is picked. */
  ANY("any");

  private final String value;

  SentinelRole(String value) {
    this.value = value;
  }

  @Override
  public String value() {
    return value;
  }
}
