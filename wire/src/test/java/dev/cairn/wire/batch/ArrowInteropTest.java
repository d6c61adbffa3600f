package dev.cairn.wire.batch;

import static dev.cairn.wire.batch.Fixtures.ALL_TYPES;
import static dev.cairn.wire.batch.Fixtures.assertRowsEqual;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.channels.Channels;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.arrow.compression.CommonsCompressionFactory;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.compression.CompressionUtil.CodecType;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;
import org.apache.arrow.vector.ipc.message.IpcOption;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Our blobs against Arrow's own reader and writer with arrow-compression's LZ4 codec. */
class ArrowInteropTest {
  private final BufferAllocator allocator = new RootAllocator();

  @AfterEach
  void noLeak() {
    assertEquals(0, allocator.getAllocatedMemory());
    allocator.close();
  }

  private static List<List<Object>> manyRows() {
    // Enough repetition that LZ4 really compresses (not only -1 raw buffers).
    List<List<Object>> rows = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      rows.addAll(Fixtures.extremeRows());
    }
    return rows;
  }

  @Test
  void arrowsReaderWithCommonsCompressionReadsOurBlob() throws Exception {
    List<List<Object>> rows = manyRows();
    EncodedBatch encoded;
    try (VectorSchemaRoot root = Fixtures.build(ALL_TYPES, rows, allocator)) {
      encoded = new BatchEncoder(allocator).encode(ALL_TYPES, List.of(root, root));
    }
    assertTrue(encoded.size() < encoded.uncompressedBytes() / 2, "LZ4 compressed the body");
    List<List<Object>> read = new ArrayList<>();
    try (ArrowStreamReader reader = new ArrowStreamReader(
        new ByteArrayInputStream(encoded.bytes()), allocator, CommonsCompressionFactory.INSTANCE)) {
      assertEquals(ALL_TYPES.toArrow(), reader.getVectorSchemaRoot().getSchema());
      while (reader.loadNextBatch()) {
        read.addAll(BatchRows.read(reader.getVectorSchemaRoot()));
      }
      assertFalse(reader.loadNextBatch());
    }
    List<List<Object>> expected = new ArrayList<>(rows);
    expected.addAll(rows);
    assertRowsEqual(expected, read);
  }

  @Test
  void ourDecoderReadsAStreamArrowWroteWithCommonsLz4() throws Exception {
    List<List<Object>> rows = manyRows();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (VectorSchemaRoot root = Fixtures.build(ALL_TYPES, rows, allocator);
        ArrowStreamWriter writer = new ArrowStreamWriter(root, null, Channels.newChannel(out),
            IpcOption.DEFAULT, CommonsCompressionFactory.INSTANCE, CodecType.LZ4_FRAME,
            Optional.empty())) {
      writer.start();
      writer.writeBatch();
      writer.writeBatch();
      writer.end();
    }
    List<List<Object>> read = new ArrayList<>();
    try (DecodedBatch decoded = BatchDecoder.decode(out.toByteArray(), ALL_TYPES, allocator)) {
      assertEquals(2, decoded.roots().size());
      decoded.roots().forEach(root -> read.addAll(BatchRows.read(root)));
    }
    List<List<Object>> expected = new ArrayList<>(rows);
    expected.addAll(rows);
    assertRowsEqual(expected, read);
  }

  @Test
  void arrowsReaderWithOurFactoryReadsOurBlob() throws Exception {
    List<List<Object>> rows = manyRows();
    EncodedBatch encoded;
    try (VectorSchemaRoot root = Fixtures.build(ALL_TYPES, rows, allocator)) {
      encoded = new BatchEncoder(allocator).encode(ALL_TYPES, root);
    }
    try (ArrowStreamReader reader = new ArrowStreamReader(
        new ByteArrayInputStream(encoded.bytes()), allocator, CairnCompressionFactory.INSTANCE)) {
      assertTrue(reader.loadNextBatch());
      assertRowsEqual(rows, BatchRows.read(reader.getVectorSchemaRoot()));
    }
  }
}
