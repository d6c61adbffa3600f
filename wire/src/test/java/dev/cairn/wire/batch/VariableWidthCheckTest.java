package dev.cairn.wire.batch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.wire.CairnException;
import dev.cairn.wire.Column;
import dev.cairn.wire.ColumnType;
import dev.cairn.wire.ErrorCode;
import dev.cairn.wire.TableSchema;
import java.io.ByteArrayOutputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BaseVariableWidthVector;
import org.apache.arrow.vector.BitVectorHelper;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * VARCHAR and VARBINARY vectors written by Arrow's own writer with raw offsets and bytes (no
 * Cairn encoder checks them), decoded by {@link BatchDecoder}: offsets and UTF-8 are checked
 * value by value, and a character cut between two values is refused though the bytes of the
 * whole column are valid UTF-8.
 */
class VariableWidthCheckTest {
  private static final TableSchema TEXT = new TableSchema(List.of(
      new Column("s", ColumnType.VARCHAR, true)));
  private static final TableSchema BINARY = new TableSchema(List.of(
      new Column("b", ColumnType.VARBINARY, true)));

  private final BufferAllocator allocator = new RootAllocator();

  @AfterEach
  void noLeak() {
    assertEquals(0, allocator.getAllocatedMemory());
    allocator.close();
  }

  @Test
  void multiByteValuesNullsAndEmptyValuesDecode() {
    byte[] data = "aé日本\uD83D\uDE00".getBytes(StandardCharsets.UTF_8);
    // "a", "é", null (no bytes), "", "日本", the emoji: 1, 2, 0, 0, 6 and 4 bytes.
    byte[] blob = blob(TEXT, data, new int[] {0, 1, 3, 3, 3, 9, 13}, new boolean[] {
        true, true, false, true, true, true});
    try (DecodedBatch decoded = BatchDecoder.decode(blob, TEXT, allocator)) {
      VarCharVector v = (VarCharVector) decoded.roots().get(0).getVector(0);
      assertEquals("a", v.getObject(0).toString());
      assertEquals("é", v.getObject(1).toString());
      assertNull(v.getObject(2));
      assertEquals("", v.getObject(3).toString());
      assertEquals("日本", v.getObject(4).toString());
      assertEquals("\uD83D\uDE00", v.getObject(5).toString());
    }
  }

  @Test
  void aCharacterCutBetweenTwoValuesIsBadFormat() {
    byte[] data = "é".getBytes(StandardCharsets.UTF_8); // C3 A9: valid as a whole
    CairnException e = refused(TEXT, data, new int[] {0, 1, 2}, new boolean[] {true, true});
    assertTrue(e.getMessage().contains("value 1 starts inside a UTF-8 character"),
        e.getMessage());
  }

  @Test
  void invalidUtf8IsBadFormatEvenUnderANull() {
    byte[] data = {'o', 'k', (byte) 0xff};
    assertTrue(refused(TEXT, data, new int[] {0, 2, 3}, new boolean[] {true, true})
        .getMessage().contains("not UTF-8"));
    assertTrue(refused(TEXT, data, new int[] {0, 2, 3}, new boolean[] {true, false})
        .getMessage().contains("not UTF-8"));
    // Overlong form of '/' and an encoded surrogate: Java's decoder would replace them.
    refused(TEXT, new byte[] {(byte) 0xc0, (byte) 0xaf}, new int[] {0, 2}, new boolean[] {true});
    refused(TEXT, new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80}, new int[] {0, 3},
        new boolean[] {true});
  }

  @Test
  void decreasingOrNegativeOffsetsAreBadFormat() {
    byte[] data = "abcd".getBytes(StandardCharsets.US_ASCII);
    refused(TEXT, data, new int[] {0, 3, 2, 4}, new boolean[] {true, true, true});
    refused(BINARY, data, new int[] {0, 3, 2, 4}, new boolean[] {true, true, true});
    refused(BINARY, data, new int[] {-1, 3, 4}, new boolean[] {true, true});
  }

  @Test
  void varbinaryTakesAnyBytes() {
    byte[] data = {(byte) 0xff, (byte) 0x80, 0, (byte) 0xc3};
    byte[] blob = blob(BINARY, data, new int[] {0, 1, 4}, new boolean[] {true, true});
    try (DecodedBatch decoded = BatchDecoder.decode(blob, BINARY, allocator)) {
      VarBinaryVector v = (VarBinaryVector) decoded.roots().get(0).getVector(0);
      assertArrayEquals(new byte[] {(byte) 0xff}, v.get(0));
      assertArrayEquals(new byte[] {(byte) 0x80, 0, (byte) 0xc3}, v.get(1));
    }
  }

  private CairnException refused(TableSchema schema, byte[] data, int[] offsets,
      boolean[] defined) {
    byte[] blob = blob(schema, data, offsets, defined);
    CairnException e = assertThrows(CairnException.class,
        () -> BatchDecoder.decode(blob, schema, allocator).close());
    assertEquals(ErrorCode.BAD_FORMAT, e.code(), e.getMessage());
    return e;
  }

  /** An uncompressed Arrow stream of one batch whose only vector has exactly these buffers. */
  private byte[] blob(TableSchema schema, byte[] data, int[] offsets, boolean[] defined) {
    int count = offsets.length - 1;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (VectorSchemaRoot root = VectorSchemaRoot.create(schema.toArrow(), allocator)) {
      BaseVariableWidthVector v = (BaseVariableWidthVector) root.getVector(0);
      v.allocateNew(Math.max(data.length, 1), count);
      for (int i = 0; i < count; i++) {
        BitVectorHelper.setValidityBit(v.getValidityBuffer(), i, defined[i] ? 1 : 0);
      }
      for (int i = 0; i <= count; i++) {
        v.getOffsetBuffer().setInt((long) i * BaseVariableWidthVector.OFFSET_WIDTH, offsets[i]);
      }
      v.getDataBuffer().setBytes(0, data);
      v.setLastSet(count - 1);
      v.setValueCount(count);
      root.setRowCount(count);
      try (ArrowStreamWriter writer = new ArrowStreamWriter(root, null,
          Channels.newChannel(out))) {
        writer.start();
        writer.writeBatch();
        writer.end();
      }
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
    return out.toByteArray();
  }
}
