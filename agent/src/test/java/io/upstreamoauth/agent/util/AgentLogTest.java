package io.upstreamoauth.agent.util;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The agent's log cannot flood the application's: repeats are held back and memory is bounded. */
class AgentLogTest {

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  @BeforeEach
  void capture() {
    AgentLog.setOutput(new PrintStream(out, true));
    AgentLog.setLevel(AgentLog.Level.INFO);
    AgentLog.resetLimits();
  }

  @AfterEach
  void restore() {
    AgentLog.setOutput(System.err);
    AgentLog.resetLimits();
  }

  private String[] lines() {
    String text = out.toString(StandardCharsets.UTF_8);
    return text.isEmpty() ? new String[0] : text.split("\n");
  }

  @Test
  void warnLimited_sameKeyManyTimes_oneLine() {
    for (int i = 0; i < 1000; i++) {
      AgentLog.warnLimited("proceed:default", "sending without a token: retry in " + i + " s");
    }

    assertThat(lines()).hasSize(1);
    assertThat(lines()[0]).contains("WARN sending without a token: retry in 0 s");
  }

  @Test
  void warnLimited_differentKeys_eachLogged() {
    AgentLog.warnLimited("a", "first");
    AgentLog.warnLimited("b", "second");

    assertThat(lines()).hasSize(2);
  }

  @Test
  void warnLimited_unboundedKeys_boundedMemoryAndOutput() {
    // keys that carry trace ids or timestamps would grow a set without bound
    for (int i = 0; i < 100_000; i++) {
      AgentLog.warnLimited("idp-error:trace-" + i, "the IdP failed (trace " + i + ")");
    }

    assertThat(lines()).hasSize(AgentLog.MAX_KEYS + 1); // then one shared limit for the rest
  }

  @Test
  void warnLimited_belowWarnLevel_nothing() {
    AgentLog.setLevel(AgentLog.Level.ERROR);
    try {
      AgentLog.warnLimited("k", "m");
    } finally {
      AgentLog.setLevel(AgentLog.Level.INFO);
    }

    assertThat(lines()).isEmpty();
  }
}
