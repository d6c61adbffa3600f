package dev.cairn.calcite.sql;

/**
 * The one place that knows where SQL text's string literals, quoted names and comments end, so
 * that every pre-parse rewrite leaves them untouched alike.
 */
final class SqlTextScanner {
  private SqlTextScanner() {}

  /**
   * Returns the index after the string literal, quoted name or comment that starts at {@code i},
   * or {@code i} itself when none starts there. Quotes escape by doubling; an {@code E'...'}
   * string (PostgreSQL's escape string, which Babel parses) also by backslash. An unclosed one
   * runs to the end of the text.
   */
  static int skipLiteralOrComment(String sql, int i) {
    char c = sql.charAt(i);
    if (c == '\'' || c == '"') {
      boolean escapes = c == '\'' && i > 0 && Character.toUpperCase(sql.charAt(i - 1)) == 'E'
          && (i == 1 || !Character.isLetterOrDigit(sql.charAt(i - 2)) && sql.charAt(i - 2) != '_');
      int j = i + 1;
      while (j < sql.length()) {
        if (escapes && sql.charAt(j) == '\\') {
          j += 2;
          continue;
        }
        if (sql.charAt(j) == c) {
          if (j + 1 < sql.length() && sql.charAt(j + 1) == c) {
            j += 2; // a doubled quote inside the literal or name
            continue;
          }
          return j + 1;
        }
        j++;
      }
      return sql.length();
    }
    if (sql.startsWith("--", i)) {
      int end = sql.indexOf('\n', i);
      return end < 0 ? sql.length() : end;
    }
    if (sql.startsWith("/*", i)) {
      int end = sql.indexOf("*/", i + 2);
      return end < 0 ? sql.length() : end + 2;
    }
    return i;
  }
}
