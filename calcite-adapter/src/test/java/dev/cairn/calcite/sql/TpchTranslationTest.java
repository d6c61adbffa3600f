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
import java.util.Set;
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
    assertReadsEveryColumnItNames(q);
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

  @Test
  void aWithItemReadTwiceIsEvaluatedOnceByDuckdb() {
    // TPC-H Q15 reads revenue0 twice: Calcite alone would scan and aggregate lineitem twice.
    TranslatedQuery q = translator.translate(TpchQueries.text(15), DB.catalog(), "tpch");
    String sql = q.duckdbSql();
    String lineitem = use(q, "lineitem").duckdbRelation();
    assertEquals(sql.indexOf(lineitem), sql.lastIndexOf(lineitem), sql);
    assertTrue(sql.startsWith("WITH \"with$revenue0\" AS MATERIALIZED ("), sql);
    assertEquals(Set.of(2, 5, 6, 10), use(q, "lineitem").columns());
    assertEquals(1, q.tables().stream().filter(t -> t.table().equals("lineitem")).count());
    // A WITH item read once stays Calcite's to expand (its filters reach the table's pruning).
    TranslatedQuery once = translator.translate("WITH r AS (SELECT l_orderkey FROM lineitem"
        + " WHERE l_shipdate < DATE '1993-01-01') SELECT count(*) FROM r", DB.catalog(), "tpch");
    assertFalse(once.duckdbSql().startsWith("WITH"), once.duckdbSql());
  }

  @Test
  void subQueriesReadOnlyTheColumnsTheyUse() {
    // EXISTS (SELECT * ...) reads the columns of its condition, not every column (TPC-H Q4).
    TranslatedQuery exists = translator.translate("SELECT o_orderpriority FROM tpch.orders"
        + " WHERE EXISTS (SELECT * FROM tpch.lineitem WHERE l_orderkey = o_orderkey"
        + " AND l_commitdate < l_receiptdate)", DB.catalog(), "tpch");
    assertEquals(Set.of(0, 11, 12), use(exists, "lineitem").columns());
    // A correlated scalar sub-query reads the filtered row's correlated columns (TPC-H Q20).
    TranslatedQuery correlated = translator.translate("SELECT ps_suppkey FROM tpch.partsupp"
        + " WHERE ps_availqty > (SELECT sum(l_quantity) FROM tpch.lineitem"
        + " WHERE l_partkey = ps_partkey AND l_suppkey = ps_suppkey)", DB.catalog(),
        "tpch");
    assertEquals(Set.of(0, 1, 2), use(correlated, "partsupp").columns());
    // EXISTS over a projection that names a column: the SQL names only what the use reads.
    TranslatedQuery named = translator.translate("SELECT o_orderkey FROM tpch.orders"
        + " WHERE EXISTS (SELECT l_comment FROM tpch.lineitem WHERE l_orderkey = o_orderkey)",
        DB.catalog(), "tpch");
    assertReadsEveryColumnItNames(named);
  }

  /**
   * Asserts that every column of a table the DuckDB SQL names is one its use reads (the
   * runtime's views expose only those; TPC-H column names are unique across tables).
   */
  private static void assertReadsEveryColumnItNames(TranslatedQuery q) {
    for (TableUse use : q.tables()) {
      TpchTable table = TpchTable.valueOf(use.table().toUpperCase(java.util.Locale.ROOT));
      for (int i = 0; i < table.schema().size(); i++) {
        String name = table.schema().column(i).name();
        if (q.duckdbSql().contains("\"" + name + "\"")) {
          assertTrue(use.reads(i), name + " is named but not read: " + q.duckdbSql());
        }
      }
    }
  }

  private static TableUse use(TranslatedQuery q, String table) {
    return q.tables().stream().filter(t -> t.table().equals(table)).findFirst().orElseThrow();
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
