package jdk.internal.net.http.common;

import java.util.List;
import java.util.Map;

/** Stub of the JDK's internal header builder (JDK 11+). */
public class HttpHeadersBuilder {
  public Map<String, List<String>> map() {
    throw new UnsupportedOperationException("stub");
  }
}
