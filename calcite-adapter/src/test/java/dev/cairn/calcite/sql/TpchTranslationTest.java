package dev.cairn.calcite.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.tpchdata.TpchGenerator;
import dev.cairn.tpchdata.TpchQueries;
import dev.cairn.tpchdata.TpchTable;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every TPC-H query, unedited, gives the same result when DuckDB runs its original text over
 * plain tables and when it runs the translation over the versioned relations
 * {@code "tpch"."<table>$v1"} (views of the same tables), at scale factor 0.01.
 */
class TpchTranslationTest {
  private static final double SCALE = 0.01;

  @RegisterExtension
  static final VersionedViews DB = new VersionedViews("tpch", List.of(TpchTable.values()),
      duckdb -> TpchGenerator.loadInto(duckdb, SCALE));

  private final QueryTranslator translator = new QueryTranslator();

  static List<Integer> queries() {
    List<Integer> n = new ArrayList<>();
    for (int i = 1; i <= TpchQueries.COUNT; i++) {
      n.add(i);
    }
    return n;
  }

  @ParameterizedTest(name = "Q{0}")
  @MethodSource("queries")
  void translationGivesTheSameResult(int n) throws Exception {
    String text = TpchQueries.text(n);
    TranslatedQuery q = translator.translate(text, DB.catalog(), "tpch");
    for (TableUse use : q.tables()) {
      assertTrue(q.duckdbSql().contains(use.duckdbRelation()), q.duckdbSql());
      assertFalse(use.columns().isEmpty(), "Q" + n + " reads no column of " + use.table());
    }
    List<List<Object>> expected = ResultRows.query(DB.duckdb(), text);
    List<List<Object>> actual;
    try (Statement s = DB.duckdb().createStatement();
        ResultSet rs = s.executeQuery(q.duckdbSql())) {
      assertEquals(q.columns().size(), rs.getMetaData().getColumnCount(), "Q" + n);
      for (int c = 0; c < q.columns().size(); c++) {
        assertEquals(q.columns().get(c).name(), rs.getMetaData().getColumnLabel(c + 1),
            "Q" + n + " column " + c);
      }
      actual = ResultRows.read(rs);
    }
    if (!TpchQueries.ordered(n)) {
      ResultRows.sortRows(expected);
      ResultRows.sortRows(actual);
    }
    ResultRows.assertSameRows("Q" + n + "\n" + q.duckdbSql(), expected, actual);
  }

  /** Reports Calcite's time per query (not asserted: tests never assert wall-clock time). */
  @Test
  void translateTimes() {
    int rounds = 5;
    double[] medians = new double[TpchQueries.COUNT];
    for (int round = 0; round < 3; round++) { // warm up class loading and code generation
      for (int n = 1; n <= TpchQueries.COUNT; n++) {
        translator.translate(TpchQueries.text(n), DB.catalog(), "tpch");
      }
    }
    for (int n = 1; n <= TpchQueries.COUNT; n++) {
      double[] ms = new double[rounds];
      for (int r = 0; r < rounds; r++) {
        long start = System.nanoTime();
        TranslatedQuery q = translator.translate(TpchQueries.text(n), DB.catalog(), "tpch");
        ms[r] = (System.nanoTime() - start) / 1e6;
        assertFalse(q.tables().isEmpty());
      }
      Arrays.sort(ms);
      medians[n - 1] = ms[rounds / 2];
    }
    double[] sorted = medians.clone();
    Arrays.sort(sorted);
    System.out.printf("translate ms per query (median of %d): %s; median over Q1-Q22 %.2f,"
        + " max %.2f%n", rounds, Arrays.toString(medians), sorted[sorted.length / 2],
        sorted[sorted.length - 1]);
  }
}
