package io.upstreamoauth.bootstrap;

/** A header the agent puts on an outgoing request. Its value is a credential and never printed. */
public final class AuthHeader {

  private final String name;
  private final String value;

  public AuthHeader(String name, String value) {
    if (name == null || value == null) {
      throw new NullPointerException("name and value are required");
    }
    this.name = name;
    this.value = value;
  }

  /** Returns the header name, e.g. {@code Authorization}. */
  public String name() {
    return name;
  }

  /** Returns the header value, e.g. {@code Bearer eyJ...}. */
  public String value() {
    return value;
  }

  @Override
  public String toString() {
    return "AuthHeader{" + name + ": ****}";
  }
}
