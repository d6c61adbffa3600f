package dev.cairn.calcite.runtime;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.calcite.sql.PruningPredicate;
import dev.cairn.calcite.sql.PruningPredicate.Op;
import dev.cairn.wire.ColumnStats;
import dev.cairn.wire.ContentId;
import dev.cairn.wire.manifest.BatchRef;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Pruning is sound: it skips only what the bounds prove empty. */
class BatchPrunerTest {
  private static BatchRef batch(Object min, Object max, long nulls) {
    return new BatchRef(ContentId.of(new byte[] {1}), 10, 5, null,
        List.of(new ColumnStats(nulls, min, max)));
  }

  private static PruningPredicate p(Op op, Object... values) {
    return new PruningPredicate(0, "c", op, List.of(values));
  }

  @Test
  void boundsProveWhatCannotMatch() {
    BatchRef b = batch(10L, 20L, 0);
    assertTrue(BatchPruner.mayMatch(b, List.of(p(Op.EQ, 10L))));
    assertFalse(BatchPruner.mayMatch(b, List.of(p(Op.EQ, 21L))));
    assertFalse(BatchPruner.mayMatch(b, List.of(p(Op.LT, 10L))));
    assertTrue(BatchPruner.mayMatch(b, List.of(p(Op.LE, 10L))));
    assertFalse(BatchPruner.mayMatch(b, List.of(p(Op.GT, 20L))));
    assertTrue(BatchPruner.mayMatch(b, List.of(p(Op.GE, 20L))));
    assertFalse(BatchPruner.mayMatch(b, List.of(p(Op.BETWEEN, 21L, 30L))));
    assertTrue(BatchPruner.mayMatch(b, List.of(p(Op.BETWEEN, 0L, 10L))));
    assertFalse(BatchPruner.mayMatch(b, List.of(p(Op.IN, 1L, 30L))));
    assertTrue(BatchPruner.mayMatch(b, List.of(p(Op.IN, 1L, 15L))));
    assertFalse(BatchPruner.mayMatch(b, List.of(p(Op.GE, 0L), p(Op.GT, 20L))));
  }

  @Test
  void unknownBoundsAndOddValuesProveNothing() {
    assertTrue(BatchPruner.mayMatch(batch(null, 20L, 0), List.of(p(Op.LT, 0L))));
    assertTrue(BatchPruner.mayMatch(batch(10L, 20L, 0), List.of(p(Op.EQ, "x"))));
    assertTrue(BatchPruner.mayMatch(batch(1.0, 2.0, 0), List.of(p(Op.EQ, Double.NaN))));
    assertFalse(BatchPruner.mayMatch(batch(null, null, 5), List.of(p(Op.EQ, 1L))),
        "all NULL: no predicate holds");
    assertFalse(BatchPruner.mayMatch(batch(new BigDecimal("1.50"), new BigDecimal("2.00"), 0),
        List.of(p(Op.GT, new BigDecimal("2")))));
    assertTrue(BatchPruner.mayMatch(batch("\uE000", "\uE000", 0),
        List.of(p(Op.LT, "\uD83D\uDE00"))), "code point order, not UTF-16 order");
  }
}
