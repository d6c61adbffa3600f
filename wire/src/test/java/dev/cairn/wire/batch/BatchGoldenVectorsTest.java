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

  @Test
  void batchSmallDecodesAndReencodesToTheSameBytes() throws IOException {
    byte[] golden = goldenBytes("batch-small");
    ContentId id = ContentId.parse(
        "940df1dca57a3fdffd13bc5fe83a96d94182b1c8681fcdd7056e67563a76fe69");
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

  private static byte[] goldenBytes(String name) {
    return dev.cairn.wire.GoldenVectors.hex(name);
  }
}
