package dev.cairn.calcite.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.calcite.StaticCatalog;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The functions and syntax DuckDB and PostgreSQL users type give DuckDB's answer: each query is
 * run twice on the same in-memory DuckDB, once as the user wrote it (DuckDB's own answer, over
 * views named like the catalog's tables) and once as Cairn translates it; rows, their order and
 * the result types must be equal.
 */
class DuckDbFunctionLibraryTest {
  private final QueryTranslator translator = new QueryTranslator();
  private final StaticCatalog catalog = TestCatalogs.shop();

  @RegisterExtension
  final ShopItemsDuckDb shop = new ShopItemsDuckDb("(1, 'apple', 2.5, TIMESTAMP '2024-01-31"
      + " 10:00:00', true, NULL), (2, NULL, NULL, NULL, NULL, 7), (3, 'cherry', 1.0, TIMESTAMP"
      + " '2024-03-01 00:00:00', false, 5), (4, 'banana', 4.0, TIMESTAMP '2024-02-29 23:59:59',"
      + " true, 5)");

  private Connection duckdb;

  @BeforeEach
  void open() throws Exception {
    duckdb = shop.connection();
    try (Statement s = duckdb.createStatement()) {
      s.execute("CREATE VIEW shop.items AS SELECT * FROM shop.\"items$v2\"");
      s.execute("CREATE SCHEMA tpch");
      s.execute("CREATE TABLE tpch.\"orders$v3\" (o_orderkey BIGINT, o_custkey BIGINT,"
          + " o_totalprice DECIMAL(15,2), o_orderdate DATE, o_comment VARCHAR)");
      s.execute("INSERT INTO tpch.\"orders$v3\" VALUES (1, 10, 12.50, DATE '2024-01-05', 'x'),"
          + " (2, 11, 3.25, DATE '2024-02-29', 'y'), (3, 10, 7.00, DATE '2023-12-31', NULL)");
      s.execute("CREATE VIEW tpch.orders AS SELECT * FROM tpch.\"orders$v3\"");
      s.execute("USE shop");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "SELECT id, concat(name, '-', id), length(name), left(name, 2) FROM items ORDER BY id",
      "SELECT id, lpad(name, 8, '*'), strpos(name, 'an') FROM items ORDER BY id",
      "SELECT id, greatest(id, 2), greatest(price, 2.0), least(id, value) FROM items ORDER BY id",
      "SELECT extract(year FROM now()) > 2000, typeof(now())",
      "SELECT id, regexp_replace(name, '[aeiou]', '_', 'g'), concat_ws('/', name, id, price)"
          + " FROM items ORDER BY id",
      "SELECT median(price), median(id), bool_and(active), bool_or(active) FROM items",
      "SELECT active, median(price) FROM items GROUP BY active ORDER BY active",
      "SELECT quantile_cont(price, 0.5), approx_quantile(id, 0.5),"
          + " percentile_cont(0.5) WITHIN GROUP (ORDER BY price) FROM items",
      "SELECT active, quantile_disc(id, 0.5) FROM items GROUP BY active ORDER BY active",
      "SELECT id, md5(name), try_cast(name AS INTEGER), try_cast(value AS VARCHAR)"
          + " FROM items ORDER BY id",
      "SELECT * FROM generate_series(1, 7, 3)",
      "SELECT generate_series(1, 3), range(3), range(2, 8, 2)",
      "SELECT * FROM range(4)",
      "SELECT r.range * 2 FROM range(1, 10, 4) AS r",
      "SELECT id, date_trunc('month', added), date_trunc('day', added) FROM items ORDER BY id",
      "SELECT date_trunc('month', o_orderdate), date_trunc('year', o_orderdate)"
          + " FROM tpch.orders ORDER BY 1",
      "SELECT interval '2 hours', interval '1 day 2 hours', interval '3 months',"
          + " interval '1 year 2 months', interval '2 weeks', interval '1.5 seconds'",
      "SELECT id, added + interval '90 minutes', added - interval '1 month' FROM items"
          + " ORDER BY id",
      "SELECT string_agg(name, ',' ORDER BY id DESC), string_agg(name, '|' ORDER BY name)"
          + " FROM items",
      "SELECT active, string_agg(name, ',' ORDER BY price) FROM items GROUP BY active"
          + " ORDER BY active",
      "SELECT DISTINCT ON (active) active, id, name FROM items ORDER BY active, id DESC",
      "SELECT DISTINCT ON (o_custkey) o_custkey, o_orderkey FROM tpch.orders"
          + " ORDER BY o_custkey, o_totalprice",
      "SELECT active, count(*), max(id) + 1 FROM items GROUP BY ALL ORDER BY active",
      "SELECT value, active, sum(price) FROM items GROUP BY ALL ORDER BY ALL",
      "SELECT id, name FROM items ORDER BY ALL DESC",
      "SELECT typeof(id), typeof(name), typeof(price) FROM items LIMIT 1",
      "FROM items ORDER BY id",
      "FROM items SELECT id, name WHERE id > 1 ORDER BY id",
      "SELECT upper(name), lower(name), reverse(name), split_part(name, 'a', 2) FROM items"
          + " ORDER BY 1",
      "SELECT list_value(1, 2, 3), array_length(list_value(1, 2)), starts_with(name, 'b')"
          + " FROM items ORDER BY id",
      "SELECT date_part('dow', o_orderdate), dayname(o_orderdate),"
          + " last_day(o_orderdate) FROM tpch.orders ORDER BY o_orderkey",
      "SELECT o_orderkey FROM tpch.orders WHERE o_totalprice = '12.50'",
  })
  void answersAsDuckDbDoes(String sql) throws Exception {
    Answer expected = run(sql);
    Answer actual = run(translator.translate(sql, catalog, "shop").duckdbSql());
    assertEquals(expected.types, actual.types, sql);
    ResultRows.assertSameRows(sql, expected.rows, actual.rows);
  }

  @Test
  void dateTruncTakesTheUnitFirstOrLast() throws Exception {
    Answer expected = run("SELECT date_trunc('month', o_orderdate) FROM tpch.orders ORDER BY 1");
    Answer actual = run(translator.translate(
        "SELECT date_trunc(o_orderdate, MONTH) FROM tpch.orders ORDER BY 1", catalog, "shop")
        .duckdbSql());
    assertEquals(expected.types, actual.types);
    ResultRows.assertSameRows("date_trunc(d, MONTH)", expected.rows, actual.rows);
  }

  @Test
  void timestampDiffAndAddCountWholeUnits() throws Exception {
    // TIMESTAMPDIFF/TIMESTAMPADD are JDBC's, not DuckDB's: the expected answers use DuckDB's
    // date_sub (whole units elapsed) and date_add, cast to Calcite's result types.
    Answer expected = run("SELECT CAST(date_sub('day', o_orderdate, DATE '2024-03-01') AS"
        + " INTEGER), CAST(date_sub('month', o_orderdate, DATE '2024-03-01') AS INTEGER),"
        + " CAST(o_orderdate + INTERVAL 3 DAY AS DATE) FROM tpch.orders ORDER BY o_orderkey");
    Answer actual = run(translator.translate("SELECT timestampdiff(day, o_orderdate,"
        + " DATE '2024-03-01'), timestampdiff(month, o_orderdate, DATE '2024-03-01'),"
        + " timestampadd(day, 3, o_orderdate) FROM tpch.orders ORDER BY o_orderkey", catalog)
        .duckdbSql());
    assertEquals(expected.types, actual.types);
    ResultRows.assertSameRows("timestampdiff", expected.rows, actual.rows);
  }

  @Test
  void versionNamesCairnAndTheEngine() throws Exception {
    Answer answer = run(translator.translate("SELECT version()", catalog).duckdbSql());
    String version = (String) answer.rows.get(0).get(0);
    assertTrue(version.startsWith("Cairn " + CairnFunctions.CAIRN_VERSION + " (DuckDB v"),
        version);
  }

  @Test
  void theLibraryIsReadOncePerJvm() {
    DuckDbFunctionCatalog first = DuckDbFunctionCatalog.get();
    assertTrue(first == DuckDbFunctionCatalog.get());
    assertTrue(CairnOperatorTable.get() == CairnOperatorTable.get());
    assertTrue(first.functions().size() > 500, "DuckDB functions offered: "
        + first.functions().size());
    System.out.printf("DuckDB function library: %d names read in %.1f ms%n",
        first.functions().size(), first.buildNanos() / 1e6);
  }

  @Test
  void functionsWithEffectsAreNotOffered() {
    for (String sql : List.of("SELECT getenv('HOME')", "SELECT * FROM read_csv('/etc/passwd')",
        "SELECT current_setting('threads')", "SELECT * FROM duckdb_tables()")) {
      SqlTranslationException e = org.junit.jupiter.api.Assertions.assertThrows(
          SqlTranslationException.class, () -> translator.translate(sql, catalog), sql);
      assertTrue(e.getMessage().contains("No match found for function signature"),
          e.getMessage());
    }
  }

  /** Result types (DuckDB's names) and rows of a statement. */
  private record Answer(List<String> types, List<List<Object>> rows) {}

  private Answer run(String sql) throws Exception {
    try (Statement s = duckdb.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      ResultSetMetaData meta = rs.getMetaData();
      List<String> types = new ArrayList<>();
      for (int i = 1; i <= meta.getColumnCount(); i++) {
        types.add(meta.getColumnTypeName(i));
      }
      return new Answer(types, ResultRows.read(rs));
    }
  }
}
