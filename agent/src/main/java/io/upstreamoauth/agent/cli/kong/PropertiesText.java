package io.upstreamoauth.agent.cli.kong;

/** Builds a properties file with comments, escaped as {@link java.util.Properties#load} reads it. */
final class PropertiesText {

  private final StringBuilder text = new StringBuilder();

  void blank() {
    text.append('\n');
  }

  /** Adds a comment, one '#' line per line of the text. */
  void comment(String comment) {
    for (String line : comment.split("\n", -1)) {
      text.append(line.isEmpty() ? "#" : "# " + line).append('\n');
    }
  }

  void property(String key, String value) {
    text.append(escape(key, true)).append('=').append(escape(value, false)).append('\n');
  }

  /** A property left commented out, for the user to fill in. */
  void placeholder(String key, String value) {
    text.append('#').append(escape(key, true)).append('=').append(value).append('\n');
  }

  static String escape(String value, boolean key) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '\\':
          out.append("\\\\");
          break;
        case '\n':
          out.append("\\n");
          break;
        case '\r':
          out.append("\\r");
          break;
        case '\t':
          out.append("\\t");
          break;
        case '\f':
          out.append("\\f");
          break;
        case ' ':
          out.append(key || i == 0 ? "\\ " : " ");
          break;
        case '=':
        case ':':
        case '#':
        case '!':
          out.append(key || i == 0 ? "\\" + c : String.valueOf(c));
          break;
        default:
          out.append(c);
      }
    }
    return out.toString();
  }

  @Override
  public String toString() {
    return text.toString();
  }
}
