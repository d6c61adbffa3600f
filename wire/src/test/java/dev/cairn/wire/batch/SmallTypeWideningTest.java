package dev.cairn.wire.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.wire.Column;
import dev.cairn.wire.ColumnStats;
import dev.cairn.wire.ColumnType;
import dev.cairn.wire.TypeWidening;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.SmallIntVector;
import org.apache.arrow.vector.TinyIntVector;
import org.junit.jupiter.api.Test;

/**
 * The lattice edges of the narrow kinds (TINYINT → SMALLINT → INTEGER → BIGINT, REAL →
 * DOUBLE): old batches' values and bounds read exactly as the wider type.
 */
class SmallTypeWideningTest {
  @Test
  void narrowIntegersAndRealWidenAlongTheLatticeOnly() {
    assertTrue(TypeWidening.widensTo(ColumnType.TINYINT, ColumnType.SMALLINT));
    assertTrue(TypeWidening.widensTo(ColumnType.TINYINT, ColumnType.BIGINT));
    assertTrue(TypeWidening.widensTo(ColumnType.SMALLINT, ColumnType.INTEGER));
    assertTrue(TypeWidening.widensTo(ColumnType.REAL, ColumnType.DOUBLE));
    assertFalse(TypeWidening.widensTo(ColumnType.SMALLINT, ColumnType.TINYINT));
    assertFalse(TypeWidening.widensTo(ColumnType.DOUBLE, ColumnType.REAL));
    assertFalse(TypeWidening.widensTo(ColumnType.TINYINT, ColumnType.REAL));
    assertFalse(TypeWidening.widensTo(ColumnType.TIMESTAMP, ColumnType.TIMESTAMPTZ));
    assertEquals(ColumnType.INTEGER, TypeWidening.wider(ColumnType.TINYINT, ColumnType.INTEGER));
  }

  @Test
  void boundsOfNarrowKindsBecomeBoundsOfTheWiderOnes() {
    ColumnStats tiny = new ColumnStats(1, -128, 127);
    ColumnStats asBig = TypeWidening.widenStats(tiny, ColumnType.TINYINT, ColumnType.BIGINT);
    assertEquals(-128L, asBig.min());
    assertEquals(127L, asBig.max());
    assertEquals(1, asBig.nullCount());
    assertEquals(0.5d, TypeWidening.widenBound(0.5d, ColumnType.REAL, ColumnType.DOUBLE));
  }

  @Test
  void vectorsOfNarrowKindsWidenValueForValueWithTheirNulls() {
    try (BufferAllocator allocator = new RootAllocator();
        TinyIntVector tiny = new TinyIntVector("t", allocator);
        Float4Vector real = new Float4Vector("r", allocator)) {
      tiny.allocateNew(3);
      tiny.set(0, -128);
      tiny.setNull(1);
      tiny.set(2, 127);
      tiny.setValueCount(3);
      try (FieldVector small = WidenedVectors.widen(tiny, ColumnType.TINYINT,
              new Column("t", ColumnType.SMALLINT, true), allocator);
          FieldVector big = WidenedVectors.widen(tiny, ColumnType.TINYINT,
              new Column("t", ColumnType.BIGINT, true), allocator)) {
        assertEquals(-128, ((SmallIntVector) small).get(0));
        assertTrue(small.isNull(1));
        assertEquals(127, ((SmallIntVector) small).get(2));
        assertEquals(-128L, ((BigIntVector) big).get(0));
        assertTrue(big.isNull(1));
      }
      real.allocateNew(2);
      real.set(0, 0.1f);
      real.setNull(1);
      real.setValueCount(2);
      try (FieldVector wide = WidenedVectors.widen(real, ColumnType.REAL,
          new Column("r", ColumnType.DOUBLE, true), allocator)) {
        assertEquals((double) 0.1f, ((Float8Vector) wide).get(0));
        assertTrue(wide.isNull(1));
      }
    }
  }
}
