package dev.cairn.calcite.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.calcite.StaticCatalog;
import dev.cairn.calcite.sql.PruningPredicate.Op;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Pruning predicates: what they must find, and the unsound shapes that must give none. */
class PruningTest {
  private final QueryTranslator translator = new QueryTranslator();
  private final StaticCatalog catalog = TestCatalogs.shop();

  private List<PruningPredicate> pruning(String sql, String table) {
    TranslatedQuery q = translator.translate(sql, catalog);
    return q.tables().stream().filter(t -> t.table().equals(table)).findFirst().orElseThrow()
        .pruning();
  }

  private static PruningPredicate p(int column, String name, Op op, Object... values) {
    return new PruningPredicate(column, name, op, List.of(values));
  }

  private static int days(String date) {
    return (int) LocalDate.parse(date).toEpochDay();
  }

  @Test
  void comparisonsOfEveryKind() {
    List<PruningPredicate> found = pruning("SELECT name FROM shop.items WHERE id >= 5"
        + " AND 100.5 > price AND name = 'bolt' AND active = false"
        + " AND added < timestamp '2024-01-02 03:04:05.123456' AND value <= 7", "items");
    long micros = LocalDateTime.parse("2024-01-02T03:04:05.123456").toEpochSecond(ZoneOffset.UTC)
        * 1_000_000L + 123_456L;
    assertTrue(found.containsAll(List.of(p(0, "id", Op.GE, 5), p(2, "price", Op.LT, 100.5),
        p(1, "name", Op.EQ, "bolt"), p(4, "active", Op.EQ, false),
        p(3, "added", Op.LT, micros), p(5, "value", Op.LE, 7L))), found.toString());
    assertEquals(6, found.size(), found.toString());
  }

  @Test
  void betweenInAndDateArithmetic() {
    List<PruningPredicate> found = pruning("SELECT l_orderkey FROM tpch.lineitem"
        + " WHERE l_shipdate <= date '1998-12-01' - interval '90' day"
        + " AND l_discount BETWEEN 0.06 - 0.01 AND 0.06 + 0.01"
        + " AND l_returnflag IN ('A', 'R') AND l_linenumber IN (1, 2, 3)", "lineitem");
    assertTrue(found.contains(p(3, "l_shipdate", Op.LE, days("1998-09-02"))), found.toString());
    PruningPredicate discount = found.stream().filter(x -> x.column() == 2).findFirst()
        .orElseThrow();
    assertEquals(Op.BETWEEN, discount.op());
    assertEquals(0, new BigDecimal("0.05").compareTo((BigDecimal) discount.values().get(0)));
    assertEquals(0, new BigDecimal("0.07").compareTo((BigDecimal) discount.values().get(1)));
    assertTrue(found.contains(p(4, "l_returnflag", Op.IN, "A", "R")), found.toString());
    assertTrue(found.contains(p(5, "l_linenumber", Op.IN, 1, 2, 3)), found.toString());
  }

  @Test
  void filtersReachScansThroughJoinsSubqueriesAndAggregates() {
    List<PruningPredicate> found = pruning("SELECT o_custkey, sum(t) FROM (SELECT o_custkey,"
        + " o_totalprice AS t FROM tpch.orders o JOIN tpch.lineitem l ON o_orderkey = l_orderkey"
        + " WHERE o_orderdate >= date '1995-01-01') x WHERE o_custkey = 42 GROUP BY o_custkey",
        "orders");
    assertTrue(found.contains(p(3, "o_orderdate", Op.GE, days("1995-01-01"))), found.toString());
    assertTrue(found.contains(p(1, "o_custkey", Op.EQ, 42L)), found.toString());
    List<PruningPredicate> inSubquery = pruning("SELECT o_orderkey FROM tpch.orders WHERE"
        + " EXISTS (SELECT 1 FROM tpch.lineitem WHERE l_orderkey = o_orderkey"
        + " AND l_linenumber = 1)",
        "lineitem");
    assertEquals(List.of(p(5, "l_linenumber", Op.EQ, 1)), inSubquery);
  }

  @Test
  void filterOnTheNullProducingSideOfAnOuterJoinGivesNothing() {
    assertEquals(List.of(), pruning("SELECT o_orderkey FROM tpch.orders o LEFT JOIN"
        + " tpch.lineitem l ON o_orderkey = l_orderkey WHERE l_linenumber = 1 OR l_linenumber"
        + " IS NULL", "lineitem"));
    assertEquals(List.of(), pruning("SELECT o_orderkey, l_linenumber FROM tpch.orders o LEFT JOIN"
        + " tpch.lineitem l ON o_orderkey = l_orderkey AND o_custkey = 5", "orders"));
    assertEquals(List.of(), pruning("SELECT o_orderkey FROM tpch.orders o FULL JOIN"
        + " tpch.lineitem l ON o_orderkey = l_orderkey AND l_linenumber = 1", "orders"));
  }

  @Test
  void predicatesUnderOrOrNotGiveNothing() {
    assertEquals(List.of(), pruning("SELECT id FROM shop.items WHERE id = 1 OR name = 'x'",
        "items"));
    assertEquals(List.of(), pruning("SELECT id FROM shop.items WHERE NOT (id > 1)"
        + " OR id IS NULL", "items"));
    assertEquals(List.of(), pruning("SELECT id FROM shop.items WHERE id NOT IN (1, 2)",
        "items"));
    assertEquals(List.of(), pruning("SELECT id FROM shop.items WHERE id <> 3", "items"));
  }

  @Test
  void equalitiesOfOneColumnUnderOrAreAnInList() {
    StaticCatalog ids = new StaticCatalog(List.of(TestCatalogs.table("shop", "ids", 1,
        TestCatalogs.col("u", dev.cairn.wire.ColumnType.UUID),
        TestCatalogs.col("n", dev.cairn.wire.ColumnType.INTEGER))));
    // Text against a UUID column: Calcite keeps the IN list as an OR of equalities.
    List<PruningPredicate> found = translator.translate("SELECT n FROM shop.ids WHERE u IN ("
        + "'80000000-0000-4000-8000-000000000001', 'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11', "
        + "'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11')", ids).tables().get(0).pruning();
    assertEquals(List.of(p(0, "u", Op.IN, "80000000-0000-4000-8000-000000000001",
        "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11")), found);
    assertEquals(List.of(p(0, "u", Op.EQ, "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11")),
        translator.translate("SELECT n FROM shop.ids WHERE u = "
            + "'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11' OR "
            + "u = 'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11'", ids).tables().get(0).pruning());
    for (String mixed : List.of("u = 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11' OR n = 1",
        "u = 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11' OR u > "
            + "'b0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'",
        "u = 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11' OR u IS NULL")) {
      assertEquals(List.of(), translator.translate("SELECT n FROM shop.ids WHERE " + mixed,
          ids).tables().get(0).pruning(), mixed);
    }
  }

  @Test
  void aTableScannedTwiceKeepsOnlyCommonPredicates() {
    assertEquals(List.of(), pruning("SELECT id FROM shop.items WHERE id = 1 UNION ALL"
        + " SELECT id FROM shop.items WHERE id = 2", "items"));
    assertEquals(List.of(p(0, "id", Op.GT, 0)), pruning("SELECT a.id FROM shop.items a,"
        + " shop.items b WHERE a.id > 0 AND b.id > 0 AND a.name = 'x' AND a.id = b.id", "items"));
  }

  @Test
  void inexactLiteralsAndExpressionsGiveNothing() {
    assertEquals(List.of(), pruning("SELECT id FROM shop.items WHERE id = 1.5 AND id + 1 = 3"
        + " AND lower(name) = 'a' AND id = ?", "items"));
  }

  @Test
  void castsOfLiteralsPruneOnlyWhenTheyChangeNothing() {
    // DuckDB rounds CAST(2.5 AS INTEGER) to 3: pruning on 2.5 would skip batches holding 3.
    assertEquals(List.of(), pruning("SELECT id FROM shop.items WHERE id = CAST(2.5 AS INTEGER)"
        + " AND value > CAST('7.5' AS BIGINT)", "items"));
    assertEquals(List.of(p(0, "id", Op.EQ, 3), p(5, "value", Op.GT, 7L)),
        pruning("SELECT id FROM shop.items WHERE id = CAST(3.0 AS INTEGER)"
            + " AND value > CAST('7' AS BIGINT)", "items"));
  }
}
