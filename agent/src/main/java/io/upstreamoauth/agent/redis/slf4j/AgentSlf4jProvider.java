package io.upstreamoauth.agent.redis.slf4j;

import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.helpers.NOPMDCAdapter;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * The SLF4J provider of the agent's own, relocated copy of SLF4J, which only Jedis uses. Without
 * one, SLF4J prints "No SLF4J providers were found" into the application's output; with it,
 * Jedis's messages go to {@code AgentLog} at debug level. The agent's warnings about Redis are
 * its own: Jedis's are detail.
 */
public final class AgentSlf4jProvider implements SLF4JServiceProvider {

  private final ILoggerFactory loggers = new ILoggerFactory() {
    @Override
    public org.slf4j.Logger getLogger(String name) {
      return new AgentSlf4jLogger(name);
    }
  };
  private final IMarkerFactory markers = new BasicMarkerFactory();
  private final MDCAdapter mdc = new NOPMDCAdapter();

  @Override
  public ILoggerFactory getLoggerFactory() {
    return loggers;
  }

  @Override
  public IMarkerFactory getMarkerFactory() {
    return markers;
  }

  @Override
  public MDCAdapter getMDCAdapter() {
    return mdc;
  }

  @Override
  public String getRequestedApiVersion() {
    return "2.0.99";
  }

  @Override
  public void initialize() {
    // nothing to set up: AgentLog is static
  }
}
