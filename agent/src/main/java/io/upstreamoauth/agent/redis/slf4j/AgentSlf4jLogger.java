package io.upstreamoauth.agent.redis.slf4j;

import io.upstreamoauth.agent.util.AgentLog;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;

/** Writes every SLF4J message at AgentLog's debug level, prefixed with the logger's short name. */
final class AgentSlf4jLogger extends LegacyAbstractLogger {

  private static final long serialVersionUID = 1L;

  AgentSlf4jLogger(String name) {
    this.name = name;
  }

  private static boolean enabled() {
    return AgentLog.isEnabled(AgentLog.Level.DEBUG);
  }

  @Override
  public boolean isTraceEnabled() {
    return false;
  }

  @Override
  public boolean isDebugEnabled() {
    return enabled();
  }

  @Override
  public boolean isInfoEnabled() {
    return enabled();
  }

  @Override
  public boolean isWarnEnabled() {
    return enabled();
  }

  @Override
  public boolean isErrorEnabled() {
    return enabled();
  }

  @Override
  protected String getFullyQualifiedCallerName() {
    return null;
  }

  @Override
  protected void handleNormalizedLoggingCall(
      Level level, Marker marker, String pattern, Object[] arguments, Throwable error) {
    String shortName = name.substring(name.lastIndexOf('.') + 1);
    String message = MessageFormatter.basicArrayFormat(pattern, arguments);
    AgentLog.debug("redis client (" + shortName + ", " + level + "): " + message
        + (error != null ? ": " + AgentLog.describe(error) : ""));
  }
}
