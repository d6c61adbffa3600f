package dev.cairn.wire.batch;

import static dev.cairn.wire.batch.Fixtures.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import dev.cairn.wire.CairnException;
import dev.cairn.wire.Column;
import dev.cairn.wire.ColumnType;
import dev.cairn.wire.ErrorCode;
import dev.cairn.wire.TableSchema;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Hostile blobs: only BAD_HASH or BAD_FORMAT may come out, and nothing may leak. */
class MalformedBlobTest {
  private static final TableSchema SCHEMA = new TableSchema(List.of(
      new Column("k", ColumnType.BIGINT, false), new Column("s", ColumnType.VARCHAR, true)));

  private final BufferAllocator allocator = new RootAllocator();

  @AfterEach
  void noLeak() {
    assertEquals(0, allocator.getAllocatedMemory());
    allocator.close();
  }

  private byte[] validBlob() {
    List<List<Object>> rows = new ArrayList<>();
    for (int i = 0; i < 64; i++) {
      rows.add(row((long) i % 5, i % 3 == 0 ? null : "value-" + (i % 4)));
    }
    try (VectorSchemaRoot root = Fixtures.build(SCHEMA, rows, allocator)) {
      return new BatchEncoder(allocator).encode(SCHEMA, root).bytes();
    }
  }

  /** Decodes {@code blob}; success is allowed (a flip may hit a value), else BAD_FORMAT. */
  private void decodeOrBadFormat(byte[] blob, String what) {
    try (DecodedBatch decoded = BatchDecoder.decode(blob, SCHEMA, allocator)) {
      decoded.roots().forEach(BatchRows::read);
    } catch (CairnException e) {
      assertEquals(ErrorCode.BAD_FORMAT, e.code(), what + ": " + e.getMessage());
    } catch (RuntimeException e) {
      fail(what + ": escaped as " + e, e);
    }
    assertEquals(0, allocator.getAllocatedMemory(), what + ": leaked");
  }

  @Test
  void flippedByteFailsVerification() {
    EncodedBatch encoded;
    try (VectorSchemaRoot root = Fixtures.build(SCHEMA, List.of(row(1L, "a")), allocator)) {
      encoded = new BatchEncoder(allocator).encode(SCHEMA, root);
    }
    byte[] tampered = encoded.bytes();
    tampered[tampered.length / 2] ^= 1;
    CairnException e = assertThrows(CairnException.class,
        () -> BatchDecoder.decodeVerified(encoded.id(), tampered, SCHEMA, allocator));
    assertEquals(ErrorCode.BAD_HASH, e.code());
  }

  @Test
  void everyTruncationIsBadFormat() {
    byte[] blob = validBlob();
    for (int length = 0; length < blob.length; length++) {
      byte[] cut = java.util.Arrays.copyOf(blob, length);
      CairnException e = assertThrows(CairnException.class,
          () -> BatchDecoder.decode(cut, SCHEMA, allocator).close(), "length " + length);
      assertEquals(ErrorCode.BAD_FORMAT, e.code());
      assertEquals(0, allocator.getAllocatedMemory());
    }
  }

  @Test
  void trailingBytesAreBadFormat() {
    byte[] blob = validBlob();
    byte[] longer = java.util.Arrays.copyOf(blob, blob.length + 8);
    CairnException e = assertThrows(CairnException.class,
        () -> BatchDecoder.decode(longer, SCHEMA, allocator));
    assertEquals(ErrorCode.BAD_FORMAT, e.code());
  }

  @Test
  void everySingleByteCorruptionIsContained() {
    byte[] blob = validBlob();
    for (int position = 0; position < blob.length; position++) {
      for (int mask : new int[] {0x01, 0x80, 0xff}) {
        byte[] bad = blob.clone();
        bad[position] ^= (byte) mask;
        decodeOrBadFormat(bad, "byte " + position + " ^ " + mask);
      }
    }
  }

  @Test
  void randomGarbageIsBadFormat() {
    Random random = new Random(7);
    byte[] prefix = {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff};
    for (int round = 0; round < 500; round++) {
      byte[] garbage = new byte[random.nextInt(600)];
      random.nextBytes(garbage);
      if (round % 2 == 0 && garbage.length >= 4) {
        System.arraycopy(prefix, 0, garbage, 0, 4); // get past the first check
      }
      CairnException e = assertThrows(CairnException.class,
          () -> BatchDecoder.decode(garbage, SCHEMA, allocator).close());
      assertEquals(ErrorCode.BAD_FORMAT, e.code());
    }
  }

  @Test
  void hugeLengthPrefixInsideABufferIsRefused() {
    byte[] blob = validBlob();
    int patched = 0;
    // Every 8-aligned little-endian long equal to a buffer's true length (512 = 64 rows x 8
    // bytes for column k) is a candidate prefix; set each one huge and expect BAD_FORMAT.
    ByteBuffer view = ByteBuffer.wrap(blob).order(ByteOrder.LITTLE_ENDIAN);
    for (int offset = 0; offset + 8 <= blob.length; offset += 8) {
      if (view.getLong(offset) == 512L) {
        byte[] bad = blob.clone();
        ByteBuffer.wrap(bad).order(ByteOrder.LITTLE_ENDIAN).putLong(offset, 1L << 40);
        CairnException e = assertThrows(CairnException.class,
            () -> BatchDecoder.decode(bad, SCHEMA, allocator).close());
        assertEquals(ErrorCode.BAD_FORMAT, e.code());
        patched++;
      }
    }
    assertEquals(true, patched > 0, "found the data buffer's length prefix");
    assertEquals(0, allocator.getAllocatedMemory());
  }
}
