package dev.cairn.wire.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.wire.CairnException;
import dev.cairn.wire.Column;
import dev.cairn.wire.ColumnStats;
import dev.cairn.wire.ColumnType;
import dev.cairn.wire.ErrorCode;
import dev.cairn.wire.TableSchema;
import java.time.Instant;
import java.time.LocalTime;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.TimeMicroVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The column types added after the first eight: Arrow inputs map to them, batches of them
 * round-trip, their statistics follow docs/protocol.md 5.4, and the checks Arrow lacks hold.
 */
class NewTypeBatchTest {
  private final BufferAllocator allocator = new RootAllocator();

  @AfterEach
  void noLeak() {
    assertEquals(0, allocator.getAllocatedMemory());
    allocator.close();
  }

  @Test
  void arrowInputTypesMapToTheNewKinds() {
    assertEquals(ColumnType.SMALLINT, ColumnType.fromArrow(new ArrowType.Int(16, true)));
    assertEquals(ColumnType.TINYINT, ColumnType.fromArrow(new ArrowType.Int(8, true)));
    assertEquals(ColumnType.REAL, ColumnType.fromArrow(
        new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE)));
    assertEquals(ColumnType.TIMESTAMPTZ, ColumnType.fromArrow(
        new ArrowType.Timestamp(TimeUnit.MICROSECOND, "America/New_York")));
    assertEquals(ColumnType.TIME, ColumnType.fromArrow(
        new ArrowType.Time(TimeUnit.MICROSECOND, 64)));
    assertEquals(ColumnType.VARBINARY, ColumnType.fromArrow(ArrowType.Binary.INSTANCE));
    assertEquals(new ArrowType.Timestamp(TimeUnit.MICROSECOND, "UTC"),
        ColumnType.TIMESTAMPTZ.toArrow());
    for (ArrowType refused : List.of(new ArrowType.Int(16, false),
        new ArrowType.Time(TimeUnit.MILLISECOND, 32),
        new ArrowType.Timestamp(TimeUnit.NANOSECOND, "UTC"),
        new ArrowType.FloatingPoint(FloatingPointPrecision.HALF))) {
      CairnException e = assertThrows(CairnException.class, () -> ColumnType.fromArrow(refused));
      assertEquals(ErrorCode.BAD_FORMAT, e.code(), refused.toString());
    }
  }

  @Test
  void sqlNamesParseToTheNewKinds() {
    assertEquals(ColumnType.TIMESTAMPTZ, ColumnType.parse("timestamp with time zone"));
    assertEquals(ColumnType.TIMESTAMPTZ, ColumnType.parse("TIMESTAMPTZ"));
    assertEquals(ColumnType.SMALLINT, ColumnType.parse("int2"));
    assertEquals(ColumnType.TINYINT, ColumnType.parse("TINYINT"));
    assertEquals(ColumnType.REAL, ColumnType.parse("float4"));
    assertEquals(ColumnType.TIME, ColumnType.parse("time"));
    assertEquals(ColumnType.VARBINARY, ColumnType.parse("BLOB"));
    assertEquals(ColumnType.VARBINARY, ColumnType.parse("varbinary(16)"));
  }

  @Test
  void realStatisticsNeverHoldNanOrNegativeZero() {
    TableSchema schema = one(ColumnType.REAL);
    assertEquals(new ColumnStats(1, 0.0, 2.5f + 0.0), stats(schema, List.of(
        List.of(-0.0f), List.of(2.5f), java.util.Arrays.asList((Object) null))));
    ColumnStats withNaN = stats(schema, List.of(List.of(Float.NaN), List.of(-1.25f)));
    assertEquals(new ColumnStats(0, -1.25, null), withNaN);
    // A float's bound is its exact double, not the double nearest its decimal text.
    assertEquals((double) 0.1f, stats(schema, List.of(List.of(0.1f))).min());
  }

  @Test
  void smallIntegerAndTimeStatisticsAreReadAtTheirWidth() {
    assertEquals(new ColumnStats(0, -32768, 32767), stats(one(ColumnType.SMALLINT),
        List.of(List.of((short) 32767), List.of((short) -32768))));
    assertEquals(new ColumnStats(0, -128, 127), stats(one(ColumnType.TINYINT),
        List.of(List.of((byte) 127), List.of((byte) -128))));
    assertEquals(new ColumnStats(0, 1L, 86_399_999_999L), stats(one(ColumnType.TIME),
        List.of(List.of(LocalTime.MAX.withNano(999_999_000)), List.of(1L))));
    assertEquals(new ColumnStats(0, -1L, 0L), stats(one(ColumnType.TIMESTAMPTZ), List.of(
        List.of(Instant.EPOCH), List.of(Instant.EPOCH.minusNanos(1_000)))));
    assertEquals(new ColumnStats(0, null, null), stats(one(ColumnType.VARBINARY),
        List.of(List.of(new byte[] {1}), List.of(new byte[0]))));
  }

  @Test
  void aBatchOfEveryNewTypeRoundTrips() {
    TableSchema schema = new TableSchema(List.of(new Column("tz", ColumnType.TIMESTAMPTZ, true),
        new Column("s", ColumnType.SMALLINT, true), new Column("t", ColumnType.TINYINT, true),
        new Column("r", ColumnType.REAL, true), new Column("tm", ColumnType.TIME, true),
        new Column("b", ColumnType.VARBINARY, true)));
    List<List<Object>> rows = List.of(
        Fixtures.row(Instant.parse("1969-12-31T23:59:59.999999Z").atOffset(
            java.time.ZoneOffset.UTC), (short) -1, (byte) 1, Float.NaN,
            LocalTime.of(23, 59, 59, 999_999_000), new byte[] {(byte) 0x80, 0}),
        Fixtures.row(null, null, null, null, null, null));
    try (VectorSchemaRoot root = Fixtures.build(schema, rows, allocator)) {
      EncodedBatch encoded = new BatchEncoder(allocator).encode(schema, root);
      try (DecodedBatch decoded = BatchDecoder.decode(encoded.bytes(), schema, allocator)) {
        Fixtures.assertRowsEqual(rows, BatchRows.read(decoded.roots().get(0)));
      }
    }
  }

  @Test
  void aTimeOutsideTheDayIsRefusedByBuilderEncoderAndDecoder() {
    TableSchema schema = one(ColumnType.TIME);
    try (BatchBuilder builder = new BatchBuilder(schema, allocator)) {
      CairnException e = assertThrows(CairnException.class,
          () -> builder.addRow(86_400_000_001L));
      assertEquals(ErrorCode.BAD_FORMAT, e.code());
    }
    try (VectorSchemaRoot root = Fixtures.build(schema, List.of(List.of(5L)), allocator)) {
      ((TimeMicroVector) root.getVector(0)).set(0, -1L); // what Arrow itself lets through
      CairnException e = assertThrows(CairnException.class,
          () -> new BatchEncoder(allocator).encode(schema, root));
      assertTrue(e.getMessage().contains("outside"), e.getMessage());
    }
  }

  private ColumnStats stats(TableSchema schema, List<List<Object>> rows) {
    try (VectorSchemaRoot root = Fixtures.build(schema, rows, allocator)) {
      return ColumnStatsCollector.collect(schema, List.of(root)).get(0);
    }
  }

  private static TableSchema one(ColumnType type) {
    return new TableSchema(List.of(new Column("c", type, true)));
  }
}
