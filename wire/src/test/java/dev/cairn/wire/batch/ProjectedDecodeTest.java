package dev.cairn.wire.batch;

import static dev.cairn.wire.batch.Fixtures.ALL_TYPES;
import static dev.cairn.wire.batch.Fixtures.assertRowsEqual;
import static dev.cairn.wire.batch.Fixtures.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.wire.Column;
import dev.cairn.wire.ColumnType;
import dev.cairn.wire.TableSchema;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Decoding only some columns of a blob (projection pushdown). */
class ProjectedDecodeTest {
  private final BufferAllocator allocator = new RootAllocator();
  private final BatchEncoder encoder = new BatchEncoder(allocator);

  @AfterEach
  void noLeak() {
    assertEquals(0, allocator.getAllocatedMemory());
    allocator.close();
  }

  @Test
  void everySubsetOfColumnsDecodesToTheProjectedRows() {
    List<List<Object>> first = Fixtures.extremeRows();
    List<List<Object>> second = List.of(row(7L, 1, 1.5, null, null, null, "b", true));
    EncodedBatch encoded;
    try (VectorSchemaRoot a = Fixtures.build(ALL_TYPES, first, allocator);
        VectorSchemaRoot b = Fixtures.build(ALL_TYPES, second, allocator)) {
      encoded = encoder.encode(ALL_TYPES, List.of(a, b));
    }
    List<List<Object>> all = new ArrayList<>(first);
    all.addAll(second);
    for (int m = 1; m < 1 << ALL_TYPES.size(); m++) {
      int mask = m;
      int[] columns = java.util.stream.IntStream.range(0, ALL_TYPES.size())
          .filter(i -> (mask & (1 << i)) != 0).toArray();
      try (DecodedBatch decoded = BatchDecoder.decode(encoded.bytes(), ALL_TYPES, columns,
          allocator)) {
        assertEquals(ALL_TYPES.project(columns), decoded.schema());
        assertEquals(2, decoded.roots().size());
        List<List<Object>> rows = new ArrayList<>();
        decoded.roots().forEach(root -> rows.addAll(BatchRows.read(root)));
        assertRowsEqual(project(all, columns), rows);
      }
    }
  }

  @Test
  void columnsNotAskedForAreNeverDecompressed() {
    TableSchema schema = new TableSchema(List.of(new Column("k", ColumnType.INTEGER, false),
        new Column("blob", ColumnType.VARCHAR, false)));
    Random random = new Random(1);
    List<List<Object>> rows = new ArrayList<>();
    for (int i = 0; i < 2_000; i++) {
      byte[] text = new byte[500];
      for (int j = 0; j < text.length; j++) {
        text[j] = (byte) ('a' + random.nextInt(26));
      }
      rows.add(row(i, new String(text, java.nio.charset.StandardCharsets.US_ASCII)));
    }
    EncodedBatch encoded;
    try (VectorSchemaRoot root = Fixtures.build(schema, rows, allocator)) {
      encoded = encoder.encode(schema, root);
    }
    long projectedPeak = peakOfDecoding(encoded, schema, new int[] {0});
    long fullPeak = peakOfDecoding(encoded, schema, new int[] {0, 1});
    // The strings are 1 MB once decompressed; decoding the key column alone must not pay it.
    assertTrue(fullPeak - projectedPeak > 900_000,
        "full decode peak " + fullPeak + ", projected " + projectedPeak);
  }

  private long peakOfDecoding(EncodedBatch encoded, TableSchema schema, int[] columns) {
    try (BufferAllocator child = allocator.newChildAllocator("decode", 0, Long.MAX_VALUE);
        DecodedBatch decoded = BatchDecoder.decode(encoded.bytes(), schema, columns, child)) {
      assertEquals(2_000, decoded.rowCount());
      long peak = child.getPeakMemoryAllocation();
      decoded.close();
      return peak;
    }
  }

  @Test
  void columnIndexesMustIncreaseWithinTheSchema() {
    EncodedBatch encoded;
    try (VectorSchemaRoot root = Fixtures.build(ALL_TYPES, Fixtures.extremeRows(), allocator)) {
      encoded = encoder.encode(ALL_TYPES, root);
    }
    for (int[] bad : new int[][] {{}, {1, 1}, {2, 1}, {-1}, {ALL_TYPES.size()}}) {
      assertThrows(RuntimeException.class,
          () -> BatchDecoder.decode(encoded.bytes(), ALL_TYPES, bad, allocator).close());
    }
  }

  private static List<List<Object>> project(List<List<Object>> rows, int[] columns) {
    List<List<Object>> out = new ArrayList<>();
    for (List<Object> r : rows) {
      List<Object> projected = new ArrayList<>();
      for (int c : columns) {
        projected.add(r.get(c));
      }
      out.add(projected);
    }
    return out;
  }
}
