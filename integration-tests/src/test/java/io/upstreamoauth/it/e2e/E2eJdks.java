package io.upstreamoauth.it.e2e;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The JDKs the e2e test apps run on, from {@code -De2e.java.homes=/jdk17,/jdk25} (CI passes both;
 * the default is the JDK the other tests use). Keycloak itself runs on {@code keycloak.java.home},
 * once for the whole run: only the apps change JDK.
 */
final class E2eJdks {

  private E2eJdks() {}

  /** Returns each JDK home; a parameterized test's source. */
  static List<Path> homes() {
    String list = System.getProperty("e2e.java.homes", "");
    if (list.isBlank()) {
      list = System.getProperty("it.java.home", System.getProperty("java.home"));
    }
    List<Path> homes = new ArrayList<>();
    for (String home : list.split(",")) {
      Path path = Path.of(home.trim());
      if (!Files.isExecutable(path.resolve("bin/java"))) {
        throw new IllegalStateException("e2e.java.homes: no bin/java in " + path);
      }
      homes.add(path);
    }
    return homes;
  }

  /** Returns the JDK's feature version ("25" for 25.0.1), or "\\d+" when its release file does not say. */
  static String featureVersion(Path home) {
    String described = describe(home);
    return described.startsWith("JDK ") ? described.substring(4).split("[.+-]")[0] : "\\d+";
  }

  /** Returns "JDK 17.0.15" for test names (or the path, without a release file). */
  static String describe(Path home) {
    try {
      for (String line : Files.readAllLines(home.resolve("release"))) {
        if (line.startsWith("JAVA_VERSION=")) {
          return "JDK " + line.substring("JAVA_VERSION=".length()).replace("\"", "");
        }
      }
    } catch (java.io.IOException e) {
      // no release file: the path says enough
    }
    return home.toString();
  }
}
