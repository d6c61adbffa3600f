package dev.cairn.tpchdata;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a query's outermost ORDER BY and LIMIT say about its result, read from the query text:
 * the sort keys as written, and the row limit. Only clauses outside every parenthesis count, so
 * an ORDER BY inside a window or a subquery does not make a result ordered.
 *
 * <p>{@link #keyColumns} maps keys to result columns where the text allows it: a position
 * ({@code ORDER BY 2}) or a name, possibly qualified ({@code t.x}), that names exactly one
 * result column. An expression key (e.g. {@code sum_sales - avg_monthly_sales}) maps to none.
 */
public final class QueryOrder {
  private static final Pattern ORDER_BY = Pattern.compile("(?i)\\border\\s+by\\b");
  private static final Pattern LIMIT = Pattern.compile("(?i)\\blimit\\s+(\\d+)\\s*$");
  private static final Pattern DIRECTION =
      Pattern.compile("(?i)\\s+(asc|desc|nulls\\s+first|nulls\\s+last)\\s*$");
  private static final Pattern POSITION = Pattern.compile("\\d+");
  private static final Pattern NAME =
      Pattern.compile("(?:(?:\"[^\"]+\"|\\w+)\\.)*(\"[^\"]+\"|\\w+)");

  private final List<String> keys;
  private final OptionalLong limit;
  private final String withoutLimit;

  private QueryOrder(List<String> keys, OptionalLong limit, String withoutLimit) {
    this.keys = List.copyOf(keys);
    this.limit = limit;
    this.withoutLimit = withoutLimit;
  }

  /** Reads the outermost ORDER BY keys and LIMIT of {@code sql}. */
  public static QueryOrder of(String sql) {
    String text = sql.strip();
    String masked = maskNested(text);
    OptionalLong limit = OptionalLong.empty();
    String withoutLimit = text;
    Matcher limitMatch = LIMIT.matcher(masked);
    int end = masked.length();
    if (limitMatch.find()) {
      limit = OptionalLong.of(Long.parseLong(limitMatch.group(1)));
      end = limitMatch.start();
      withoutLimit = text.substring(0, end).strip();
    }
    List<String> keys = new ArrayList<>();
    Matcher order = ORDER_BY.matcher(masked);
    int start = -1;
    while (order.find()) {
      start = order.end();
    }
    if (start >= 0 && start < end) {
      int from = start;
      for (int i = start; i <= end; i++) {
        if (i == end || masked.charAt(i) == ',') {
          keys.add(stripDirection(text.substring(from, i).strip()));
          from = i + 1;
        }
      }
    }
    return new QueryOrder(keys, limit, withoutLimit);
  }

  /** Returns whether the result has a defined order: the outermost SELECT has ORDER BY. */
  public boolean ordered() {
    return !keys.isEmpty();
  }

  /** Returns the ORDER BY keys as written, without ASC/DESC/NULLS. */
  public List<String> keys() {
    return keys;
  }

  /** Returns the outermost LIMIT, if any. */
  public OptionalLong limit() {
    return limit;
  }

  /** Returns the query text without its outermost LIMIT (the text itself if it has none). */
  public String withoutLimit() {
    return withoutLimit;
  }

  /**
   * Returns, for each ORDER BY key in order, the 0-based index of the result column it sorts
   * by, or -1 where the text does not say which column that is.
   */
  public int[] keyColumns(List<String> labels) {
    int[] columns = new int[keys.size()];
    for (int k = 0; k < keys.size(); k++) {
      columns[k] = column(keys.get(k), labels);
    }
    return columns;
  }

  private static int column(String key, List<String> labels) {
    if (POSITION.matcher(key).matches()) {
      int position = Integer.parseInt(key);
      return position >= 1 && position <= labels.size() ? position - 1 : -1;
    }
    Matcher name = NAME.matcher(key);
    if (!name.matches()) {
      return -1;
    }
    String last = name.group(1).replace("\"", "");
    int found = -1;
    for (int c = 0; c < labels.size(); c++) {
      if (labels.get(c).equalsIgnoreCase(last)) {
        if (found >= 0) {
          return -1; // two result columns of that name: the text does not say which one
        }
        found = c;
      }
    }
    return found;
  }

  private static String stripDirection(String key) {
    String k = key;
    Matcher m = DIRECTION.matcher(k);
    while (m.find()) {
      k = k.substring(0, m.start());
      m = DIRECTION.matcher(k);
    }
    return k.strip();
  }

  /**
   * Returns {@code text} with every character inside parentheses, quotes or comments replaced
   * by a blank, so that patterns only see the outermost clauses (positions stay the same).
   */
  static String maskNested(String text) {
    StringBuilder out = new StringBuilder(text.length());
    int depth = 0;
    char quote = 0;
    boolean comment = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean hidden = depth > 0 || quote != 0 || comment;
      if (comment) {
        comment = c != '\n';
      } else if (quote != 0) {
        quote = c == quote ? 0 : quote;
      } else if (c == '\'' || c == '"') {
        quote = c;
        hidden = true;
      } else if (c == '-' && i + 1 < text.length() && text.charAt(i + 1) == '-') {
        comment = true;
        hidden = true;
      } else if (c == '(') {
        depth++;
        hidden = true;
      } else if (c == ')') {
        depth--;
      }
      out.append(hidden ? ' ' : lower(c));
    }
    return out.toString();
  }

  private static char lower(char c) {
    return String.valueOf(c).toLowerCase(Locale.ROOT).charAt(0);
  }
}
