package io.upstreamoauth.bootstrap;

import java.util.function.BiPredicate;

/**
 * A header filter that drops one header name, any case. Advice cannot carry lambdas, so the
 * java.net.http advice uses this to take an application's own value of the agent's header out of a
 * request whose header the agent sets.
 */
public final class ExcludeHeader implements BiPredicate<String, String> {

  private final String name;

  public ExcludeHeader(String name) {
    this.name = name;
  }

  @Override
  public boolean test(String headerName, String value) {
    return !name.equalsIgnoreCase(headerName);
  }
}
