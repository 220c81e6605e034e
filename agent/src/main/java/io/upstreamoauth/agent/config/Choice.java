package io.upstreamoauth.agent.config;

/** An enumerated configuration value with the spelling users write. */
interface Choice {
  /** Returns the value as written in configuration. */
  String value();
}
