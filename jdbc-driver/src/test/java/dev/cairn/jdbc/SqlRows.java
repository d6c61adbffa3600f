package dev.cairn.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cairn.calcite.runtime.CairnSession;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The rows of a query as comparable lists, and the check the type tests share: each filter
 * answers through jdbc:cairn as DuckDB answers it, and prunes at least one batch.
 */
final class SqlRows {
  private SqlRows() {}

  /** Returns the rows of {@code sql} on {@code c}, each value passed through {@code normalize}. */
  static List<List<Object>> rows(Connection c, String sql, UnaryOperator<Object> normalize)
      throws SQLException {
    List<List<Object>> out = new ArrayList<>();
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        List<Object> row = new ArrayList<>(n);
        for (int i = 1; i <= n; i++) {
          row.add(normalize.apply(rs.getObject(i)));
        }
        out.add(row);
      }
    }
    return out;
  }

  /**
   * Runs each of {@code queries} on a Cairn connection and on DuckDB, asserts equal rows, and
   * returns the queries after which the session's pruned-batch counter had not moved.
   */
  static List<String> answerAsDuckDbAndListUnpruned(Connection cairn, Connection duckdb,
      List<String> queries, UnaryOperator<Object> normalize) throws SQLException {
    List<String> unpruned = new ArrayList<>();
    for (String sql : queries) {
      long before = prunedBatches(cairn);
      assertEquals(rows(duckdb, sql, normalize), rows(cairn, sql, normalize), sql);
      if (prunedBatches(cairn) == before) {
        unpruned.add(sql);
      }
    }
    return unpruned;
  }

  private static long prunedBatches(Connection cairn) throws SQLException {
    return cairn.unwrap(CairnSession.class).counters().prunedBatches();
  }
}
