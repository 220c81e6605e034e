package io.upstreamoauth.it.metrics;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.sun.tools.attach.VirtualMachine;
import com.sun.tools.attach.VirtualMachineDescriptor;
import io.upstreamoauth.it.support.AgentApp;
import io.upstreamoauth.it.support.AppRun;
import io.upstreamoauth.it.support.FakeIdp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A JVM started without remote JMX still gets its MBean, on the warm-up thread some seconds after
 * start-up: jconsole's way in, the local connector through the Attach API. And with {@code
 * metrics.jmx.enabled=false} it never does.
 */
class JmxMetricsLateIT {

  private static final Duration DEADLINE = Duration.ofMinutes(2);

  private final FakeIdp idp = new FakeIdp();
  private final WireMockServer api = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
  private final ExecutorService launcher = Executors.newSingleThreadExecutor();
  private Future<AppRun> run;
  private Path until;
  private Path linger;

  @AfterEach
  void stop() throws Exception {
    for (Path file : new Path[] {until, linger}) {
      if (file != null && !Files.exists(file)) {
        Files.createFile(file);
      }
    }
    if (run != null) {
      run.get();
    }
    launcher.shutdownNow();
    api.stop();
    idp.close();
  }

  @Test
  void withoutRemoteJmx_mbeanAppears_readThroughTheLocalConnector() throws Exception {
    try (JMXConnector connector = attach(start(true))) {
      MBeanServerConnection jmx = connector.getMBeanServerConnection();
      ObjectName name = new ObjectName("io.upstreamoauth:type=TokenSource,name=default");
      await("the MBean, registered late", () -> registered(jmx, name));
      await("requests counted", () -> attr(jmx, name, "RequestsWithToken") >= 1);
      assertThat(attr(jmx, name, "TokenRequests")).isEqualTo(1);
    }
  }

  @Test
  void disabled_noMBeanEver() throws Exception {
    try (JMXConnector connector = attach(start(false))) {
      MBeanServerConnection jmx = connector.getMBeanServerConnection();
      // the warm-up thread ends once its work is done: with metrics on it would wait, then register
      await("the warm-up thread to end", () -> !threadRunning(jmx, "upstream-oauth-warm-up"));
      assertThat(jmx.queryNames(new ObjectName("io.upstreamoauth:*"), null)).isEmpty();
    }
  }

  /** Starts the app calling until told to stop; returns what finds its JVM among the running ones. */
  private String start(boolean metrics) throws Exception {
    api.start();
    api.stubFor(get(urlPathEqualTo("/api/data")).willReturn(aResponse().withStatus(200).withBody("ok")));
    Path dir = Files.createTempDirectory("jmx-late-it");
    until = dir.resolve("stop");
    linger = dir.resolve("exit");
    AgentApp app =
        AgentApp.of("http-url-connection")
            .oauth("hosts", "localhost:" + api.port())
            .oauth("token-endpoint", idp.tokenEndpoint())
            .oauth("client-id", "metrics-client")
            .oauth("client-secret", "metrics-secret")
            .oauth("metrics.jmx.enabled", metrics);
    run = launcher.submit(() -> app.run("--url", "http://localhost:" + api.port() + "/api/data",
        "--pause-ms", "50", "--until", until.toString(), "--linger", linger.toString()));
    return until.toString(); // unique, and in the app's command line
  }

  /** Attaches to the app's JVM (found by its command line, never by attaching to others). */
  private JMXConnector attach(String marker) throws Exception {
    String[] pid = new String[1];
    await("the app's JVM", () -> {
      for (VirtualMachineDescriptor vm : VirtualMachine.list()) {
        if (vm.displayName().contains(marker)) {
          pid[0] = vm.id();
          return true;
        }
      }
      return false;
    });
    VirtualMachine vm = VirtualMachine.attach(pid[0]);
    try {
      return JMXConnectorFactory.connect(new JMXServiceURL(vm.startLocalManagementAgent()));
    } finally {
      vm.detach();
    }
  }

  private static boolean registered(MBeanServerConnection jmx, ObjectName name) {
    try {
      return jmx.isRegistered(name);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static long attr(MBeanServerConnection jmx, ObjectName name, String attribute) {
    try {
      return ((Number) jmx.getAttribute(name, attribute)).longValue();
    } catch (Exception e) {
      throw new AssertionError("reading " + attribute, e);
    }
  }

  private static boolean threadRunning(MBeanServerConnection jmx, String threadName) {
    try {
      ObjectName threads = new ObjectName("java.lang:type=Threading");
      long[] ids = (long[]) jmx.getAttribute(threads, "AllThreadIds");
      javax.management.openmbean.CompositeData[] infos = (javax.management.openmbean.CompositeData[])
          jmx.invoke(threads, "getThreadInfo", new Object[] {ids}, new String[] {long[].class.getName()});
      for (javax.management.openmbean.CompositeData info : infos) {
        if (info != null && threadName.equals(info.get("threadName"))) {
          return true;
        }
      }
      return false;
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private void await(String what, BooleanSupplier condition) throws Exception {
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    while (!condition.getAsBoolean()) {
      if (run.isDone()) {
        throw new AssertionError("the app ended while waiting for " + what + ":\n" + run.get());
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no " + what + " within " + DEADLINE);
      }
      Thread.sleep(100);
    }
  }
}
