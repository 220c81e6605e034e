package io.upstreamoauth.agent.instrumentation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The gate's list of library classes must be exactly what the instrumentations transform. */
class LibraryInstrumentationsTest {

  @Test
  void targets_matchEachInstrumentationsOwnTargetClasses() throws Exception {
    List<ClientInstrumentation> all = LibraryInstrumentations.create(getClass().getClassLoader());

    assertThat(all).hasSize(LibraryInstrumentations.TARGETS.size());
    for (ClientInstrumentation each : all) {
      assertThat(LibraryInstrumentations.TARGETS.get(each.getClass().getName()))
          .as(each.name())
          .containsExactlyInAnyOrderElementsOf(each.targetClasses());
    }
  }
}
