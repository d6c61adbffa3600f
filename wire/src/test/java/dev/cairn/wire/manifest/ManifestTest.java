package dev.cairn.wire.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.wire.CairnException;
import dev.cairn.wire.ColumnStats;
import dev.cairn.wire.ErrorCode;
import dev.cairn.wire.crypto.PublicKey;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** The rules {@link Manifest} enforces on construction; decoding relies on them too. */
class ManifestTest {
  private static final PublicKey WRITER = TestManifests.goldenKey().publicKey();

  private static Manifest withName(String name) {
    Manifest g = TestManifests.golden();
    return new Manifest(name, WRITER, g.version(), g.parentId(), 0, g.schema(), g.redundancy(),
        g.batches());
  }

  /** The golden manifest with the statistics of batch 0 column {@code column} replaced. */
  private static Manifest withStats(int column, ColumnStats replacement) {
    Manifest g = TestManifests.golden();
    BatchRef first = g.batches().get(0);
    List<ColumnStats> stats = new ArrayList<>(first.stats());
    stats.set(column, replacement);
    BatchRef changed = new BatchRef(first.id(), first.byteSize(), first.rowCount(),
        first.chunkRoot(), stats);
    return new Manifest(g.tableName(), WRITER, g.version(), g.parentId(), 0, g.schema(),
        g.redundancy(), List.of(changed, g.batches().get(1)));
  }

  private static void expectBadFormat(Supplier<?> build, String expectedInMessage) {
    CairnException e = assertThrows(CairnException.class, build::get);
    assertEquals(ErrorCode.BAD_FORMAT, e.code(), e.getMessage());
    assertTrue(e.getMessage().contains(expectedInMessage), e.getMessage());
  }

  @Test
  void tableNamesAreSqlIdentifiers() {
    for (String good : new String[] {"a", "_", "Orders_2024", "x".repeat(255)}) {
      assertEquals(good, withName(good).tableName());
    }
    for (String bad : new String[] {"", "1abc", "a-b", "a b", "caf\u00e9", "a/b", "..",
        "x".repeat(256)}) {
      expectBadFormat(() -> withName(bad), "table name");
    }
  }

  @Test
  void versionRules() {
    Manifest g = TestManifests.golden();
    expectBadFormat(() -> new Manifest("t", WRITER, 0, null, 0, g.schema(), g.redundancy(),
        List.of()), "version");
    expectBadFormat(() -> new Manifest("t", WRITER, 1, g.parentId(), 0, g.schema(),
        g.redundancy(), List.of()), "parent");
    // Versions need not be consecutive and a later version may start a new history.
    assertEquals(7, new Manifest("t", WRITER, 7, null, 0, g.schema(), g.redundancy(),
        List.of()).version());
  }

  @Test
  void statsMustMatchTheSchema() {
    expectBadFormat(() -> withStats(0, new ColumnStats(0, 1, 2)), "does not fit");
    expectBadFormat(() -> withStats(0, new ColumnStats(0, 5L, 4L)), "greater than max");
    expectBadFormat(() -> withStats(0, new ColumnStats(1, null, null)), "NOT NULL");
    expectBadFormat(() -> withStats(1, new ColumnStats(0, new BigDecimal("1.5"), null)),
        "scale");
    expectBadFormat(() -> withStats(1,
        new ColumnStats(0, new BigDecimal("10000000000000.00"), null)), "digits");
    expectBadFormat(() -> withStats(3, new ColumnStats(0, "b", "a")), "greater than max");
    expectBadFormat(() -> withStats(3, new ColumnStats(0, "x".repeat(65), null)), "64");
    expectBadFormat(() -> withStats(3, new ColumnStats(0, "\uD800", null)), "surrogate");
  }

  @Test
  void varcharBoundsCompareByUtf8Bytes() {
    // U+FFFD sorts before U+1F600 in UTF-8 (and code points), but after it in UTF-16.
    Manifest m = withStats(3, new ColumnStats(0, "\uFFFD", "\uD83D\uDE00"));
    assertEquals("\uFFFD", m.batches().get(0).stats().get(3).min());
  }

  @Test
  void doubleBoundsMayNotBeNaN() {
    Manifest every = TestManifests.everyType(TestManifests.goldenKey());
    List<ColumnStats> stats = new ArrayList<>(every.batches().get(1).stats());
    stats.set(2, new ColumnStats(0, 1.0, Double.NaN));
    BatchRef batch = new BatchRef(every.batches().get(1).id(), 1, 1, null, stats);
    expectBadFormat(() -> new Manifest(every.tableName(), every.writerKey(), 1, null, 0,
        every.schema(), every.redundancy(), List.of(batch)), "NaN");
  }

  @Test
  void batchRules() {
    BatchRef g = TestManifests.golden().batches().get(0);
    expectBadFormat(() -> new BatchRef(g.id(), -1, 1, null, g.stats()), "negative");
    expectBadFormat(() -> new BatchRef(g.id(), 1, 1, null, g.stats()), "exceeds row count");
  }

  @Test
  void statsCountMustEqualColumnCount() {
    Manifest g = TestManifests.golden();
    BatchRef first = g.batches().get(0);
    BatchRef short1 = new BatchRef(first.id(), 1, 100, null, first.stats().subList(0, 3));
    expectBadFormat(() -> new Manifest("t", WRITER, 2, g.parentId(), 0, g.schema(),
        g.redundancy(), List.of(short1)), "statistics entries");
  }

  @Test
  void redundancyBounds() {
    assertEquals(16, RedundancyPolicy.replicas(16).replicas());
    expectBadFormat(() -> RedundancyPolicy.replicas(0), "replica");
    expectBadFormat(() -> RedundancyPolicy.replicas(17), "replica");
  }
}
