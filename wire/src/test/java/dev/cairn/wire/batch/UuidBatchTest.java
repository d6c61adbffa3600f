package dev.cairn.wire.batch;

import static dev.cairn.wire.batch.Fixtures.row;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.wire.CairnException;
import dev.cairn.wire.Column;
import dev.cairn.wire.ColumnStats;
import dev.cairn.wire.ColumnType;
import dev.cairn.wire.ContentId;
import dev.cairn.wire.TableSchema;
import dev.cairn.wire.UuidText;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.Test;

/** UUID columns: the batch-uuid golden vector, bounds in unsigned byte (DuckDB's) order, text. */
class UuidBatchTest {
  private static final TableSchema UUIDS = new TableSchema(List.of(
      new Column("id", ColumnType.UUID, true)));
  /** 7fff... sorts below 8000... unsigned (as text and in DuckDB), above it as Java longs. */
  private static final List<List<Object>> UUID_ROWS = List.of(
      row(UUID.fromString("7fffffff-ffff-4fff-bfff-ffffffffffff")), row((Object) null),
      row(UUID.fromString("80000000-0000-4000-8000-000000000001")),
      row(UUID.fromString("0e5c6f1a-2b3d-4e5f-8a9b-0c1d2e3f4a5b")));

  @Test
  void batchUuidDecodesAndReencodesToTheSameBytes() throws IOException {
    byte[] golden = BatchGoldenVectorsTest.goldenBytes("batch-uuid");
    ContentId id = ContentId.parse(
        "e6461321f6abd33eab015113301a135ec46d77becb6392f328f41b377a22d413");
    try (BufferAllocator allocator = new RootAllocator()) {
      EncodedBatch encoded;
      try (VectorSchemaRoot root = Fixtures.build(UUIDS, UUID_ROWS, allocator)) {
        encoded = new BatchEncoder(allocator).encode(UUIDS, root);
      }
      try (DecodedBatch decoded = BatchDecoder.decodeVerified(id, golden, UUIDS, allocator)) {
        Fixtures.assertRowsEqual(UUID_ROWS, BatchRows.read(decoded.roots().get(0)));
      }
      assertArrayEquals(golden, encoded.bytes());
      assertEquals(id, encoded.id());
      assertEquals(List.of(new ColumnStats(1, "0e5c6f1a-2b3d-4e5f-8a9b-0c1d2e3f4a5b",
          "80000000-0000-4000-8000-000000000001")), encoded.columnStats());
      assertEquals(0, allocator.getAllocatedMemory());
    }
  }

  @Test
  void textReadsWhatDuckDbCastsAndWritesCanonicalLowerCase() {
    String canonical = "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11";
    for (String text : List.of(canonical, "A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11",
        "{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11}", "a0eebc999c0b4ef8bb6d6bb9bd380a11")) {
      assertEquals(canonical, UuidText.format(UuidText.parseOrNull(text)), text);
    }
    for (String bad : List.of("", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a1",
        "a0eebc99x9c0b-4ef8-bb6d-6bb9bd380a11", "g0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11")) {
      assertNull(UuidText.parseOrNull(bad), bad);
    }
    UUID uuid = UUID.fromString(canonical);
    assertEquals(uuid, UuidText.uuid(UuidText.bytes(uuid)));
    assertEquals(canonical, UuidText.format(UuidText.bytes(uuid)));
    assertTrue(UuidText.isCanonical(canonical));
    assertEquals(false, UuidText.isCanonical(canonical.toUpperCase()));
  }

  @Test
  void arrowInputMapsFixedSizeBinary16AndRefusesOtherExtensions() {
    ArrowType fixed16 = new ArrowType.FixedSizeBinary(16);
    Field plain = new Field("u", FieldType.nullable(fixed16), null);
    Field uuid = new Field("u", new FieldType(true, fixed16, null,
        Map.of(TableSchema.ARROW_EXTENSION_NAME, TableSchema.ARROW_UUID_EXTENSION)), null);
    Field hugeint = new Field("h", new FieldType(true, fixed16, null,
        Map.of(TableSchema.ARROW_EXTENSION_NAME, "arrow.opaque")), null);
    assertEquals(ColumnType.UUID, TableSchema.fromArrow(new Schema(List.of(plain)))
        .column(0).type());
    assertEquals(ColumnType.UUID, TableSchema.fromArrow(new Schema(List.of(uuid)))
        .column(0).type());
    assertThrows(CairnException.class, () -> TableSchema.fromArrow(new Schema(List.of(hugeint))));
    assertThrows(CairnException.class,
        () -> ColumnType.fromArrow(new ArrowType.FixedSizeBinary(8)));
    assertEquals(ColumnType.UUID, ColumnType.parse(" uuid "));
  }
}
