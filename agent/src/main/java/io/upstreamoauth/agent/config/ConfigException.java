package io.upstreamoauth.agent.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Thrown when the configuration is invalid; its message lists every problem, one per line. */
public final class ConfigException extends Exception {

  private static final long serialVersionUID = 1L;

  private final List<String> problems;

  public ConfigException(List<String> problems) {
    super(format(problems));
    this.problems = Collections.unmodifiableList(new ArrayList<String>(problems));
  }

  /** Returns the problems, each naming the key and what is wrong with its value. */
  public List<String> problems() {
    return problems;
  }

  private static String format(List<String> problems) {
    StringBuilder text = new StringBuilder();
    for (String problem : problems) {
      if (text.length() > 0) {
        text.append('\n');
      }
      text.append("  - ").append(problem);
    }
    return text.toString();
  }
}
