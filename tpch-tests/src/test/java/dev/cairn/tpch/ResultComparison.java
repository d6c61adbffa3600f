package dev.cairn.tpch;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Compares two query results the way the TPC-H checks ask: row counts exact, values equal
 * (numbers within 0.01 or 1e-6 relative, whichever is larger), order equal where the query
 * orders. Returns a description of the first difference, or null when equal.
 */
final class ResultComparison {
  private ResultComparison() {}

  /** Reads every row as a list of normalised values: numbers as BigDecimal, dates as LocalDate. */
  static List<List<Object>> rows(ResultSet resultSet) throws SQLException {
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

  private static Object normalise(Object value) {
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

  static String difference(List<List<Object>> expected, List<List<Object>> actual,
      boolean ordered) {
    if (expected.size() != actual.size()) {
      return "row count " + actual.size() + ", expected " + expected.size();
    }
    List<List<Object>> left = expected;
    List<List<Object>> right = actual;
    if (!ordered) {
      left = sorted(expected);
      right = sorted(actual);
    }
    for (int r = 0; r < left.size(); r++) {
      List<Object> a = left.get(r);
      List<Object> b = right.get(r);
      if (a.size() != b.size()) {
        return "row " + r + " has " + b.size() + " columns, expected " + a.size();
      }
      for (int c = 0; c < a.size(); c++) {
        if (!valuesEqual(a.get(c), b.get(c))) {
          return "row " + r + " column " + (c + 1) + ": " + b.get(c) + ", expected " + a.get(c)
              + " (expected row " + a + ", actual row " + b + ")";
        }
      }
    }
    return null;
  }

  static boolean valuesEqual(Object expected, Object actual) {
    if (expected instanceof BigDecimal e && actual instanceof BigDecimal a) {
      BigDecimal tolerance = e.abs().multiply(new BigDecimal("1e-6")).max(new BigDecimal("0.01"));
      return e.subtract(a).abs().compareTo(tolerance) <= 0;
    }
    if (expected instanceof String e && actual instanceof String a) {
      return e.stripTrailing().equals(a.stripTrailing());
    }
    return Objects.equals(expected, actual);
  }

  private static List<List<Object>> sorted(List<List<Object>> rows) {
    List<List<Object>> copy = new ArrayList<>(rows);
    copy.sort(Comparator.comparing(ResultComparison::sortKey));
    return copy;
  }

  private static String sortKey(List<Object> row) {
    StringBuilder key = new StringBuilder();
    for (Object value : row) {
      if (value instanceof BigDecimal number) {
        // Rounded so that values equal within the tolerance sort alike.
        key.append(number.setScale(1, java.math.RoundingMode.HALF_UP).toPlainString());
      } else if (value instanceof LocalDate date) {
        key.append(date);
      } else {
        key.append(value);
      }
      key.append('\u0001');
    }
    return key.toString();
  }
}
