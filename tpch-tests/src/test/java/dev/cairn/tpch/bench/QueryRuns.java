package dev.cairn.tpch.bench;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** Runs one SQL text on a JDBC connection and times it, reading every value of every row. */
final class QueryRuns {
  /** One timed run: wall milliseconds (statement, execution, reading all rows) and rows. */
  record Run(double millis, long rows) { }

  private QueryRuns() {}

  static Run once(Connection connection, String sql, int timeoutSeconds) throws SQLException {
    long start = System.nanoTime();
    long rows = 0;
    try (Statement s = connection.createStatement()) {
      if (timeoutSeconds > 0) {
        s.setQueryTimeout(timeoutSeconds);
      }
      try (ResultSet r = s.executeQuery(sql)) {
        int columns = r.getMetaData().getColumnCount();
        while (r.next()) {
          for (int c = 1; c <= columns; c++) {
            r.getObject(c);
          }
          rows++;
        }
      }
    }
    return new Run(Stats.millisSince(start), rows);
  }

  /** Runs {@code sql} {@code runs} times and returns the times in milliseconds. */
  static List<Double> times(Connection connection, String sql, int runs) throws SQLException {
    List<Double> times = new ArrayList<>();
    for (int i = 0; i < runs; i++) {
      times.add(once(connection, sql, 0).millis());
    }
    return times;
  }
}
