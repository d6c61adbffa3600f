package dev.cairn.wire.batch;

import static dev.cairn.wire.batch.Fixtures.ALL_TYPES;
import static dev.cairn.wire.batch.Fixtures.assertRowsEqual;
import static dev.cairn.wire.batch.Fixtures.row;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.cairn.wire.CairnException;
import dev.cairn.wire.Column;
import dev.cairn.wire.ColumnType;
import dev.cairn.wire.ContentId;
import dev.cairn.wire.ErrorCode;
import dev.cairn.wire.TableSchema;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BatchRoundTripTest {
  private final BufferAllocator allocator = new RootAllocator();
  private final BatchEncoder encoder = new BatchEncoder(allocator);

  @AfterEach
  void noLeak() {
    assertEquals(0, allocator.getAllocatedMemory());
    allocator.close();
  }

  private EncodedBatch encode(TableSchema schema, List<List<Object>> rows) {
    try (VectorSchemaRoot root = Fixtures.build(schema, rows, allocator)) {
      return encoder.encode(schema, root);
    }
  }

  private List<List<Object>> decodeRows(EncodedBatch encoded, TableSchema schema) {
    try (DecodedBatch decoded = BatchDecoder.decodeVerified(encoded.id(), encoded.bytes(),
        schema, allocator)) {
      List<List<Object>> rows = new ArrayList<>();
      decoded.roots().forEach(root -> rows.addAll(BatchRows.read(root)));
      assertEquals(encoded.rowCount(), decoded.rowCount());
      return rows;
    }
  }

  @Test
  void everyTypeWithNullsAndExtremesRoundTrips() {
    List<List<Object>> rows = Fixtures.extremeRows();
    EncodedBatch encoded = encode(ALL_TYPES, rows);
    assertEquals(rows.size(), encoded.rowCount());
    assertEquals(ContentId.of(encoded.bytes()), encoded.id());
    assertRowsEqual(rows, decodeRows(encoded, ALL_TYPES));
  }

  @Test
  void zeroRowBatchRoundTrips() {
    EncodedBatch encoded = encode(ALL_TYPES, List.of());
    assertEquals(0, encoded.rowCount());
    assertEquals(ALL_TYPES.size(), encoded.columnStats().size());
    assertEquals(List.of(), decodeRows(encoded, ALL_TYPES));
  }

  @Test
  void severalRecordBatchesStayInOrder() {
    List<List<Object>> first = Fixtures.extremeRows();
    List<List<Object>> second = List.of(row(7L, 1, 1.5, null, null, null, "b", true));
    EncodedBatch encoded;
    try (VectorSchemaRoot a = Fixtures.build(ALL_TYPES, first, allocator);
        VectorSchemaRoot b = Fixtures.build(ALL_TYPES, second, allocator);
        VectorSchemaRoot empty = Fixtures.build(ALL_TYPES, List.of(), allocator)) {
      encoded = encoder.encode(ALL_TYPES, List.of(a, empty, b));
    }
    List<List<Object>> all = new ArrayList<>(first);
    all.addAll(second);
    assertEquals(all.size(), encoded.rowCount());
    try (DecodedBatch decoded = BatchDecoder.decode(encoded.bytes(), ALL_TYPES, allocator)) {
      assertEquals(3, decoded.roots().size());
      assertEquals(List.of(5, 0, 1),
          decoded.roots().stream().map(VectorSchemaRoot::getRowCount).toList());
    }
    assertRowsEqual(all, decodeRows(encoded, ALL_TYPES));
  }

  @Test
  void sameRowsGiveSameBytes() {
    List<List<Object>> rows = Fixtures.extremeRows();
    assertArrayEquals(encode(ALL_TYPES, rows).bytes(), encode(ALL_TYPES, rows).bytes());
  }

  @Test
  void bytesUnderNullsDoNotChangeTheBlob() {
    TableSchema schema = new TableSchema(List.of(new Column("n", ColumnType.BIGINT, true),
        new Column("s", ColumnType.VARCHAR, true)));
    byte[] clean = encode(schema, List.of(row(null, null), row(5L, "x"))).bytes();
    try (VectorSchemaRoot dirty = VectorSchemaRoot.create(schema.toArrow(), allocator)) {
      BigIntVector numbers = (BigIntVector) dirty.getVector(0);
      VarCharVector strings = (VarCharVector) dirty.getVector(1);
      numbers.allocateNew(2);
      strings.allocateNew(2);
      numbers.set(0, 123456789L);
      numbers.setNull(0);
      numbers.set(1, 5L);
      strings.setSafe(0, "garbage".getBytes(java.nio.charset.StandardCharsets.UTF_8));
      strings.setNull(0);
      strings.setSafe(1, "x".getBytes(java.nio.charset.StandardCharsets.UTF_8));
      dirty.setRowCount(2);
      assertArrayEquals(clean, encoder.encode(schema, dirty).bytes());
    }
  }

  @Test
  void schemaMismatchIsRefusedBothWays() {
    TableSchema other = new TableSchema(List.of(new Column("id", ColumnType.INTEGER, false)));
    try (VectorSchemaRoot root = Fixtures.build(ALL_TYPES, Fixtures.extremeRows(), allocator)) {
      CairnException e = assertThrows(CairnException.class, () -> encoder.encode(other, root));
      assertEquals(ErrorCode.BAD_FORMAT, e.code());
    }
    EncodedBatch encoded = encode(ALL_TYPES, Fixtures.extremeRows());
    CairnException e = assertThrows(CairnException.class,
        () -> BatchDecoder.decode(encoded.bytes(), other, allocator));
    assertEquals(ErrorCode.BAD_FORMAT, e.code());
  }

  @Test
  void nullInNotNullColumnIsRefused() {
    TableSchema schema = new TableSchema(List.of(new Column("id", ColumnType.BIGINT, false)));
    TableSchema nullable = new TableSchema(List.of(new Column("id", ColumnType.BIGINT, true)));
    try (VectorSchemaRoot root = Fixtures.build(nullable, List.of(row((Object) null)),
        allocator)) {
      // Same name and type but nullable: the schemas differ, so the encoder refuses it.
      assertThrows(CairnException.class, () -> encoder.encode(schema, root));
    }
    CairnException e = assertThrows(CairnException.class,
        () -> encode(schema, List.of(row((Object) null))));
    assertEquals(ErrorCode.BAD_FORMAT, e.code());
  }
}
