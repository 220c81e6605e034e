package io.upstreamoauth.agent.config;

/** Where tokens are cached. */
public enum CacheStrategy implements Choice {
  /** In this JVM only. */
  MEMORY("memory"),
  /** In Redis, shared by every JVM with the same OAuth settings, behind an in-memory layer. */
  REDIS("redis");

  private final String value;

  CacheStrategy(String value) {
    this.value = value;
  }

  @Override
  public String value() {
    return value;
  }
}
