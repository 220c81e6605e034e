package io.upstreamoauth.agent.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.upstreamoauth.agent.util.FakeClock;
import org.junit.jupiter.api.Test;

class UnreadableWarningsTest {

  private final FakeClock clock = new FakeClock();
  private final UnreadableWarnings warnings = new UnreadableWarnings(clock);

  @Test
  void check_sameKeyAndReason_warnedOnceThenAgainAfterThePauseWithACount() {
    assertThat(warnings.check("k", "bad")).isEmpty();
    for (int i = 0; i < 100; i++) {
      clock.advance(1_000);
      assertThat(warnings.check("k", "bad")).isNull();
    }

    clock.advance(10 * 60_000);

    assertThat(warnings.check("k", "bad")).isEqualTo(" (100 more reads like it since the last warning)");
    assertThat(warnings.check("k", "bad")).isNull();
  }

  @Test
  void check_otherReasonOrOtherKey_warnedAtOnce() {
    assertThat(warnings.check("k", "bad")).isEmpty();

    assertThat(warnings.check("k", "worse")).isEmpty();
    assertThat(warnings.check("other", "worse")).isEmpty();
    assertThat(warnings.check("other", "worse")).isNull();
  }
}
