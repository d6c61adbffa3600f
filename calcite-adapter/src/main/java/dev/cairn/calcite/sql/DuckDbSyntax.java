package dev.cairn.calcite.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Spells DuckDB's syntax habits that Calcite's Babel grammar cannot parse in the grammar it
 * can, token by token (string literals, quoted identifiers and comments are never touched):
 *
 * <ul>
 *   <li>{@code INTERVAL '2 hours'} becomes {@code INTERVAL '2' HOUR} (also {@code '1 day'},
 *       {@code '3 months'}, {@code '2 weeks'} as 14 days, and several day-to-second or
 *       year-to-month parts, as {@code INTERVAL '1 02:00:00' DAY TO SECOND});
 *   <li>{@code range(...)} and {@code t.range} become {@code "range"(...)} and
 *       {@code t."range"}: RANGE is reserved for window frames;
 *   <li>{@code SELECT DISTINCT ON (a, b) x} becomes {@code SELECT "cairn distinct on"(a, b), x}
 *       and {@code GROUP BY ALL} / {@code ORDER BY ALL} become
 *       {@code GROUP BY "cairn group by all"()} / {@code ORDER BY "cairn order by all"()}:
 *       markers that parse, which {@link DuckDbClauses} turns into standard clauses;
 *   <li>a statement that starts with {@code FROM t} becomes {@code SELECT * FROM t}, and
 *       {@code FROM t SELECT x WHERE ...} becomes {@code SELECT x FROM t WHERE ...}.
 * </ul>
 * These are changes of spelling only; the meaning is given by the clauses they become.
 */
final class DuckDbSyntax {
  /** Name of the marker call that carries DISTINCT ON's expressions to {@link DuckDbClauses}. */
  static final String DISTINCT_ON = "cairn distinct on";
  /** Name of the marker call that stands for GROUP BY ALL until {@link DuckDbClauses}. */
  static final String GROUP_BY_ALL = "cairn group by all";
  /** Name of the marker call that stands for ORDER BY ALL until {@link DuckDbClauses}. */
  static final String ORDER_BY_ALL = "cairn order by all";

  /** Clauses that end a SELECT list in a FROM-first statement. */
  private static final Set<String> AFTER_SELECT_LIST = Set.of("where", "group", "having",
      "qualify", "window", "order", "limit", "offset", "fetch", "union", "intersect", "except");

  private static final Pattern INTERVAL_PART = Pattern.compile(
      "\\s*(\\d+(?:\\.\\d+)?)\\s*([a-z]+)\\s*");

  private DuckDbSyntax() {}

  /** One token of SQL text: a word, a string, a quoted name, blanks/comments, or a symbol. */
  private record Token(String text, char kind) {
    boolean isWord(String word) {
      return kind == 'w' && text.equalsIgnoreCase(word);
    }

    boolean isBlank() {
      return kind == ' ';
    }
  }

  /** Returns {@code sql} with DuckDB's spellings replaced by Calcite's. */
  static String rewrite(String sql) {
    List<Token> tokens = tokens(sql);
    List<Token> out = new ArrayList<>(tokens.size());
    for (int i = 0; i < tokens.size(); i++) {
      Token t = tokens.get(i);
      int next = nextSolid(tokens, i + 1);
      Token after = next < tokens.size() ? tokens.get(next) : null;
      if (t.isWord("interval") && after != null && after.kind() == '\'') {
        String interval = interval(after.text(), tokens, next + 1);
        if (interval != null) {
          out.add(new Token(interval, 'x'));
          i = next;
          continue;
        }
      }
      if (t.isWord("range") && after != null && after.text().equals("(")
          || t.isWord("range") && lastSolidIs(out, ".")) {
        out.add(new Token("\"range\"", '"'));
        continue;
      }
      if (t.isWord("distinct") && after != null && after.isWord("on")) {
        int open = nextSolid(tokens, next + 1);
        int close = open < tokens.size() && tokens.get(open).text().equals("(")
            ? closing(tokens, open) : -1;
        if (close > 0) {
          out.add(new Token("\"" + DISTINCT_ON + "\"", '"'));
          out.addAll(tokens.subList(open, close + 1));
          out.add(new Token(",", 's'));
          i = close;
          continue;
        }
      }
      if (t.isWord("by") && after != null && after.isWord("all")
          && (lastSolidIs(out, "group") || lastSolidIs(out, "order"))) {
        int then = nextSolid(tokens, next + 1);
        if (then >= tokens.size() || !tokens.get(then).text().equals("(")) {
          String marker = lastSolidIs(out, "group") ? GROUP_BY_ALL : ORDER_BY_ALL;
          out.add(t);
          out.add(new Token(" \"" + marker + "\"()", 'x'));
          i = next;
          continue;
        }
      }
      out.add(t);
    }
    return fromFirst(out);
  }

  private static boolean lastSolidIs(List<Token> out, String text) {
    for (int i = out.size() - 1; i >= 0; i--) {
      if (!out.get(i).isBlank()) {
        return out.get(i).text().equalsIgnoreCase(text);
      }
    }
    return false;
  }

  /**
   * Returns the Calcite spelling of the DuckDB interval string {@code quoted}, or null to leave
   * it alone (already standard, as in {@code INTERVAL '2' HOUR}, or not understood).
   */
  private static String interval(String quoted, List<Token> tokens, int from) {
    int next = nextSolid(tokens, from);
    if (next < tokens.size() && tokens.get(next).kind() == 'w'
        && unit(tokens.get(next).text().toLowerCase(Locale.ROOT)) != null) {
      return null; // INTERVAL '2' HOUR: standard already
    }
    String body = quoted.substring(1, quoted.length() - 1).toLowerCase(Locale.ROOT);
    Matcher m = INTERVAL_PART.matcher(body);
    long months = 0;
    double seconds = 0;
    int end = 0;
    int parts = 0;
    String single = null;
    String singleValue = null;
    while (m.lookingAt()) {
      String unit = unit(m.group(2));
      if (unit == null) {
        return null;
      }
      double value = Double.parseDouble(m.group(1));
      switch (unit) {
        case "YEAR": months += Math.round(value * 12); break;
        case "MONTH": months += Math.round(value); break;
        case "WEEK": seconds += value * 7 * 86_400; break;
        case "DAY": seconds += value * 86_400; break;
        case "HOUR": seconds += value * 3_600; break;
        case "MINUTE": seconds += value * 60; break;
        default: seconds += value; break;
      }
      single = unit;
      singleValue = m.group(1);
      parts++;
      end = m.end();
      m.region(end, body.length());
    }
    if (parts == 0 || end != body.length() || months != 0 && seconds != 0) {
      return null;
    }
    if (parts == 1 && !single.equals("WEEK") && !singleValue.contains(".")) {
      return "INTERVAL '" + singleValue + "' " + single;
    }
    if (months != 0) {
      return "INTERVAL '" + months / 12 + "-" + months % 12 + "' YEAR TO MONTH";
    }
    long whole = (long) Math.floor(seconds);
    String fraction = seconds == whole ? "" : String.format(Locale.ROOT, "%.6f",
        seconds - whole).substring(1);
    return String.format(Locale.ROOT, "INTERVAL '%d %02d:%02d:%02d%s' DAY TO SECOND",
        whole / 86_400, whole % 86_400 / 3_600, whole % 3_600 / 60, whole % 60, fraction);
  }

  /** Returns the standard unit a DuckDB unit word names, or null. */
  private static String unit(String word) {
    switch (word) {
      case "year": case "years": case "y": case "yr": case "yrs": return "YEAR";
      case "month": case "months": case "mon": case "mons": return "MONTH";
      case "week": case "weeks": case "w": return "WEEK";
      case "day": case "days": case "d": return "DAY";
      case "hour": case "hours": case "h": case "hr": case "hrs": return "HOUR";
      case "minute": case "minutes": case "min": case "mins": case "m": return "MINUTE";
      case "second": case "seconds": case "s": case "sec": case "secs": return "SECOND";
      default: return null;
    }
  }

  /**
   * Moves a leading {@code FROM ...} after the SELECT list ({@code SELECT *} if there is
   * none), when the statement starts with FROM.
   */
  private static String fromFirst(List<Token> tokens) {
    int start = nextSolid(tokens, 0);
    if (start >= tokens.size() || !tokens.get(start).isWord("from")) {
      return join(tokens, 0, tokens.size());
    }
    int select = -1;
    int listEnd = tokens.size();
    int depth = 0;
    for (int i = start; i < tokens.size(); i++) {
      Token t = tokens.get(i);
      depth += t.text().equals("(") ? 1 : t.text().equals(")") ? -1 : 0;
      if (depth != 0 || t.kind() != 'w' && !t.text().equals(";")) {
        continue;
      }
      String word = t.text().toLowerCase(Locale.ROOT);
      if (select < 0 && word.equals("select")) {
        select = i;
      } else if (select >= 0 && (AFTER_SELECT_LIST.contains(word) || word.equals(";"))) {
        listEnd = i;
        break;
      }
    }
    if (select < 0) {
      return join(tokens, 0, start) + "SELECT * " + join(tokens, start, tokens.size());
    }
    return join(tokens, 0, start) + join(tokens, select, listEnd) + " "
        + join(tokens, start, select) + " " + join(tokens, listEnd, tokens.size());
  }

  private static String join(List<Token> tokens, int from, int to) {
    StringBuilder out = new StringBuilder();
    for (int i = from; i < to; i++) {
      out.append(tokens.get(i).text());
    }
    return out.toString();
  }

  private static int nextSolid(List<Token> tokens, int from) {
    int i = from;
    while (i < tokens.size() && tokens.get(i).isBlank()) {
      i++;
    }
    return i;
  }

  /** Returns the index of the parenthesis closing the one at {@code open}, or -1. */
  private static int closing(List<Token> tokens, int open) {
    int depth = 0;
    for (int i = open; i < tokens.size(); i++) {
      String text = tokens.get(i).text();
      depth += text.equals("(") ? 1 : text.equals(")") ? -1 : 0;
      if (depth == 0) {
        return i;
      }
    }
    return -1;
  }

  /**
   * Splits {@code sql} into tokens: kind 'w' word, '\'' string literal, '"' quoted name,
   * ' ' blanks and comments, 's' any other single character.
   */
  private static List<Token> tokens(String sql) {
    List<Token> out = new ArrayList<>();
    int n = sql.length();
    int i = 0;
    while (i < n) {
      char c = sql.charAt(i);
      int end;
      char kind;
      int skipped = SqlTextScanner.skipLiteralOrComment(sql, i);
      if (skipped > i) {
        end = skipped;
        kind = c == '\'' || c == '"' ? c : ' ';
      } else if (Character.isWhitespace(c)) {
        end = i + 1;
        while (end < n && Character.isWhitespace(sql.charAt(end))) {
          end++;
        }
        kind = ' ';
      } else if (Character.isLetterOrDigit(c) || c == '_') {
        end = i + 1;
        while (end < n && (Character.isLetterOrDigit(sql.charAt(end))
            || sql.charAt(end) == '_' || sql.charAt(end) == '$')) {
          end++;
        }
        kind = 'w';
      } else {
        end = i + 1;
        kind = 's';
      }
      out.add(new Token(sql.substring(i, end), kind));
      i = end;
    }
    return out;
  }
}
