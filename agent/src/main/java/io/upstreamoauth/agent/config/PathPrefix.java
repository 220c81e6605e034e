package io.upstreamoauth.agent.config;

/**
 * Whether a request path falls under a hosts entry's path prefix, as the server will see it.
 *
 * <p>Servers do not match the raw path: they resolve dot-segments (RFC 3986 §5.2.4) after decoding
 * {@code %2e}, and many also strip {@code ;parameters} from segments (Tomcat), decode {@code %2f}
 * to a slash, treat a backslash as a slash, or merge repeated slashes (nginx). So {@code
 * /api/../admin}, {@code /api/%2e%2e/admin} and {@code /api/..;x/admin} are all {@code /admin} to
 * some server. The path is matched under every combination of those readings: when they all
 * agree, that is the answer; when they disagree, the path is {@link #AMBIGUOUS} and gets no
 * token (fail closed).
 *
 * <p>A path with none of {@code % ; \}, no {@code //} and no {@code .}/{@code ..} segment reads
 * the same under every reading and is compared as it is, without allocating.
 */
final class PathPrefix {

  static final int NO = 0;
  static final int YES = 1;
  static final int AMBIGUOUS = 2;

  private static final int STRIP_PARAMETERS = 1;
  private static final int DECODE_SLASH = 2;
  private static final int BACKSLASH_IS_SLASH = 4;
  private static final int MERGE_SLASHES = 8;
  private static final int READINGS = 16;

  private PathPrefix() {}

  /**
   * Matches a raw request path against a prefix.
   *
   * @param prefix a normalised prefix ({@link #normalisePrefix}): starts with '/', no trailing slash
   * @param rawPath the request's raw path, still percent-encoded; a query or fragment is ignored
   * @return {@link #YES}, {@link #NO} or {@link #AMBIGUOUS}
   */
  static int match(String prefix, String rawPath) {
    String path = rawPath == null ? "" : rawPath;
    int end = end(path);
    if (isPlain(path, end)) {
      return underPrefix(prefix, path, end) ? YES : NO;
    }
    int answer = -1;
    for (int reading = 0; reading < READINGS; reading++) {
      String resolved = resolve(path.substring(0, end), reading);
      int verdict = underPrefix(prefix, resolved, resolved.length()) ? YES : NO;
      if (answer == -1) {
        answer = verdict;
      } else if (answer != verdict) {
        return AMBIGUOUS;
      }
    }
    return answer;
  }

  /**
   * Normalises a prefix as written in a hosts entry.
   *
   * @throws IllegalArgumentException when the prefix itself is not a plain path
   */
  static String normalisePrefix(String raw, String entry) {
    String path = raw;
    while (path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    if (path.isEmpty()) {
      return path;
    }
    String decoded = decodeUnreserved(path);
    if (hasAmbiguity(decoded)) {
      throw new IllegalArgumentException(
          "the path of '" + entry + "' must be a plain path such as /api/v1: no '.' or '..' segments, '//', ';', '\\' or encoded '/'");
    }
    return decoded;
  }

  private static boolean hasAmbiguity(String path) {
    String lower = path.toLowerCase(java.util.Locale.ROOT);
    return lower.contains("%2f") || lower.contains("%5c") || path.indexOf(';') >= 0 || path.indexOf('\\') >= 0
        || path.contains("//") || !resolve(path, 0).equals(path);
  }

  /** Returns where the path ends: at a query or fragment, or its length. */
  private static int end(String path) {
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if (c == '?' || c == '#') {
        return i;
      }
    }
    return path.length();
  }

  /** Returns true when every reading of path[0, end) is the path itself. */
  private static boolean isPlain(String path, int end) {
    int segmentStart = 0;
    for (int i = 0; i <= end; i++) {
      char c = i < end ? path.charAt(i) : '/';
      if (c == '%' || c == ';' || c == '\\') {
        return false;
      }
      if (c == '/') {
        int length = i - segmentStart;
        if (i > 0 && i < end && length == 0) {
          return false; // "//"
        }
        if ((length == 1 && path.charAt(segmentStart) == '.')
            || (length == 2 && path.charAt(segmentStart) == '.' && path.charAt(segmentStart + 1) == '.')) {
          return false;
        }
        segmentStart = i + 1;
      }
    }
    return true;
  }

  /** Returns true when path[0, end) is the prefix or starts with it followed by '/'. */
  private static boolean underPrefix(String prefix, String path, int end) {
    if (prefix.isEmpty()) {
      return true;
    }
    int length = prefix.length();
    if (end < length || !path.regionMatches(0, prefix, 0, length)) {
      return false;
    }
    return end == length || path.charAt(length) == '/';
  }

  /** Returns the path as a server with the given reading resolves it. */
  static String resolve(String path, int reading) {
    String p = path;
    if ((reading & BACKSLASH_IS_SLASH) != 0) {
      p = replaceEncoded(p.replace('\\', '/'), "%5c", "/");
    }
    if ((reading & DECODE_SLASH) != 0) {
      p = replaceEncoded(p, "%2f", "/");
    }
    if ((reading & STRIP_PARAMETERS) != 0) {
      p = stripParameters(p);
    }
    p = decodeUnreserved(p);
    if ((reading & MERGE_SLASHES) != 0) {
      while (p.contains("//")) {
        p = p.replace("//", "/");
      }
    }
    return removeDotSegments(p);
  }

  private static String replaceEncoded(String path, String encoded, String with) {
    StringBuilder out = new StringBuilder(path.length());
    for (int i = 0; i < path.length(); i++) {
      if (path.regionMatches(true, i, encoded, 0, encoded.length())) {
        out.append(with);
        i += encoded.length() - 1;
      } else {
        out.append(path.charAt(i));
      }
    }
    return out.toString();
  }

  /** Removes {@code ;parameters} from each segment, as Tomcat does before it resolves the path. */
  private static String stripParameters(String path) {
    StringBuilder out = new StringBuilder(path.length());
    boolean inParameters = false;
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if (c == '/') {
        inParameters = false;
      } else if (c == ';') {
        inParameters = true;
      }
      if (!inParameters) {
        out.append(c);
      }
    }
    return out.toString();
  }

  /**
   * Decodes percent-encoded unreserved characters (RFC 3986 §6.2.2.2: {@code %2e} is {@code .},
   * {@code %61} is {@code a}) and upper-cases the hex of the other encodings (§6.2.2.1).
   */
  static String decodeUnreserved(String path) {
    if (path.indexOf('%') < 0) {
      return path;
    }
    StringBuilder out = new StringBuilder(path.length());
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if (c == '%' && i + 2 < path.length() && hex(path.charAt(i + 1)) >= 0 && hex(path.charAt(i + 2)) >= 0) {
        char decoded = (char) (hex(path.charAt(i + 1)) * 16 + hex(path.charAt(i + 2)));
        if (isUnreserved(decoded)) {
          out.append(decoded);
        } else {
          out.append('%').append(Character.toUpperCase(path.charAt(i + 1))).append(Character.toUpperCase(path.charAt(i + 2)));
        }
        i += 2;
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  private static int hex(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    return -1;
  }

  private static boolean isUnreserved(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
        || c == '-' || c == '.' || c == '_' || c == '~';
  }

  /** RFC 3986 §5.2.4. */
  static String removeDotSegments(String path) {
    StringBuilder in = new StringBuilder(path);
    StringBuilder out = new StringBuilder(path.length());
    while (in.length() > 0) {
      if (startsWith(in, "../")) {
        in.delete(0, 3); // A
      } else if (startsWith(in, "./")) {
        in.delete(0, 2); // A
      } else if (startsWith(in, "/./")) {
        in.delete(0, 2); // B: "/./" -> "/"
      } else if (equals(in, "/.")) {
        in.replace(0, 2, "/"); // B
      } else if (startsWith(in, "/../")) {
        in.delete(0, 3); // C: "/../" -> "/"
        removeLastSegment(out);
      } else if (equals(in, "/..")) {
        in.replace(0, 3, "/"); // C
        removeLastSegment(out);
      } else if (equals(in, ".") || equals(in, "..")) {
        in.setLength(0); // D
      } else {
        int next = in.indexOf("/", in.charAt(0) == '/' ? 1 : 0); // E
        if (next < 0) {
          next = in.length();
        }
        out.append(in, 0, next);
        in.delete(0, next);
      }
    }
    return out.toString();
  }

  private static boolean startsWith(StringBuilder text, String prefix) {
    if (text.length() < prefix.length()) {
      return false;
    }
    for (int i = 0; i < prefix.length(); i++) {
      if (text.charAt(i) != prefix.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  private static boolean equals(StringBuilder text, String value) {
    return text.length() == value.length() && startsWith(text, value);
  }

  private static void removeLastSegment(StringBuilder out) {
    int slash = out.lastIndexOf("/");
    out.setLength(slash < 0 ? 0 : slash);
  }
}
