package dev.cairn.calcite.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/** Reads DuckDB results into comparable rows and compares them with numeric tolerance. */
final class ResultRows {
  private ResultRows() {}

  static List<List<Object>> query(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      return read(rs);
    }
  }

  static List<List<Object>> read(ResultSet rs) throws SQLException {
    ResultSetMetaData md = rs.getMetaData();
    List<List<Object>> rows = new ArrayList<>();
    while (rs.next()) {
      List<Object> row = new ArrayList<>();
      for (int i = 1; i <= md.getColumnCount(); i++) {
        row.add(normalize(rs.getObject(i)));
      }
      rows.add(row);
    }
    return rows;
  }

  /** Numbers become BigDecimal, dates LocalDate, timestamps at midnight LocalDate too. */
  static Object normalize(Object v) {
    if (v instanceof BigDecimal) {
      return v;
    }
    if (v instanceof Number) {
      return new BigDecimal(v.toString());
    }
    if (v instanceof java.sql.Date) {
      return ((java.sql.Date) v).toLocalDate();
    }
    if (v instanceof java.sql.Timestamp) {
      v = ((java.sql.Timestamp) v).toLocalDateTime();
    }
    if (v instanceof LocalDateTime && ((LocalDateTime) v).toLocalTime().toSecondOfDay() == 0) {
      return ((LocalDateTime) v).toLocalDate();
    }
    if (v instanceof LocalDate || v == null || v instanceof String || v instanceof Boolean) {
      return v;
    }
    return v.toString();
  }

  static void sortRows(List<List<Object>> rows) {
    rows.sort(Comparator.comparing(Object::toString));
  }

  static void assertSameRows(String what, List<List<Object>> expected,
      List<List<Object>> actual) {
    assertEquals(expected.size(), actual.size(), what + ": row count");
    for (int r = 0; r < expected.size(); r++) {
      List<Object> e = expected.get(r);
      List<Object> a = actual.get(r);
      assertEquals(e.size(), a.size(), what + ": columns in row " + r);
      for (int c = 0; c < e.size(); c++) {
        assertTrue(same(e.get(c), a.get(c)),
            what + ": row " + r + " column " + c + ": expected " + e + " but got " + a);
      }
    }
  }

  private static boolean same(Object e, Object a) {
    if (e instanceof BigDecimal && a instanceof BigDecimal) {
      double x = ((BigDecimal) e).doubleValue();
      double y = ((BigDecimal) a).doubleValue();
      double diff = Math.abs(x - y);
      return diff <= 0.01 || diff <= 1e-6 * Math.max(Math.abs(x), Math.abs(y));
    }
    return Objects.equals(e, a);
  }
}
