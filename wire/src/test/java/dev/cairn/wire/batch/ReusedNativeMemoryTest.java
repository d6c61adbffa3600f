package dev.cairn.wire.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.Test;

/**
 * Blocks freed by one allocator are handed out again, to it or another, within the idle bound;
 * accounting and leak checks are Arrow's as before; a blob decodes the same over reused memory
 * that held other bytes.
 */
class ReusedNativeMemoryTest {
  @Test
  void aFreedBlockIsHandedOutAgain() {
    try (BufferAllocator first = ReusedNativeMemory.newRootAllocator();
        BufferAllocator second = ReusedNativeMemory.newRootAllocator()) {
      long address;
      try (ArrowBuf buf = first.buffer(1 << 20)) {
        address = buf.memoryAddress();
        assertEquals(1 << 20, first.getAllocatedMemory());
      }
      assertEquals(0, first.getAllocatedMemory());
      assertTrue(ReusedNativeMemory.idleBytes() >= 1 << 20);
      // The pool is JVM-wide and last in, first out: the next block of that class is this one.
      try (ArrowBuf again = second.buffer(1 << 20)) {
        assertEquals(address, again.memoryAddress());
      }
    }
  }

  @Test
  void idleMemoryStaysWithinItsBound() {
    try (BufferAllocator allocator = ReusedNativeMemory.newRootAllocator()) {
      List<ArrowBuf> held = new ArrayList<>();
      for (int i = 0; i < 12; i++) {
        held.add(allocator.buffer(8 << 20)); // 96 MiB in all, more than the bound
      }
      held.forEach(ArrowBuf::close);
      assertTrue(ReusedNativeMemory.idleBytes() <= ReusedNativeMemory.IDLE_MAX,
          "idle " + ReusedNativeMemory.idleBytes());
      assertEquals(0, allocator.getAllocatedMemory());
    }
  }

  @Test
  void aSizeBetweenPowersOfTwoIsAccountedAsAskedAndReleasedToZero() {
    try (BufferAllocator allocator = ReusedNativeMemory.newRootAllocator()) {
      // Arrow rounds requests above 16 MiB to no power of two; the block is 32 MiB inside.
      long size = 20L << 20;
      for (int i = 0; i < 3; i++) {
        try (ArrowBuf buf = allocator.buffer(size)) {
          assertEquals(size, buf.capacity());
          assertEquals(size, allocator.getAllocatedMemory());
          buf.setByte(size - 1, 1);
        }
        assertEquals(0, allocator.getAllocatedMemory());
      }
    }
  }

  @Test
  void smallAndHugeBlocksAreNotKept() {
    try (BufferAllocator allocator = ReusedNativeMemory.newRootAllocator()) {
      long before = ReusedNativeMemory.idleBytes();
      allocator.buffer(1024).close();
      allocator.buffer(128L << 20).close();
      assertEquals(before, ReusedNativeMemory.idleBytes());
    }
  }

  @Test
  void blobsDecodeTheSameOverReusedMemory() {
    try (BufferAllocator allocator = ReusedNativeMemory.newRootAllocator()) {
      byte[] blob;
      List<List<Object>> rows = Fixtures.extremeRows();
      try (VectorSchemaRoot root = Fixtures.build(Fixtures.ALL_TYPES, rows, allocator)) {
        blob = new BatchEncoder(allocator).encode(Fixtures.ALL_TYPES, root).bytes();
      }
      // Dirty the memory the decode will get back.
      for (int i = 0; i < 4; i++) {
        try (ArrowBuf buf = allocator.buffer(1 << 16)) {
          buf.setBytes(0, new byte[1 << 16]);
          for (long at = 0; at < buf.capacity(); at++) {
            buf.setByte(at, 0xA5);
          }
        }
      }
      for (int round = 0; round < 3; round++) {
        try (DecodedBatch decoded = BatchDecoder.decode(blob, Fixtures.ALL_TYPES, allocator)) {
          List<List<Object>> read = new ArrayList<>();
          decoded.roots().forEach(r -> read.addAll(BatchRows.read(r)));
          Fixtures.assertRowsEqual(rows, read);
        }
      }
      assertEquals(0, allocator.getAllocatedMemory());
    }
  }
}
