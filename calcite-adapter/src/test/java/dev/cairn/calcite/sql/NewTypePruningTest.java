package dev.cairn.calcite.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.calcite.StaticCatalog;
import dev.cairn.calcite.runtime.BatchPruner;
import dev.cairn.calcite.sql.PruningPredicate.Op;
import dev.cairn.wire.ColumnStats;
import dev.cairn.wire.ColumnType;
import dev.cairn.wire.ContentId;
import dev.cairn.wire.manifest.BatchRef;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Pruning on the column types added for issue 20: what a filter on each gives, and that the
 * batches it skips (by signed bounds) really hold no matching row.
 */
class NewTypePruningTest {
  private final QueryTranslator translator = new QueryTranslator();
  private final StaticCatalog catalog = new StaticCatalog(List.of(TestCatalogs.table("shop",
      "readings", 1, TestCatalogs.col("tz", ColumnType.TIMESTAMPTZ),
      TestCatalogs.col("s", ColumnType.SMALLINT), TestCatalogs.col("t", ColumnType.TINYINT),
      TestCatalogs.col("r", ColumnType.REAL), TestCatalogs.col("tm", ColumnType.TIME),
      TestCatalogs.col("b", ColumnType.VARBINARY))));

  private List<PruningPredicate> pruning(String where) {
    TranslatedQuery q = translator.translate("SELECT * FROM shop.readings WHERE " + where,
        catalog);
    return q.tables().get(0).pruning();
  }

  private static PruningPredicate p(int column, String name, Op op, Object... values) {
    return new PruningPredicate(column, name, op, List.of(values));
  }

  private static boolean mayMatch(Object min, Object max, List<PruningPredicate> predicates) {
    List<ColumnStats> stats = new java.util.ArrayList<>();
    for (int column = 0; column < 6; column++) {
      stats.add(new ColumnStats(0, null, null));
    }
    stats.set(predicates.get(0).column(), new ColumnStats(0, min, max));
    return BatchPruner.mayMatch(new BatchRef(ContentId.of(new byte[] {1}), 10, 5, null, stats),
        predicates);
  }

  @Test
  void smallIntegersCompareAsIntegers() {
    List<PruningPredicate> found = pruning("s BETWEEN -5 AND 5 AND t > 100");
    assertEquals(List.of(p(1, "s", Op.BETWEEN, -5, 5), p(2, "t", Op.GT, 100)).size(),
        found.size(), found.toString());
    assertTrue(found.contains(p(1, "s", Op.BETWEEN, -5, 5)), found.toString());
    assertTrue(found.contains(p(2, "t", Op.GT, 100)), found.toString());
    assertFalse(mayMatch(6, 300, List.of(p(1, "s", Op.BETWEEN, -5, 5))));
    assertTrue(mayMatch(5, 300, List.of(p(1, "s", Op.BETWEEN, -5, 5))));
    assertTrue(pruning("s = 40000").isEmpty() || !mayMatch(-32768, 32767,
        pruning("s = 40000")), "a literal out of SMALLINT range proves nothing wrong");
  }

  @Test
  void realLiteralsAreLoosenedToCoverFloatAndDoubleComparison() {
    List<PruningPredicate> found = pruning("r = 0.1");
    assertEquals(1, found.size(), found.toString());
    PruningPredicate eq = found.get(0);
    assertEquals(Op.BETWEEN, eq.op());
    // The batch holding exactly 0.1f (bounds are its exact double) must be kept.
    assertTrue(mayMatch((double) 0.1f, (double) 0.1f, found));
    assertFalse(mayMatch(0.2, 0.3, found));
    List<PruningPredicate> greater = pruning("r > 0.1");
    assertEquals(Op.GE, greater.get(0).op());
    assertTrue(mayMatch((double) 0.1f, (double) 0.1f, greater), "0.1f > 0.1 in double");
    assertFalse(mayMatch(-1.0, 0.09, greater));
  }

  @Test
  void timesAndInstantsCompareAsMicroseconds() {
    List<PruningPredicate> time = pruning("tm < TIME '00:30:00'");
    assertEquals(List.of(p(4, "tm", Op.LT, 1_800_000_000L)), time);
    assertFalse(mayMatch(1_800_000_000L, 86_400_000_000L, time));
    List<PruningPredicate> instant = pruning("tz >= TIMESTAMP '2024-03-20 00:00:00'");
    long micros = LocalDateTime.parse("2024-03-20T00:00").toEpochSecond(ZoneOffset.UTC)
        * 1_000_000L;
    assertEquals(List.of(p(0, "tz", Op.GE, micros)), instant);
    assertFalse(mayMatch(0L, micros - 1, instant));
    assertTrue(mayMatch(0L, micros, instant));
  }

  @Test
  void blobsPruneOnlyBatchesWithoutValues() {
    List<PruningPredicate> found = pruning("b = X'01ff'");
    assertEquals(1, found.size(), found.toString());
    assertTrue(mayMatch(null, null, found), "no bounds: a batch with values is kept");
    BatchRef allNull = new BatchRef(ContentId.of(new byte[] {1}), 10, 5, null, List.of(
        new ColumnStats(0, null, null), new ColumnStats(0, null, null),
        new ColumnStats(0, null, null), new ColumnStats(0, null, null),
        new ColumnStats(0, null, null), new ColumnStats(5, null, null)));
    assertFalse(BatchPruner.mayMatch(allNull, found));
  }
}
