package dev.cairn.wire.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.Test;

/**
 * Freed blocks come back within the bound and are freed at close; accounting stays Arrow's for
 * any size; a blob decodes the same over reused memory left dirty.
 */
class RecyclingMemoryTest {
  private static BufferAllocator allocatorOver(RecyclingMemory memory) {
    return memory.newRootAllocator();
  }

  @Test
  void keepsFreedBlocksUpToTheBoundAndFreesThemAtClose() {
    long block = 1 << 20;
    RecyclingMemory memory = new RecyclingMemory(2 * block);
    try (BufferAllocator allocator = allocatorOver(memory)) {
      ArrowBuf first = allocator.buffer(block);
      long address = first.memoryAddress();
      first.close();
      assertEquals(block, memory.idleBytes());
      ArrowBuf again = allocator.buffer(block);
      assertEquals(address, again.memoryAddress(), "the freed block is handed out again");
      assertEquals(0, memory.idleBytes());
      List<ArrowBuf> three = new ArrayList<>(List.of(again, allocator.buffer(block),
          allocator.buffer(block)));
      three.forEach(ArrowBuf::close);
      assertEquals(2 * block, memory.idleBytes(), "no more than the bound is kept");
      ArrowBuf small = allocator.buffer(RecyclingMemory.POOLED_BYTES_MIN / 2);
      small.close();
      assertEquals(2 * block, memory.idleBytes(), "small blocks are not kept");
    }
    assertEquals(0, memory.idleBytes(), "closing the allocator freed the kept blocks");
  }

  @Test
  void aSizeArrowDoesNotRoundIsAccountedAndReleasedExactly() {
    RecyclingMemory memory = new RecyclingMemory(64L << 20);
    try (BufferAllocator allocator = allocatorOver(memory)) {
      long size = 20L << 20; // Arrow rounds no request above 16 MiB to a power of two
      for (int i = 0; i < 3; i++) {
        try (ArrowBuf buf = allocator.buffer(size)) {
          assertEquals(size, buf.capacity());
          assertEquals(size, allocator.getAllocatedMemory());
          buf.setByte(size - 1, 1);
        }
        assertEquals(0, allocator.getAllocatedMemory());
      }
    } finally {
      memory.close();
    }
  }

  @Test
  void blobsDecodeTheSameOverReusedDirtyMemory() {
    RecyclingMemory memory = new RecyclingMemory(64L << 20);
    try (BufferAllocator allocator = allocatorOver(memory)) {
      byte[] blob;
      List<List<Object>> rows = new ArrayList<>();
      for (int i = 0; i < 300; i++) {
        rows.addAll(Fixtures.extremeRows());
      }
      try (VectorSchemaRoot root = Fixtures.build(Fixtures.ALL_TYPES, rows, allocator)) {
        blob = new BatchEncoder(allocator).encode(Fixtures.ALL_TYPES, root).bytes();
      }
      for (int round = 0; round < 3; round++) {
        List<ArrowBuf> dirty = new ArrayList<>();
        for (long size = RecyclingMemory.POOLED_BYTES_MIN; size <= 4L << 20; size *= 2) {
          ArrowBuf buffer = allocator.buffer(size);
          buffer.setOne(0, size);
          dirty.add(buffer);
        }
        dirty.forEach(ArrowBuf::close);
        try (DecodedBatch decoded = BatchDecoder.decode(blob, Fixtures.ALL_TYPES, allocator)) {
          List<List<Object>> read = new ArrayList<>();
          decoded.roots().forEach(r -> read.addAll(BatchRows.read(r)));
          Fixtures.assertRowsEqual(rows, read);
        }
      }
      assertEquals(0, allocator.getAllocatedMemory());
    } finally {
      memory.close();
    }
  }
}
