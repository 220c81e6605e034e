package io.upstreamoauth.agent.bridge;

import io.upstreamoauth.agent.cache.MemoryTokenCache;
import io.upstreamoauth.agent.cache.TokenCache;
import io.upstreamoauth.agent.config.AgentConfig;
import io.upstreamoauth.agent.config.CacheStrategy;
import io.upstreamoauth.agent.config.OAuthSettings;
import io.upstreamoauth.agent.config.ProfileConfig;
import io.upstreamoauth.agent.dpop.DpopContext;
import io.upstreamoauth.agent.dpop.DpopNonces;
import io.upstreamoauth.agent.metrics.JmxMetrics;
import io.upstreamoauth.agent.metrics.TokenMetrics;
import io.upstreamoauth.agent.metrics.TokenSourceMXBean;
import io.upstreamoauth.agent.metrics.TokenSourceView;
import io.upstreamoauth.agent.oauth.TokenEndpointClient;
import io.upstreamoauth.agent.redis.RedisStrategy;
import io.upstreamoauth.agent.rotation.RotatingSettings;
import io.upstreamoauth.agent.token.SourceLoader;
import io.upstreamoauth.agent.token.TokenLoader;
import io.upstreamoauth.agent.token.TokenManager;
import io.upstreamoauth.agent.token.TokenPolicy;
import io.upstreamoauth.agent.token.TokenSource;
import io.upstreamoauth.agent.util.AgentLog;
import io.upstreamoauth.agent.util.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Assembles the run-time objects of a configuration: caches, token managers, routes. */
public final class AgentBridges {

  private AgentBridges() {}

  /** Builds the bridge for a valid configuration; nothing here touches the network. */
  public static AgentBridge create(AgentConfig config, Clock clock) {
    TokenCache memory = new MemoryTokenCache(clock);
    Executor refresher = refresher();
    RedisStrategy redis = null; // made only when a profile needs it: Jedis is not loaded otherwise
    Map<String, TokenManager> managers = new LinkedHashMap<String, TokenManager>();
    Map<ProfileConfig, TokenManager> served = new LinkedHashMap<ProfileConfig, TokenManager>();
    // DPoP: one key (and so one context) per token, shared by the token request and every
    // request that carries the token; nonces are per server, whoever asks
    DpopNonces nonces = new DpopNonces();
    Map<String, DpopContext> dpopByToken = new LinkedHashMap<String, DpopContext>();
    Map<ProfileConfig, DpopContext> dpop = new LinkedHashMap<ProfileConfig, DpopContext>();
    for (ProfileConfig profile : config.profiles()) {
      // equal OAuth settings share a token only where they share a cache, too; the memory layer
      // keys by that (in memory only, never logged: it holds secrets), so managers that do not
      // share never share an entry either. A SHA-256 of the settings is only needed for Redis.
      String shareKey = profile.oauth().identity() + "|" + profile.cache().storeIdentity();
      TokenManager manager = managers.get(shareKey);
      DpopContext context = dpopByToken.get(shareKey);
      if (context == null && profile.oauth().dpop() != null) {
        context = new DpopContext(profile.oauth().dpop(), nonces, clock);
        dpopByToken.put(shareKey, context);
      }
      if (context != null) {
        dpop.put(profile, context);
      }
      if (manager == null) {
        TokenPolicy policy = new TokenPolicy(profile.cache(), profile.retry());
        TokenMetrics metrics = new TokenMetrics();
        // credentials read from files follow the files (Kubernetes swaps mounted secrets)
        RotatingSettings rotating =
            RotatingSettings.watches(profile.oauth())
                ? new RotatingSettings(profile.name(), profile.oauth(), clock, RotatingSettings.CHECK_INTERVAL_MILLIS)
                : null;
        TokenLoader loader = new SourceLoader(idpSource(profile, rotating, clock, context), policy, clock, metrics);
        // timeout bounds a token request as a whole; a second more for the hand-off and for
        // building the IdP client on first use
        long waitMillis = profile.oauth().timeoutMillis() + 1000L;
        if (profile.cache().strategy() == CacheStrategy.REDIS) {
          redis = redis != null ? redis : new RedisStrategy(clock, refresher);
          loader = redis.loader(profile, loader, metrics);
          // and, at worst, for a lease whose holder died first
          waitMillis += RedisStrategy.leaseMillis(profile.oauth().timeoutMillis());
        }
        manager =
            new TokenManager(
                shareKey,
                "profile '" + profile.name() + "' (" + profile.oauth().tokenEndpoint() + ")",
                loader,
                memory,
                policy,
                clock,
                refresher,
                waitMillis,
                metrics);
        if (rotating != null) {
          manager.watchCredentials(rotating);
        }
        managers.put(shareKey, manager);
      } else {
        AgentLog.info(
            "profile '" + profile.name() + "' shares its token with " + manager.name()
                + ": their OAuth settings are identical");
      }
      served.put(profile, manager);
    }
    AgentBridge bridge = new AgentBridge(served, dpop);
    warmUpInBackground(memory, config.jmxMetrics() ? bridge : null);
    return bridge;
  }

  /**
   * Loads, on a background thread, what the first requests will need: ASM for weaving the JDK's
   * HTTP classes, the cache and the token request's classes. On more than one core this takes
   * their class loading off the application's first HTTP call; nothing here touches the network.
   */
  private static void warmUpInBackground(final TokenCache memory, final AgentBridge published) {
    Thread thread =
        new Thread(
            new Runnable() {
              @Override
              public void run() {
                try {
                  io.upstreamoauth.agent.instrumentation.weaver.HookWeaver.warmUp();
                  memory.get("warm-up");
                  TokenEndpointClient.warmUp();
                } catch (Throwable ignored) {
                  // only an optimisation
                }
                if (published != null) {
                  publishLater(published);
                }
              }
            },
            "upstream-oauth-warm-up");
    thread.setDaemon(true);
    thread.setPriority(Thread.NORM_PRIORITY - 1);
    thread.start();
  }

  /** How long after start-up the MBeans are registered, unless JMX is up already. */
  static final long JMX_DELAY_MILLIS = 5_000;

  /**
   * Registers each profile's MBean, on the warm-up thread. The platform MBean server costs a few
   * hundred classes and tens of milliseconds: a JVM started with remote JMX has paid that already,
   * so its MBeans come at once; any other waits a few seconds, which keeps that cost out of its
   * start-up (and out of every short-lived JVM). A JMX client attaches later than that anyway.
   */
  private static void publishLater(AgentBridge bridge) {
    if (!jmxRunning(System.getProperties())) {
      try {
        Thread.sleep(JMX_DELAY_MILLIS);
      } catch (InterruptedException e) {
        return;
      }
    }
    publish(bridge);
  }

  /** Returns true when the JVM's management agent started remote (or local) JMX at start-up. */
  static boolean jmxRunning(java.util.Properties properties) {
    for (String name : properties.stringPropertyNames()) {
      if (name.startsWith("com.sun.management.jmxremote")) {
        return true;
      }
    }
    return false;
  }

  /** Registers one MBean per profile now; for tests too. */
  static void publish(AgentBridge bridge) {
    Map<String, TokenSourceMXBean> views = new LinkedHashMap<String, TokenSourceMXBean>();
    for (Route route : bridge.routes()) {
      views.put(route.profile.name(), new TokenSourceView(route.profile.name(), route.metrics, route.tokens));
    }
    JmxMetrics.register(views);
  }

  /**
   * The IdP client is built on the first token request: it loads the JSON parser (and Nimbus for
   * JWT client authentication), which an application that never calls a configured host must not
   * pay for at start-up.
   */
  private static TokenSource idpSource(
      final ProfileConfig profile, final RotatingSettings rotating, final Clock clock, final DpopContext dpop) {
    return new TokenSource() {
      private volatile TokenEndpointClient client;

      @Override
      public io.upstreamoauth.agent.oauth.TokenResponse fetch()
          throws io.upstreamoauth.agent.oauth.TokenFetchException {
        OAuthSettings settings = rotating != null ? rotating.current() : profile.oauth();
        TokenEndpointClient current = client;
        if (current == null || current.settings() != settings) {
          synchronized (this) {
            current = client;
            if (current == null || current.settings() != settings) {
              // a new client after a rotation: new credentials, and a TLS context from the new files
              current = new TokenEndpointClient(settings, clock, dpop);
              client = current;
            }
          }
        }
        return current.fetch();
      }
    };
  }

  /** Background refreshes: a few daemon threads that exist only while there is work. */
  private static Executor refresher() {
    ThreadPoolExecutor executor =
        new ThreadPoolExecutor(
            4,
            4,
            30,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<Runnable>(),
            new ThreadFactory() {
              private final AtomicInteger count = new AtomicInteger();

              @Override
              public Thread newThread(Runnable task) {
                Thread thread = new Thread(task, "upstream-oauth-refresh-" + count.incrementAndGet());
                thread.setDaemon(true);
                return thread;
              }
            });
    executor.allowCoreThreadTimeOut(true);
    return executor;
  }
}
