package io.upstreamoauth.agent.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.upstreamoauth.agent.cache.MemoryTokenCache;
import io.upstreamoauth.agent.config.CacheSettings;
import io.upstreamoauth.agent.config.CacheStrategy;
import io.upstreamoauth.agent.config.RetrySettings;
import io.upstreamoauth.agent.oauth.TokenResponse;
import io.upstreamoauth.agent.token.TokenManager;
import io.upstreamoauth.agent.token.TokenPolicy;
import io.upstreamoauth.agent.util.FakeClock;
import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.openmbean.SimpleType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The MBean as a JMX client sees it: its name, open-typed attributes, and values that move. */
class JmxMetricsTest {

  private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();
  private final FakeClock clock = new FakeClock();
  private final RequestMetrics requests = new RequestMetrics();
  private final TokenManager manager =
      new TokenManager("key", "profile 'jmx-test'",
          () -> new TokenResponse("token-0123456789", "Bearer", 100, TokenResponse.UNKNOWN),
          new MemoryTokenCache(clock),
          new TokenPolicy(new CacheSettings(CacheStrategy.MEMORY, 0, 3600, true, 0.25),
              new RetrySettings(1_000, 60_000, 60_000), () -> 0),
          clock, Runnable::run, 30_000, new TokenMetrics());

  @AfterEach
  void unregister() throws Exception {
    for (ObjectName name : server.queryNames(new ObjectName(JmxMetrics.DOMAIN + ":*"), null)) {
      server.unregisterMBean(name);
    }
  }

  private void register(String profile) {
    Map<String, TokenSourceMXBean> views = new LinkedHashMap<>();
    views.put(profile, new TokenSourceView(profile, requests, manager));
    JmxMetrics.register(views);
  }

  @Test
  void register_profileMBean_readableWithOpenTypes() throws Exception {
    register("jmx-test");
    manager.token();
    requests.givenToken();
    requests.givenToken();
    ObjectName name = new ObjectName("io.upstreamoauth:type=TokenSource,name=jmx-test");

    assertThat(server.isRegistered(name)).isTrue();
    for (MBeanAttributeInfo attribute : server.getMBeanInfo(name).getAttributes()) {
      Object openType = attribute.getDescriptor().getFieldValue("openType");
      assertThat(openType).as(attribute.getName()).isInstanceOf(SimpleType.class);
      assertThat(attribute.isWritable()).as(attribute.getName()).isFalse();
    }
    assertThat(server.getAttribute(name, "RequestsWithToken")).isEqualTo(2L);
    assertThat(server.getAttribute(name, "TokenRequests")).isEqualTo(1L);
    assertThat(server.getAttribute(name, "TokensFetched")).isEqualTo(1L);
    assertThat(server.getAttribute(name, "SecondsUntilExpiry")).isEqualTo(100L);
    assertThat(server.getAttribute(name, "State")).isEqualTo("valid");
    assertThat(server.getAttribute(name, "Profile")).isEqualTo("jmx-test");
  }

  @Test
  void register_nameTakenAlready_keepsTheFirst_neverThrows() throws Exception {
    register("jmx-test");
    requests.givenToken();
    Map<String, TokenSourceMXBean> second = new LinkedHashMap<>();
    second.put("jmx-test", new TokenSourceView("jmx-test", new RequestMetrics(), manager));

    JmxMetrics.register(second);

    // names of this test only: other tests' bridges register theirs on their warm-up threads
    ObjectName name = JmxMetrics.name("jmx-test");
    assertThat(server.queryNames(name, null)).hasSize(1);
    assertThat(server.getAttribute(name, "RequestsWithToken")).as("the first one's counts").isEqualTo(1L);
  }

  @Test
  void name_plainProfile_asIs_oddOne_quoted() throws Exception {
    assertThat(JmxMetrics.name("billing").getKeyProperty("name")).isEqualTo("billing");
    assertThat(JmxMetrics.name("default").toString()).isEqualTo("io.upstreamoauth:type=TokenSource,name=default");
    ObjectName odd = JmxMetrics.name("a,b=c:d");
    assertThat(ObjectName.unquote(odd.getKeyProperty("name"))).isEqualTo("a,b=c:d");
  }
}
