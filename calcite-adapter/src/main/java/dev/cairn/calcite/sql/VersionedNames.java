package dev.cairn.calcite.sql;

import dev.cairn.calcite.VersionedName;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Lets users write a historical version unquoted ({@code orders$v3}): Babel's lexer does not
 * accept {@code $} inside an unquoted identifier, so before parsing every unquoted word of the
 * form {@code name$v<digits>} outside string literals, quoted identifiers and comments is
 * rewritten as the double-quoted, lower-cased {@code "name$v<digits>"} — exactly what folding
 * an unquoted identifier would give. Error positions after such a word shift by two columns.
 */
final class VersionedNames {
  /** An unquoted word naming a version, e.g. {@code Orders$V3} ({@link VersionedName}). */
  private static final Pattern VERSIONED_WORD = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*"
      + Pattern.quote(VersionedName.SEPARATOR) + "[0-9]+", Pattern.CASE_INSENSITIVE);

  private VersionedNames() {}

  static String quote(String sql) {
    if (sql.indexOf('$') < 0) {
      return sql;
    }
    StringBuilder out = new StringBuilder(sql.length() + 16);
    int i = 0;
    int n = sql.length();
    while (i < n) {
      char c = sql.charAt(i);
      int end;
      int skipped = SqlTextScanner.skipLiteralOrComment(sql, i);
      if (skipped > i) {
        end = skipped;
      } else if (Character.isLetter(c) || c == '_') {
        end = wordEnd(sql, i);
        String word = sql.substring(i, end);
        if (VERSIONED_WORD.matcher(word).matches()) {
          out.append('"').append(word.toLowerCase(Locale.ROOT)).append('"');
          i = end;
          continue;
        }
      } else {
        end = i + 1;
      }
      out.append(sql, i, end);
      i = end;
    }
    return out.toString();
  }

  private static int wordEnd(String sql, int start) {
    int i = start;
    while (i < sql.length()) {
      char c = sql.charAt(i);
      if (!(Character.isLetterOrDigit(c) || c == '_' || c == '$')) {
        break;
      }
      i++;
    }
    return i;
  }
}
