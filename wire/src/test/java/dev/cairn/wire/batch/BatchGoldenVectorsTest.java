package dev.cairn.wire.batch;

import static dev.cairn.wire.batch.Fixtures.row;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cairn.wire.Column;
import dev.cairn.wire.ColumnStats;
import dev.cairn.wire.ColumnType;
import dev.cairn.wire.ContentId;
import dev.cairn.wire.TableSchema;
import java.io.IOException;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.Test;

/** The batch golden vector of docs/protocol.md, 5.6, decoded and re-encoded byte for byte. */
class BatchGoldenVectorsTest {
  private static final TableSchema SMALL = new TableSchema(List.of(
      new Column("id", ColumnType.BIGINT, false), new Column("name", ColumnType.VARCHAR, true)));
  private static final List<List<Object>> SMALL_ROWS =
      List.of(row(1L, "a"), row(2L, null), row(3L, "ccc"));

  private static final TableSchema TYPES = new TableSchema(List.of(
      new Column("tz", ColumnType.TIMESTAMPTZ, true), new Column("s", ColumnType.SMALLINT, true),
      new Column("t", ColumnType.TINYINT, true), new Column("r", ColumnType.REAL, true),
      new Column("tm", ColumnType.TIME, true), new Column("b", ColumnType.VARBINARY, true)));
  private static final List<List<Object>> TYPES_ROWS = List.of(
      row(OffsetDateTime.parse("2024-03-01T10:15:30.000001+02:00"), (short) -2, (byte) 7, 1.5f,
          LocalTime.parse("10:15:30"), new byte[] {0, (byte) 0xff}),
      row(null, null, null, null, null, null),
      row(OffsetDateTime.parse("1970-01-01T00:00Z"), (short) 300, (byte) -128, -0.0f,
          LocalTime.MIDNIGHT, new byte[0]));

  @Test
  void batchTypesDecodesAndReencodesToTheSameBytes() throws IOException {
    byte[] golden = goldenBytes("batch-types");
    ContentId id = ContentId.parse(
        "1cecb41ff6442808fb0af9259ee132df7c4f3365d78be0f88739f97e6680dec0");
    try (BufferAllocator allocator = new RootAllocator()) {
      EncodedBatch encoded;
      try (VectorSchemaRoot root = Fixtures.build(TYPES, TYPES_ROWS, allocator)) {
        encoded = new BatchEncoder(allocator).encode(TYPES, root);
      }
      try (DecodedBatch decoded = BatchDecoder.decodeVerified(id, golden, TYPES, allocator)) {
        List<List<Object>> expected = List.of(row(OffsetDateTime.parse(
            "2024-03-01T08:15:30.000001Z"), (short) -2, (byte) 7, 1.5f,
            LocalTime.parse("10:15:30"), new byte[] {0, (byte) 0xff}),
            TYPES_ROWS.get(1), row(OffsetDateTime.parse("1970-01-01T00:00Z"), (short) 300,
            (byte) -128, -0.0f, LocalTime.MIDNIGHT, new byte[0]));
        Fixtures.assertRowsEqual(expected, BatchRows.read(decoded.roots().get(0)));
      }
      assertArrayEquals(golden, encoded.bytes());
      assertEquals(id, encoded.id());
      assertEquals(List.of(new ColumnStats(1, 0L, 1_709_280_930_000_001L),
          new ColumnStats(1, -2, 300), new ColumnStats(1, -128, 7),
          new ColumnStats(1, 0.0, 1.5), new ColumnStats(1, 0L, 36_930_000_000L),
          new ColumnStats(1, null, null)), encoded.columnStats());
      assertEquals(0, allocator.getAllocatedMemory());
    }
  }

  @Test
  void batchSmallDecodesAndReencodesToTheSameBytes() throws IOException {
    byte[] golden = goldenBytes("batch-small");
    ContentId id = ContentId.parse(
        "14e5b70ea88ff8e5c5bf4b713cb4a5e314cec80e5f50b86c03dfa7311dc3bbae");
    try (BufferAllocator allocator = new RootAllocator()) {
      try (DecodedBatch decoded = BatchDecoder.decodeVerified(id, golden, SMALL, allocator)) {
        assertEquals(1, decoded.roots().size());
        Fixtures.assertRowsEqual(SMALL_ROWS, BatchRows.read(decoded.roots().get(0)));
      }
      EncodedBatch encoded;
      try (VectorSchemaRoot root = Fixtures.build(SMALL, SMALL_ROWS, allocator)) {
        encoded = new BatchEncoder(allocator).encode(SMALL, root);
      }
      assertArrayEquals(golden, encoded.bytes());
      assertEquals(id, encoded.id());
      assertEquals(3, encoded.rowCount());
      assertEquals(List.of(new ColumnStats(0, 1L, 3L), new ColumnStats(1, "a", "ccc")),
          encoded.columnStats());
      assertEquals(0, allocator.getAllocatedMemory());
    }
  }

  static byte[] goldenBytes(String name) {
    return dev.cairn.wire.GoldenVectors.hex(name);
  }
}
