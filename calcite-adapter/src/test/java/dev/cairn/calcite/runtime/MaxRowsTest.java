package dev.cairn.calcite.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cairn.calcite.sql.SqlColumn;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A JDBC maxRows pushed into DuckDB SQL: kept order, kept labels, left alone when it cannot. */
class MaxRowsTest {
  private static SqlColumn column(String name) {
    return new SqlColumn(name, Types.BIGINT, "BIGINT", -1, Integer.MIN_VALUE, false);
  }

  @Test
  void anOuterLimitKeepsTheInnerOrderAndTheColumnLabels() throws Exception {
    String sql = "SELECT x, y FROM t ORDER BY y DESC, x";
    String limited = MaxRows.apply(sql, List.of(column("x"), column("y")), 3);
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE t AS SELECT range AS x, (range * 7919) % 1009 AS y"
          + " FROM range(100000)");
      assertEquals(rows(s, sql + " LIMIT 3"), rows(s, limited));
      try (ResultSet rs = s.executeQuery(limited)) {
        assertEquals("x", rs.getMetaData().getColumnLabel(1));
        assertEquals("y", rs.getMetaData().getColumnLabel(2));
      }
    }
  }

  @Test
  void noLimitOrNamesThatCollideLeaveTheSqlAlone() {
    String sql = "SELECT x, x FROM t";
    assertEquals(sql, MaxRows.apply(sql, List.of(column("x"), column("X")), 5));
    assertEquals(sql, MaxRows.apply(sql, List.of(column("x"), column("y")), 0));
  }

  private static List<String> rows(Statement s, String sql) throws Exception {
    List<String> out = new ArrayList<>();
    try (ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        out.add(rs.getLong(1) + "," + rs.getLong(2));
      }
    }
    return out;
  }
}
