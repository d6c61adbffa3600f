package dev.cairn.calcite.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.calcite.StaticCatalog;
import dev.cairn.calcite.SystemTables;
import dev.cairn.calcite.VersionedName;
import dev.cairn.wire.ErrorCode;
import java.sql.Types;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Names, versions, parameters, system tables, refusals and limits of the translator. */
class QueryTranslatorTest {
  private final QueryTranslator translator = new QueryTranslator();
  private final StaticCatalog catalog = TestCatalogs.shop();

  private TranslatedQuery translate(String sql) {
    return translator.translate(sql, catalog);
  }

  private SqlTranslationException refused(String sql) {
    return assertThrows(SqlTranslationException.class, () -> translate(sql));
  }

  @Test
  void unquotedNamesMatchLowerCaseTables() {
    TranslatedQuery q = translate("SELECT L_ORDERKEY FROM TPCH.LINEITEM");
    assertTrue(q.duckdbSql().contains("\"tpch\".\"lineitem$v1\""), q.duckdbSql());
    assertEquals("l_orderkey", q.columns().get(0).name());
    assertEquals(Types.BIGINT, q.columns().get(0).jdbcType());
    TableUse use = q.tables().get(0);
    assertEquals(List.of("tpch", "lineitem", 1L, false), List.of(use.schema(), use.table(),
        use.version(), use.system()));
    assertEquals(Set.of(0), use.columns());
  }

  @Test
  void explainDescribesTheQueryWithoutReadingAnyTable() throws Exception {
    TranslatedQuery plain = translate("SELECT l_orderkey FROM tpch.lineitem WHERE l_orderkey < 5");
    TranslatedQuery q = translate("/* why */ Explain plan for SELECT l_orderkey FROM tpch.lineitem"
        + " WHERE l_orderkey < 5");
    assertEquals(List.of(), q.tables(), "nothing is loaded to answer EXPLAIN");
    assertEquals(List.of("step", "detail"), q.columns().stream().map(SqlColumn::name).toList());
    List<List<Object>> rows;
    try (java.sql.Connection duckdb = java.sql.DriverManager.getConnection("jdbc:duckdb:")) {
      rows = ResultRows.query(duckdb, q.duckdbSql());
    }
    assertEquals(List.of(List.of("table", "tpch.lineitem version 1: decodes l_orderkey; prunes"
        + " batches by " + plain.tables().get(0).pruning()),
        List.of("duckdb sql", plain.duckdbSql())), rows);
    assertEquals(SqlTranslationException.READ_ONLY, refused("EXPLAIN DELETE FROM tpch.lineitem")
        .sqlState());
    String dated = translate("explain select count(*) from tpch.orders"
        + " where o_orderdate < date '1995-03-15'").duckdbSql();
    assertTrue(dated.contains("o_orderdate LT [1995-03-15]"), "dates read as dates: " + dated);
  }

  @Test
  void quotedNamesAreExact() {
    assertEquals(1, translate("SELECT \"l_orderkey\" FROM \"tpch\".\"lineitem\"").tables().size());
    SqlTranslationException e = refused("SELECT \"L_ORDERKEY\" FROM tpch.lineitem");
    assertEquals(SqlTranslationException.SEMANTIC_ERROR, e.sqlState());
    assertTrue(e.getMessage().contains("L_ORDERKEY"), e.getMessage());
  }

  @Test
  void unquotedNameFindsTableWithCapitals() {
    TranslatedQuery q = translate("SELECT \"Id\" FROM shop.mixedcase");
    assertEquals("MixedCase", q.tables().get(0).table());
    assertTrue(q.duckdbSql().contains("\"shop\".\"MixedCase$v1\""), q.duckdbSql());
  }

  @Test
  void headIsTheNewestVersionAndSuffixAsksForHistory() {
    assertEquals(3, translate("SELECT o_orderkey FROM tpch.orders").tables().get(0).version());
    TranslatedQuery q = translate("SELECT a.o_orderkey FROM tpch.orders$v1 a"
        + " JOIN tpch.ORDERS$V2 b ON a.o_orderkey = b.o_orderkey");
    assertEquals(2, q.tables().size());
    assertEquals(Set.of(1L, 2L), Set.of(q.tables().get(0).version(), q.tables().get(1).version()));
    assertTrue(q.duckdbSql().contains("\"tpch\".\"orders$v1\""), q.duckdbSql());
    assertTrue(q.duckdbSql().contains("\"tpch\".\"orders$v2\""), q.duckdbSql());
    SqlTranslationException e = refused("SELECT * FROM tpch.orders$v9");
    assertEquals(ErrorCode.NOT_FOUND, e.code());
    assertEquals(SqlTranslationException.UNDEFINED_TABLE, e.sqlState());
  }

  @Test
  void unknownTableIsNotFound() {
    SqlTranslationException e = refused("select * from tpch.nation");
    assertEquals(ErrorCode.NOT_FOUND, e.code());
    assertTrue(e.getMessage().contains("nation"), e.getMessage());
  }

  @Test
  void defaultSchemaResolvesUnqualifiedNames() {
    TranslatedQuery q = translator.translate("select count(*) from lineitem", catalog, "tpch");
    assertEquals("lineitem", q.tables().get(0).table());
  }

  @Test
  void theRelationNamesGivenNameEveryScanAndNoLiteral() {
    RelationNames session = new RelationNames() {
      @Override
      public List<String> dataRelation(VersionedName name) {
        return List.of("s7_" + name.schema(), name.versionedTable());
      }

      @Override
      public List<String> systemRelation(String schema, String table) {
        return List.of("temp", "main", schema + "$" + table);
      }
    };
    String literal = "\"tpch\".\"lineitem$v1\" \"cairn\".\"tables\"";
    TranslatedQuery q = translator.translate("select '" + literal + "' as s, count(*)"
        + " from tpch.lineitem l join cairn.tables t on t.table_name = 'lineitem'"
        + " where l.l_orderkey > 0", catalog, null, session);
    assertTrue(q.duckdbSql().contains("FROM \"s7_tpch\".\"lineitem$v1\""), q.duckdbSql());
    assertTrue(q.duckdbSql().contains("\"temp\".\"main\".\"cairn$tables\" AS \"tables\""),
        q.duckdbSql());
    assertTrue(q.duckdbSql().contains("'" + literal + "'"), q.duckdbSql());
    assertEquals(List.of("\"s7_tpch\".\"lineitem$v1\"",
        "\"temp\".\"main\".\"cairn$tables\""),
        q.tables().stream().map(TableUse::duckdbRelation).sorted().toList());
    String explained = translator.translate("explain select count(*) from tpch.lineitem",
        catalog, null, session).duckdbSql();
    assertTrue(explained.contains("tpch") && !explained.contains("s7_"), explained);
  }

  @Test
  void systemTablesReadTheCairnSchema() {
    TranslatedQuery q = translate("SELECT table_name, row_count FROM cairn.tables"
        + " WHERE schema = 'tpch' ORDER BY table_name");
    TableUse use = q.tables().get(0);
    assertTrue(use.system());
    assertEquals(SystemTables.SCHEMA, use.schema());
    assertEquals("\"cairn\".\"tables\"", use.duckdbRelation());
    assertTrue(q.duckdbSql().contains("\"cairn\".\"tables\""), q.duckdbSql());
    assertEquals(Set.of(0, 1, 3), use.columns());
    PruningPredicate live = translate("select * from cairn.nodes where live").tables().get(0)
        .pruning().get(0);
    assertEquals(List.of(2, PruningPredicate.Op.EQ, List.of(true)),
        List.of(live.column(), live.op(), live.values()));
  }

  @Test
  void aSystemTableIsAliasedByItsNameSoQualifiersSurviveTheRuntimesSwap() {
    String sql = translate("select * from cairn.tables t join cairn.versions v"
        + " on t.table_name = v.table_name").duckdbSql();
    assertTrue(sql.contains("\"cairn\".\"versions\" AS \"versions\""), sql);
    assertTrue(sql.contains("\"cairn\".\"tables\" AS \"tables\""), sql);
  }

  @Test
  void catalogStatementsBecomeQueriesOverTheSnapshot() {
    TranslatedQuery show = translator.translate("show tables", catalog, "shop");
    assertEquals(List.of("name"), show.columns().stream().map(SqlColumn::name).toList());
    TableUse tables = show.tables().get(0);
    assertEquals(List.of(SystemTables.INFORMATION_SCHEMA, "tables", true),
        List.of(tables.schema(), tables.table(), tables.system()));
    assertEquals(List.of("schema", "name"), translate("SHOW TABLES;").columns().stream()
        .map(SqlColumn::name).toList());
    assertEquals("information_schema",
        translate("SHOW TABLES IN \"information_schema\"").tables().get(0).schema());
    assertEquals(List.of("schemata"), translate("show schemas").tables().stream()
        .map(TableUse::table).toList());
    TranslatedQuery describe = translate("DESCRIBE tpch.orders");
    assertEquals(List.of("column_name", "column_type", "null", "key", "default", "extra"),
        describe.columns().stream().map(SqlColumn::name).toList());
    assertTrue(describe.duckdbSql().contains("'DECIMAL(15,2)'"), describe.duckdbSql());
    TranslatedQuery query = translate("describe select o_orderkey, count(*) as n"
        + " from tpch.orders group by o_orderkey");
    assertTrue(query.tables().isEmpty(), "nothing is read");
    assertTrue(query.duckdbSql().contains("('n', 'BIGINT', 'NO'"), query.duckdbSql());
    SqlTranslationException noSchema = refused("show tables from nope");
    assertEquals(List.of(ErrorCode.NOT_FOUND, SqlTranslationException.UNDEFINED_SCHEMA),
        List.of(noSchema.code(), noSchema.sqlState()));
    assertEquals(SqlTranslationException.UNDEFINED_TABLE, refused("describe nope").sqlState());
  }

  @Test
  void functionsTheEngineLacksOrCannotApplyAreNamedErrors() {
    SqlTranslationException lacking = refused("select rand()");
    assertEquals(List.of(ErrorCode.UNSUPPORTED_SQL, SqlTranslationException.FEATURE_NOT_SUPPORTED),
        List.of(lacking.code(), lacking.sqlState()));
    assertTrue(lacking.getMessage().contains("rand()"), lacking.getMessage());
    SqlTranslationException wrongTypes = refused("select left(o_orderkey, 2) from tpch.orders");
    assertEquals(SqlTranslationException.UNDEFINED_FUNCTION, wrongTypes.sqlState());
    assertTrue(wrongTypes.getMessage().contains("left(VARCHAR, BIGINT)"),
        wrongTypes.getMessage());
    // TIMESTAMPDIFF used to reach Calcite's SQL writer as internal operators (INTERNAL error)
    assertTrue(translate("select timestampdiff(day, o_orderdate, o_orderdate) from tpch.orders")
        .duckdbSql().contains("DATE_SUB('day'"));
  }

  @Test
  void aDecimalComparedWithAStringIsComparedAsThatDecimal() {
    String sql = translate("select o_orderkey from tpch.orders where o_totalprice = '12.50'")
        .duckdbSql();
    // the string, as the column's type (constants are left to DuckDB, so the cast is written)
    assertTrue(sql.contains("\"o_totalprice\" = CAST('12.50' AS DECIMAL(15, 2))"), sql);
    assertFalse(sql.contains("DECIMAL(19, 19)"), sql);
  }

  @Test
  void writesAreRefusedAsReadOnly() {
    for (String sql : List.of("INSERT INTO tpch.orders VALUES (1)", "delete from tpch.orders",
        "  /* x */ UPDATE tpch.orders SET o_custkey = 1", "create table t (a int)",
        "DROP TABLE tpch.orders", "copy tpch.orders to 'x.csv'", "SET x = 1")) {
      SqlTranslationException e = refused(sql);
      assertEquals(SqlTranslationException.READ_ONLY, e.sqlState(), sql);
      assertTrue(e.getMessage().contains("read-only"), e.getMessage());
      assertTrue(e.getMessage().contains("SHOW TABLES"), e.getMessage());
    }
  }

  @Test
  void syntaxErrorsSaySo() {
    SqlTranslationException e = refused("SELECT FROM WHERE");
    assertEquals(SqlTranslationException.SYNTAX_ERROR, e.sqlState());
    assertEquals(ErrorCode.BAD_FORMAT, e.code());
    assertFalse(e.getMessage().contains("Was expecting"), e.getMessage());
    assertEquals(SqlTranslationException.SYNTAX_ERROR,
        refused("SELECT 1; DROP TABLE tpch.orders").sqlState());
  }

  @Test
  void anUnknownColumnIsNamedAsSuch() {
    SqlTranslationException e = refused("select bogus from tpch.orders");
    assertEquals(ErrorCode.BAD_FORMAT, e.code());
    assertTrue(e.getMessage().contains("Column 'bogus' not found in any table"),
        e.getMessage());
    assertFalse(e.getMessage().contains("depends on itself"), e.getMessage());
  }

  @Test
  void tooLongTextIsRefused() {
    String sql = "SELECT 1" + " ".repeat(QueryTranslator.SQL_CHARS_MAX);
    assertEquals(SqlTranslationException.TOO_COMPLEX, refused(sql).sqlState());
  }

  @Test
  void parametersStayInOrderWithTheirTypes() {
    TranslatedQuery q = translate("SELECT o_orderkey FROM tpch.orders"
        + " WHERE o_custkey = ? AND o_orderdate < ? AND o_comment LIKE ?");
    assertEquals(3, q.parameterCount());
    assertEquals(List.of(Types.BIGINT, Types.DATE, Types.VARCHAR),
        q.parameters().stream().map(SqlColumn::jdbcType).toList());
    assertEquals("?1", q.parameters().get(0).name());
    assertEquals(3, q.duckdbSql().chars().filter(c -> c == '?').count(), q.duckdbSql());
    assertTrue(q.tables().get(0).pruning().isEmpty(), "a parameter is not a literal");
  }

  @Test
  void valueIsAnAliasAndAColumnName() {
    TranslatedQuery q = translate("SELECT price AS value, value AS v2 FROM shop.items");
    assertEquals(List.of("value", "v2"), q.columns().stream().map(SqlColumn::name).toList());
  }

  @Test
  void postgresHabitsParse() {
    TranslatedQuery q = translate("WITH x AS (SELECT o_orderkey, o_orderdate FROM tpch.orders)"
        + " SELECT extract(year from o_orderdate) AS y, substring('abcdef' from 1 for 2) AS s,"
        + " count(*) AS n, CASE WHEN count(*) > 1 THEN 'many' ELSE 'one' END AS c"
        + " FROM x WHERE o_orderdate <= date '1998-12-01' - interval '90' day"
        + " AND EXISTS (SELECT 1 FROM tpch.lineitem WHERE l_orderkey = o_orderkey)"
        + " AND o_orderkey IN (SELECT l_orderkey FROM tpch.lineitem)"
        + " GROUP BY 1, 2 ORDER BY 1 DESC limit 10");
    assertEquals(List.of("y", "s", "n", "c"), q.columns().stream().map(SqlColumn::name).toList());
    assertEquals(2, q.tables().size());
  }

  @Test
  void rowLimitOnlyForAPlainScan() {
    assertEquals(OptionalLong.of(10), translate("SELECT o_orderkey, o_comment FROM tpch.orders"
        + " LIMIT 10").rowLimit());
    assertEquals(OptionalLong.of(15), translate("SELECT o_orderkey + 1 FROM tpch.orders"
        + " LIMIT 10 OFFSET 5").rowLimit());
    for (String sql : List.of("SELECT o_orderkey FROM tpch.orders",
        "SELECT o_orderkey FROM tpch.orders ORDER BY o_orderkey LIMIT 10",
        "SELECT o_orderkey FROM tpch.orders WHERE o_custkey = 3 LIMIT 10",
        "SELECT count(*) FROM tpch.orders LIMIT 10",
        "SELECT DISTINCT o_custkey FROM tpch.orders LIMIT 10",
        "SELECT o_orderkey FROM tpch.orders, tpch.lineitem LIMIT 10",
        "SELECT o_orderkey FROM tpch.orders LIMIT ?",
        "SELECT row_number() OVER (ORDER BY o_orderkey) FROM tpch.orders LIMIT 10")) {
      assertEquals(OptionalLong.empty(), translate(sql).rowLimit(), sql);
    }
  }

  @Test
  void arrivingScanOnlyForOrderFreeAggregatesOfOneScan() {
    for (String sql : List.of(
        "SELECT l_returnflag, sum(l_quantity), avg(l_discount), count(*), min(l_shipdate)"
            + " FROM tpch.lineitem WHERE l_shipdate <= date '1998-09-02'"
            + " GROUP BY l_returnflag ORDER BY l_returnflag",
        "SELECT sum(l_quantity) * 2 FROM tpch.lineitem",
        "SELECT o_custkey, count(*) FROM tpch.orders GROUP BY o_custkey ORDER BY 2 DESC"
            + " LIMIT 10",
        "SELECT max(name), count(price) FROM shop.items")) {
      assertTrue(translate(sql).arrivingScan(), sql);
    }
    for (String sql : List.of(
        "SELECT o_orderkey FROM tpch.orders",
        "SELECT o_orderkey FROM tpch.orders ORDER BY o_orderkey LIMIT 10",
        "SELECT o_custkey, count(*) FROM tpch.orders, tpch.lineitem WHERE o_orderkey ="
            + " l_orderkey GROUP BY o_custkey", // two scans
        "SELECT count(*) FROM tpch.orders a JOIN tpch.orders b ON a.o_orderkey ="
            + " b.o_custkey", // one table, scanned twice
        "SELECT sum(price) FROM shop.items", // a floating sum's last bits follow the order
        "SELECT avg(price) FROM shop.items",
        "SELECT count(DISTINCT o_custkey) FROM tpch.orders",
        "SELECT string_agg(o_comment, ',') FROM tpch.orders",
        "SELECT sum(o_totalprice) FROM (SELECT o_totalprice FROM tpch.orders LIMIT 5)",
        "SELECT count(*) FROM tpch.orders o LEFT JOIN tpch.lineitem l ON o_orderkey ="
            + " l_orderkey",
        "SELECT count(*) FROM tpch.orders WHERE o_custkey IN (SELECT o_custkey FROM"
            + " tpch.orders WHERE o_totalprice > 5)",
        "SELECT sum(n) FROM (SELECT row_number() OVER (ORDER BY o_orderkey) n FROM"
            + " tpch.orders)",
        "EXPLAIN SELECT count(*) FROM tpch.orders")) {
      assertFalse(translate(sql).arrivingScan(), sql);
    }
  }

  @Test
  void columnsReadArePerTableAndUnionedOverScans() {
    TranslatedQuery q = translate("SELECT o_comment FROM tpch.orders WHERE o_custkey IN"
        + " (SELECT o_custkey FROM tpch.orders WHERE o_totalprice > 5)");
    assertEquals(1, q.tables().size());
    assertEquals(Set.of(1, 2, 4), q.tables().get(0).columns());
  }
}
