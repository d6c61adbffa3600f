package dev.cairn.tpchdata;

import java.math.BigDecimal;
import java.math.MathContext;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Compares a query's result with a reference result the way the TPC-H and TPC-DS checks ask:
 * row counts exact, numbers within 1e-6 relative (so a value rounded to three decimals is a
 * difference), text exactly (trailing blanks count), and row order where the query orders.
 *
 * <p>Ties are handled without loosening anything else. Rows whose ORDER BY keys are equal may
 * come in any order, so within each run of equal keys the rows are compared as a multiset; the
 * keys themselves must match row by row. Only when LIMIT cut the result inside such a run may
 * that last run hold other rows with the same key: each of them must then be one of the
 * reference's rows with that key, taken from the reference query without its LIMIT. Keys are
 * those {@link QueryOrder#keyColumns} can place; after the first it cannot, order is not
 * compared, and the rows past it still must match as a multiset, with no leeway at the cut.
 */
public final class ResultMatch {
  private static final BigDecimal RELATIVE = new BigDecimal("1e-6");
  /** Below this both numbers count as zero: sums in another order differ there. */
  private static final BigDecimal ZERO_BAND = new BigDecimal("1e-9");
  private static final MathContext SORT_DIGITS = new MathContext(5);

  private ResultMatch() {}

  /** Reads every row with numbers as BigDecimal, dates as LocalDate, timestamps LocalDateTime. */
  public static List<List<Object>> rows(ResultSet resultSet) throws SQLException {
    ResultSetMetaData meta = resultSet.getMetaData();
    List<List<Object>> rows = new ArrayList<>();
    while (resultSet.next()) {
      List<Object> row = new ArrayList<>(meta.getColumnCount());
      for (int i = 1; i <= meta.getColumnCount(); i++) {
        row.add(normalise(resultSet.getObject(i)));
      }
      rows.add(row);
    }
    return rows;
  }

  /** Returns the result's column labels in order. */
  public static List<String> labels(ResultSet resultSet) throws SQLException {
    ResultSetMetaData meta = resultSet.getMetaData();
    List<String> labels = new ArrayList<>(meta.getColumnCount());
    for (int i = 1; i <= meta.getColumnCount(); i++) {
      labels.add(meta.getColumnLabel(i));
    }
    return labels;
  }

  private static Object normalise(Object value) {
    if (value instanceof Double d && (d.isNaN() || d.isInfinite())) {
      return value;
    }
    if (value instanceof Float f && (f.isNaN() || f.isInfinite())) {
      return f.doubleValue();
    }
    if (value instanceof Number number && !(value instanceof BigDecimal)) {
      return new BigDecimal(number.toString());
    }
    if (value instanceof java.sql.Date date) {
      return date.toLocalDate();
    }
    if (value instanceof java.sql.Timestamp timestamp) {
      return timestamp.toLocalDateTime();
    }
    return value;
  }

  /**
   * Returns how {@code actual} differs from {@code expected}, or null when they match.
   *
   * @param labels the reference result's column labels, to place ORDER BY keys
   * @param uncut the reference rows of the query without its LIMIT; asked for only when the
   *     rows at the cut differ
   */
  public static String difference(List<List<Object>> expected, List<List<Object>> actual,
      QueryOrder order, List<String> labels, Supplier<List<List<Object>>> uncut) {
    if (expected.size() != actual.size()) {
      return "row count " + actual.size() + ", expected " + expected.size()
          + (actual.isEmpty() ? "" : "; first actual row " + actual.get(0))
          + (expected.isEmpty() ? "" : "; first expected row " + expected.get(0));
    }
    boolean cut = order.limit().isPresent() && order.limit().getAsLong() == expected.size();
    int[] keys = order.ordered() ? placedPrefix(order.keyColumns(labels)) : new int[0];
    boolean keysComplete = !order.ordered() || keys.length == order.keys().size();
    for (int r = 0; r < expected.size(); r++) {
      for (int k : keys) {
        if (!valuesEqual(expected.get(r).get(k), actual.get(r).get(k))) {
          return "row " + r + ": order key column " + (k + 1) + " (" + labels.get(k) + ") is "
              + actual.get(r).get(k) + ", expected " + expected.get(r).get(k)
              + " (expected row " + expected.get(r) + ", actual row " + actual.get(r) + ")";
        }
      }
    }
    int from = 0;
    while (from < expected.size()) {
      int to = from + 1;
      while (to < expected.size() && sameKey(expected.get(from), expected.get(to), keys)) {
        to++;
      }
      List<List<Object>> want = expected.subList(from, to);
      List<List<Object>> got = actual.subList(from, to);
      String difference = multisetDifference(want, got);
      if (difference != null && cut && keysComplete && to == expected.size()) {
        difference = cutDifference(want.get(0), got, keys, uncut.get());
      }
      if (difference != null) {
        return (to - from == expected.size() ? "" : "rows " + from + ".." + (to - 1)
            + " (equal order keys): ") + difference;
      }
      from = to;
    }
    return null;
  }

  /** Returns the leading key columns that could be placed (up to the first that could not). */
  private static int[] placedPrefix(int[] columns) {
    int n = 0;
    while (n < columns.length && columns[n] >= 0) {
      n++;
    }
    return Arrays.copyOf(columns, n);
  }

  private static boolean sameKey(List<Object> a, List<Object> b, int[] keys) {
    for (int k : keys) {
      if (!valuesEqual(a.get(k), b.get(k))) {
        return false;
      }
    }
    return true;
  }

  /**
   * Checks the last run of tied rows, cut by LIMIT: every actual row must be a distinct one of
   * the reference's rows with that key.
   */
  private static String cutDifference(List<Object> keyRow, List<List<Object>> got, int[] keys,
      List<List<Object>> uncut) {
    List<List<Object>> candidates = new ArrayList<>();
    for (List<Object> row : uncut) {
      if (sameKey(keyRow, row, keys)) {
        candidates.add(row);
      }
    }
    List<List<Object>> unmatched = unmatched(got, candidates);
    return unmatched.isEmpty() ? null : "row " + unmatched.get(0) + " at the LIMIT cut is not"
        + " among the " + candidates.size() + " reference rows with its order key";
  }

  private static String multisetDifference(List<List<Object>> want, List<List<Object>> got) {
    List<List<Object>> sortedWant = sorted(want);
    List<List<Object>> sortedGot = sorted(got);
    boolean equal = true;
    for (int i = 0; i < sortedWant.size() && equal; i++) {
      equal = rowsEqual(sortedWant.get(i), sortedGot.get(i));
    }
    if (equal) {
      return null;
    }
    List<List<Object>> missing = unmatched(want, got);
    if (missing.isEmpty()) {
      return null; // the sort put values equal within tolerance in another order
    }
    List<List<Object>> extra = unmatched(got, want);
    return "expected row " + missing.get(0) + " is missing"
        + (extra.isEmpty() ? "" : "; actual row " + extra.get(0) + " is not expected")
        + " (" + missing.size() + " rows differ)";
  }

  /** Returns the rows of {@code rows} left over when each is matched to a distinct pool row. */
  private static List<List<Object>> unmatched(List<List<Object>> rows,
      List<List<Object>> pool) {
    boolean[] used = new boolean[pool.size()];
    List<List<Object>> left = new ArrayList<>();
    for (List<Object> row : rows) {
      boolean found = false;
      for (int i = 0; i < pool.size() && !found; i++) {
        if (!used[i] && rowsEqual(row, pool.get(i))) {
          used[i] = true;
          found = true;
        }
      }
      if (!found) {
        left.add(row);
      }
    }
    return left;
  }

  private static boolean rowsEqual(List<Object> a, List<Object> b) {
    if (a.size() != b.size()) {
      return false;
    }
    for (int c = 0; c < a.size(); c++) {
      if (!valuesEqual(a.get(c), b.get(c))) {
        return false;
      }
    }
    return true;
  }

  /** Numbers within 1e-6 relative (or both within 1e-9 of zero); everything else exactly. */
  public static boolean valuesEqual(Object expected, Object actual) {
    if (expected instanceof BigDecimal e && actual instanceof BigDecimal a) {
      BigDecimal gap = e.subtract(a).abs();
      if (gap.compareTo(ZERO_BAND) <= 0) {
        return true;
      }
      return gap.compareTo(e.abs().max(a.abs()).multiply(RELATIVE)) <= 0;
    }
    return Objects.equals(expected, actual);
  }

  private static List<List<Object>> sorted(List<List<Object>> rows) {
    List<List<Object>> copy = new ArrayList<>(rows);
    copy.sort(Comparator.comparing(ResultMatch::sortKey));
    return copy;
  }

  private static String sortKey(List<Object> row) {
    StringBuilder key = new StringBuilder();
    for (Object value : row) {
      if (value instanceof BigDecimal number) {
        // Rounded so that values equal within the tolerance mostly sort alike; where they do
        // not, multisetDifference falls back to matching row by row.
        key.append(number.round(SORT_DIGITS).stripTrailingZeros().toPlainString());
      } else {
        key.append(value);
      }
      key.append('\u0001');
    }
    return key.toString();
  }
}
