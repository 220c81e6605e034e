package io.upstreamoauth.agent.metrics;

import io.upstreamoauth.agent.util.AgentLog;
import java.lang.management.ManagementFactory;
import java.util.Map;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * Registers each profile's {@link TokenSourceMXBean} with the platform MBean server. The only
 * class of the agent that touches JMX: it is loaded on a background thread, never on premain's.
 */
public final class JmxMetrics {

  /** The domain of every MBean the agent registers. */
  public static final String DOMAIN = "io.upstreamoauth";

  private JmxMetrics() {}

  /** Returns the MBean name of a profile. */
  public static ObjectName name(String profile) throws javax.management.MalformedObjectNameException {
    return new ObjectName(DOMAIN + ":type=TokenSource,name=" + quoteIfNeeded(profile));
  }

  /** Quotes a value that ObjectName would refuse or read otherwise (profile names never need it). */
  static String quoteIfNeeded(String value) {
    for (int i = 0; i < value.length(); i++) {
      if (",=:\"*?\\\n ".indexOf(value.charAt(i)) >= 0) {
        return ObjectName.quote(value);
      }
    }
    return value.isEmpty() ? ObjectName.quote(value) : value;
  }

  /**
   * Registers one MBean per profile; a name already taken (another copy of the agent, in another
   * class loader) is left to its owner. Never throws: metrics are not worth a failed application.
   */
  public static void register(Map<String, TokenSourceMXBean> profiles) {
    try {
      MBeanServer server = ManagementFactory.getPlatformMBeanServer();
      for (Map.Entry<String, TokenSourceMXBean> profile : profiles.entrySet()) {
        ObjectName name = name(profile.getKey());
        // no log line when it works: it comes seconds after start-up, into whatever the log is doing
        try {
          server.registerMBean(profile.getValue(), name);
        } catch (javax.management.InstanceAlreadyExistsException taken) {
          // another copy of the agent, in another class loader: its counters stay
        }
      }
    } catch (Throwable e) {
      AgentLog.warn("could not register the agent's MBeans (metrics.jmx.enabled): " + AgentLog.describe(e));
    }
  }
}
