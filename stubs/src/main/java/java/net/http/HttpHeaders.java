package java.net.http;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiPredicate;

/** Stub of the JDK 11 type. */
public final class HttpHeaders {
  public Optional<String> firstValue(String name) {
    throw new UnsupportedOperationException("stub");
  }

  public Map<String, List<String>> map() {
    throw new UnsupportedOperationException("stub");
  }

  public static HttpHeaders of(
      Map<String, List<String>> headerMap, BiPredicate<String, String> filter) {
    throw new UnsupportedOperationException("stub");
  }
}
