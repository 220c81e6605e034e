package io.upstreamoauth.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class WeakIdentityMapTest {

  @Test
  void findsExactlyTheSameObject_notAnEqualOne() {
    WeakIdentityMap<Object, String> map = new WeakIdentityMap<>();
    List<String> key = new ArrayList<>(List.of("Authorization"));
    List<String> equalKey = new ArrayList<>(List.of("Authorization"));
    map.put(key, "first");

    assertThat(map.get(key)).isEqualTo("first");
    assertThat(map.get(equalKey)).isNull();
    assertThat(map.get(null)).isNull();

    map.put(equalKey, "second");
    assertThat(map.get(key)).isEqualTo("first");
    assertThat(map.get(equalKey)).isEqualTo("second");
  }

  @Test
  void putAgain_replacesTheValue() {
    WeakIdentityMap<Object, String> map = new WeakIdentityMap<>();
    Object key = new Object();
    map.put(key, "first");
    map.put(key, "second");

    assertThat(map.get(key)).isEqualTo("second");
    assertThat(map.size()).isEqualTo(1);
  }

  @Test
  void collectedKeys_leaveTheMap() throws InterruptedException {
    WeakIdentityMap<Object, String> map = new WeakIdentityMap<>();
    Object kept = new Object();
    map.put(kept, "kept");
    for (int i = 0; i < 1000; i++) {
      map.put(new Object(), "dropped " + i);
    }
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (map.size() > 1 && System.nanoTime() < deadline) {
      System.gc();
      Thread.sleep(10);
    }

    assertThat(map.size()).isEqualTo(1);
    assertThat(map.get(kept)).isEqualTo("kept");
  }
}
