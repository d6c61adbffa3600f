package dev.cairn.tpchdata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.wire.CairnException;
import dev.cairn.wire.ErrorCode;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TpchQueriesTest {
  /**
   * Answer row counts at SF 0.01 that are certain: DuckDB's reference answers (Q1, Q4, Q5, Q12,
   * Q22), one row for the single-aggregate queries, and the two nation pairs times two years
   * of Q7 and the two years of Q8.
   */
  private static final Map<Integer, Integer> ROWS_AT_SF_0_01 = Map.ofEntries(
      Map.entry(1, 4), Map.entry(4, 5), Map.entry(5, 5), Map.entry(6, 1), Map.entry(7, 4),
      Map.entry(8, 2), Map.entry(12, 2), Map.entry(14, 1), Map.entry(17, 1), Map.entry(19, 1),
      Map.entry(22, 7));

  private static Connection duckdb;

  @BeforeAll
  static void load() throws Exception {
    duckdb = DriverManager.getConnection("jdbc:duckdb:");
    TpchGenerator.loadInto(duckdb, TpchGeneratorTest.SCALE);
  }

  @AfterAll
  static void close() throws SQLException {
    duckdb.close();
  }

  @Test
  void allTwentyTwoQueriesRunOnDuckDb() throws SQLException {
    for (Map.Entry<Integer, String> q : TpchQueries.all().entrySet()) {
      int rows = run(q.getValue()).size();
      Integer expected = ROWS_AT_SF_0_01.get(q.getKey());
      if (expected != null) {
        assertEquals(expected, rows, "Q" + q.getKey());
      }
    }
  }

  @Test
  void q13CountsManyOrderCountGroups() throws SQLException {
    assertTrue(run(TpchQueries.text(13)).size() >= 30);
  }

  @Test
  void limitedQueriesReturnAtMostTheirLimit() throws SQLException {
    Map<Integer, Integer> limits = Map.of(2, 100, 3, 10, 10, 20, 18, 100, 21, 100);
    for (Map.Entry<Integer, Integer> e : limits.entrySet()) {
      String text = TpchQueries.text(e.getKey());
      assertTrue(text.endsWith("limit " + e.getValue()), "Q" + e.getKey());
      assertTrue(run(text).size() <= e.getValue());
    }
    assertEquals(10, run(TpchQueries.text(3)).size());
    assertEquals(20, run(TpchQueries.text(10)).size());
  }

  @Test
  void q1FirstGroupMatchesTheReferenceAnswer() throws SQLException {
    List<Object> first = run(TpchQueries.text(1)).get(0);
    assertEquals("A", first.get(0));
    assertEquals("F", first.get(1));
    assertEquals(0, new BigDecimal("380456.00").compareTo((BigDecimal) first.get(2)));
    assertEquals(0, new BigDecimal("532348211.65").compareTo((BigDecimal) first.get(3)));
    assertEquals(14876L, ((Number) first.get(9)).longValue());
  }

  @Test
  void orderedIsTrueExactlyForQueriesWithOrderBy() {
    Set<Integer> unordered = Set.of(6, 14, 17, 19);
    for (int n = 1; n <= TpchQueries.COUNT; n++) {
      assertEquals(!unordered.contains(n), TpchQueries.ordered(n), "Q" + n);
    }
  }

  @Test
  void textsAreSingleStatementsWithoutSemicolons() {
    assertEquals(22, TpchQueries.all().size());
    for (String text : TpchQueries.all().values()) {
      assertFalse(text.contains(";"), text);
    }
    assertTrue(TpchQueries.text(15).startsWith("--"));
    assertTrue(TpchQueries.text(15).contains("with revenue0"));
    assertTrue(TpchQueries.text(11).contains(" as value"));
  }

  @Test
  void unknownQueryNumbersAreNotFound() {
    for (int n : new int[] {0, 23, -1}) {
      CairnException e = assertThrows(CairnException.class, () -> TpchQueries.text(n));
      assertEquals(ErrorCode.NOT_FOUND, e.code());
    }
  }

  private static List<List<Object>> run(String sql) throws SQLException {
    List<List<Object>> rows = new ArrayList<>();
    try (Statement s = duckdb.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      int columns = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        List<Object> row = new ArrayList<>(columns);
        for (int i = 1; i <= columns; i++) {
          row.add(rs.getObject(i));
        }
        rows.add(row);
      }
    }
    return rows;
  }
}
