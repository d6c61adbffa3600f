package dev.cairn.client.input;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.wire.CairnException;
import dev.cairn.wire.ErrorCode;
import dev.cairn.wire.TableSchema;
import dev.cairn.wire.batch.BatchEncoder;
import dev.cairn.wire.batch.BatchRows;
import dev.cairn.wire.batch.ParsedRoot;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowFileWriter;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;
import org.apache.arrow.vector.ipc.ArrowWriter;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Arrow IPC files and streams as input, re-cut to the target size. */
class ArrowInputTest {
  private static final int BATCHES = 3;
  private static final int ROWS_PER_BATCH = 1000;

  @TempDir
  Path dir;
  private final RootAllocator allocator = new RootAllocator();

  @AfterEach
  void close() {
    allocator.close();
  }

  /** A schema with field metadata, which must not reach the canonical batches. */
  private static Schema inputSchema() {
    Field id = new Field("id", new FieldType(false, new ArrowType.Int(64, true), null,
        Map.of("origin", "test")), null);
    Field name = new Field("name", FieldType.nullable(ArrowType.Utf8.INSTANCE), null);
    return new Schema(List.of(id, name));
  }

  private Path write(String fileName, boolean fileFormat) throws IOException {
    Path path = dir.resolve(fileName);
    try (VectorSchemaRoot root = VectorSchemaRoot.create(inputSchema(), allocator);
        FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE,
            StandardOpenOption.WRITE);
        OutputStream out = Channels.newOutputStream(channel);
        ArrowWriter writer = fileFormat ? new ArrowFileWriter(root, null, channel)
            : new ArrowStreamWriter(root, null, out)) {
      writer.start();
      for (int b = 0; b < BATCHES; b++) {
        BigIntVector ids = (BigIntVector) root.getVector(0);
        VarCharVector names = (VarCharVector) root.getVector(1);
        ids.allocateNew(ROWS_PER_BATCH);
        names.allocateNew(ROWS_PER_BATCH);
        for (int i = 0; i < ROWS_PER_BATCH; i++) {
          long id = (long) b * ROWS_PER_BATCH + i;
          ids.set(i, id);
          if (id % 7 == 0) {
            names.setNull(i);
          } else {
            names.setSafe(i, ("name" + id).getBytes(java.nio.charset.StandardCharsets.UTF_8));
          }
        }
        root.setRowCount(ROWS_PER_BATCH);
        writer.writeBatch();
      }
      writer.end();
    }
    return path;
  }

  @Test
  void fileAndStreamAreReadWholeAndRecut() throws IOException {
    for (Path path : List.of(write("t.arrow", true), write("t.arrows", false))) {
      try (TableInput input = Inputs.open(path, CsvOptions.defaults(), allocator)) {
        TableSchema schema = input.schema();
        assertEquals(TableSchema.fromArrow(inputSchema()), schema);
        List<Object> ids = new ArrayList<>();
        int groups = 0;
        List<VectorSchemaRoot> group;
        BatchEncoder encoder = new BatchEncoder(allocator);
        while ((group = input.next(4096)) != null) {
          groups++;
          assertEquals((long) ids.size(), encoder.encode(schema, group).columnStats().get(0)
              .min(), "groups come in order and encode as they are");
          for (VectorSchemaRoot root : group) {
            try (root) {
              assertEquals(schema.toArrow(), root.getSchema());
              for (List<Object> row : BatchRows.read(root)) {
                long id = (Long) row.get(0);
                assertEquals((long) ids.size(), id);
                ids.add(id);
                assertEquals(id % 7 == 0 ? null : "name" + id, row.get(1));
              }
            }
          }
        }
        assertEquals(BATCHES * ROWS_PER_BATCH, ids.size(), path.toString());
        assertEquals(0L, ids.get(0));
        assertEquals((long) BATCHES * ROWS_PER_BATCH - 1, ids.get(ids.size() - 1));
        assertTrue(groups > BATCHES, "1000-row batches were cut smaller: " + groups);
      }
    }
  }

  @Test
  void unsupportedTypesAndParquetAreNamed() throws IOException {
    Path parquet = Files.writeString(dir.resolve("t.parquet"), "PAR1");
    CairnException e = assertThrows(CairnException.class,
        () -> Inputs.open(parquet, CsvOptions.defaults(), allocator));
    assertEquals(ErrorCode.BAD_FORMAT, e.code());
    assertTrue(e.getMessage().contains("Parquet"));
    Path garbage = Files.writeString(dir.resolve("t.arrow"), "not arrow at all");
    e = assertThrows(CairnException.class,
        () -> Inputs.open(garbage, CsvOptions.defaults(), allocator));
    assertEquals(ErrorCode.BAD_FORMAT, e.code());
  }

  /**
   * Rows from an Arrow file are not trusted as a parser's are: they come as plain roots, and a
   * VARCHAR that is not UTF-8 is refused when encoded, never published.
   */
  @Test
  void invalidUtf8FromAnArrowFileIsRefused() throws IOException {
    Path path = dir.resolve("bad.arrow");
    Schema schema = new Schema(List.of(Field.nullable("s", ArrowType.Utf8.INSTANCE)));
    try (VectorSchemaRoot root = VectorSchemaRoot.create(schema, allocator);
        FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE,
            StandardOpenOption.WRITE);
        ArrowWriter writer = new ArrowFileWriter(root, null, channel)) {
      VarCharVector strings = (VarCharVector) root.getVector(0);
      strings.allocateNew(2);
      strings.setSafe(0, "fine".getBytes(java.nio.charset.StandardCharsets.UTF_8));
      strings.setSafe(1, new byte[] {'a', (byte) 0xC0, (byte) 0x80});
      root.setRowCount(2);
      writer.start();
      writer.writeBatch();
      writer.end();
    }
    try (TableInput input = Inputs.open(path, CsvOptions.defaults(), allocator)) {
      List<VectorSchemaRoot> group = input.next(1 << 20);
      try {
        assertTrue(group.stream().noneMatch(r -> r instanceof ParsedRoot));
        CairnException e = assertThrows(CairnException.class,
            () -> new BatchEncoder(allocator).encode(input.schema(), group));
        assertEquals(ErrorCode.BAD_FORMAT, e.code());
      } finally {
        group.forEach(VectorSchemaRoot::close);
      }
    }
  }
}
