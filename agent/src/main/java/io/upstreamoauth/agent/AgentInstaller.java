package io.upstreamoauth.agent;

import io.upstreamoauth.agent.bridge.AgentBridge;
import io.upstreamoauth.agent.bridge.AgentBridges;
import io.upstreamoauth.agent.config.AgentConfig;
import io.upstreamoauth.agent.config.ConfigException;
import io.upstreamoauth.agent.config.ConfigLoader;
import io.upstreamoauth.agent.config.ProfileConfig;
import io.upstreamoauth.agent.instrumentation.Instrumenter;
import io.upstreamoauth.agent.instrumentation.JdkInstrumentation;
import io.upstreamoauth.agent.instrumentation.httpurlconnection.HttpUrlConnectionInstrumentation;
import io.upstreamoauth.agent.instrumentation.javahttpclient.JavaHttpClientInstrumentation;
import io.upstreamoauth.agent.util.AgentLog;
import io.upstreamoauth.agent.util.AgentVersion;
import io.upstreamoauth.agent.util.Clock;
import io.upstreamoauth.bootstrap.UpstreamOAuth;
import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.List;

/** Reads the configuration, installs the bridge and the instrumentations. */
final class AgentInstaller {

  private AgentInstaller() {}

  static void install(String args, Instrumentation instrumentation) {
    AgentConfig config;
    try {
      config = ConfigLoader.load(args);
    } catch (ConfigException e) {
      AgentLog.error(
          "the configuration is invalid, so the agent is disabled and the application runs without"
              + " it:\n"
              + e.getMessage());
      return;
    }
    if (!config.enabled()) {
      AgentLog.info("disabled by upstream.oauth.enabled=false");
      return;
    }
    AgentLog.setLevel(config.logLevel());
    if (AgentPremain.bootClassesFallback != null) {
      AgentLog.debug(
          "the JDK did not let the agent define its bootstrap classes, so they were appended to the"
              + " boot class path (the JVM warns that class sharing is then limited): "
              + AgentLog.describe(AgentPremain.bootClassesFallback));
    }
    if (config.profiles().isEmpty()) {
      AgentLog.info("no upstream.oauth.* configuration was found; the agent does nothing");
      return;
    }
    AgentBridge bridge = AgentBridges.create(config, Clock.SYSTEM);
    UpstreamOAuth.install(bridge);
    Instrumenter.install(instrumentation, jdkInstrumentations());
    String version = AgentVersion.agent();
    for (ProfileConfig profile : config.profiles()) {
      if (!profile.oauth().sslVerify()) {
        AgentLog.warn(
            "profile '" + profile.name() + "': ssl-verify=false, token requests accept any server"
                + " certificate; never use this in production");
      }
      AgentLog.info(
          "version "
              + version
              + ", profile '"
              + profile.name()
              + "': tokens from "
              + profile.oauth().tokenEndpoint()
              + " ("
              + profile.oauth().grantType().value()
              + ", "
              + profile.oauth().authMethod().value()
              + ", cache "
              + profile.cache().strategy().value()
              + ") go in "
              + profile.headerName()
              + " on requests to "
              + profile.hosts());
    }
  }

  static List<JdkInstrumentation> jdkInstrumentations() {
    List<JdkInstrumentation> all = new ArrayList<JdkInstrumentation>();
    all.add(new HttpUrlConnectionInstrumentation());
    all.add(new JavaHttpClientInstrumentation());
    return all;
  }
}
