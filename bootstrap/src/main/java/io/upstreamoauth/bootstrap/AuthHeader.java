package io.upstreamoauth.bootstrap;

/** A header the agent puts on an outgoing request. Its value is a credential and never printed. */
public final class AuthHeader {

  private final String name;
  private final String value;
  private final boolean replayAfterPurge;

  public AuthHeader(String name, String value) {
    this(name, value, false);
  }

  /**
   * @param replayAfterPurge whether the request may be sent once more after a purge status
   *     ({@code replay-after-purge} of the target's profile), so instrumentation keeps what a
   *     replay needs only then
   */
  public AuthHeader(String name, String value, boolean replayAfterPurge) {
    if (name == null || value == null) {
      throw new NullPointerException("name and value are required");
    }
    this.name = name;
    this.value = value;
    this.replayAfterPurge = replayAfterPurge;
  }

  /** Returns true if the target's profile replays a request rejected with a purge status. */
  public boolean replayAfterPurge() {
    return replayAfterPurge;
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
