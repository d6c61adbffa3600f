package dev.cairn.client.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.cairn.client.input.CsvChunkInput;
import dev.cairn.client.input.CsvOptions;
import dev.cairn.client.input.TableInput;
import dev.cairn.wire.ColumnType;
import dev.cairn.wire.ContentId;
import dev.cairn.wire.batch.BatchEncoder;
import dev.cairn.wire.batch.RecyclingMemory;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.Test;

/** A publish's input over recycled memory left dirty encodes the same blob as over fresh. */
class RecycledMemoryEncodingTest {
  private static BufferAllocator allocatorOver(RecyclingMemory memory) {
    return memory.newRootAllocator();
  }

  @Test
  void reusedDirtyBlocksEncodeTheSameBytes() {
    StringBuilder csv = new StringBuilder("id,name,price,day,flag\n");
    for (int i = 0; i < 20_000; i++) {
      csv.append(i).append(',').append(i % 7 == 0 ? "" : "name " + i).append(',')
          .append(i % 5 == 0 ? "" : i + ".25").append(",2024-03-").append(10 + i % 9)
          .append(',').append(i % 3 == 0 ? "" : i % 3 == 1 ? "true" : "false").append('\n');
    }
    ContentId plain;
    try (BufferAllocator allocator = new RootAllocator();
        TableInput input = open(csv.toString(), allocator)) {
      assertEquals(ColumnType.BOOLEAN, input.schema().column(4).type(), "bits are copied too");
    }
    try (BufferAllocator allocator = new RootAllocator()) {
      plain = encode(csv.toString(), allocator);
    }
    RecyclingMemory memory = new RecyclingMemory(256L << 20);
    try (BufferAllocator allocator = allocatorOver(memory)) {
      dirty(allocator);
      assertNotEquals(0, memory.idleBytes(), "blocks were kept to be reused");
      assertEquals(plain, encode(csv.toString(), allocator));
      dirty(allocator);
      assertEquals(plain, encode(csv.toString(), allocator));
    } finally {
      memory.close();
    }
  }

  /** Leaves kept blocks of every common size full of 0xff bytes. */
  private static void dirty(BufferAllocator allocator) {
    List<ArrowBuf> buffers = new ArrayList<>();
    for (long size = RecyclingMemory.POOLED_BYTES_MIN; size <= 8L << 20; size *= 2) {
      for (int copies = 0; copies < 4; copies++) {
        ArrowBuf buffer = allocator.buffer(size);
        buffer.setOne(0, size);
        buffers.add(buffer);
      }
    }
    buffers.forEach(ArrowBuf::close);
  }

  private static ContentId encode(String csv, BufferAllocator allocator) {
    try (TableInput input = open(csv, allocator)) {
      List<VectorSchemaRoot> roots = new ArrayList<>();
      TableInput.DeferredGroup group;
      while ((group = input.nextDeferred(1 << 20)) != null) {
        roots.addAll(group.decode());
      }
      try {
        return new BatchEncoder(allocator).encode(input.schema(), roots).id();
      } finally {
        roots.forEach(VectorSchemaRoot::close);
      }
    }
  }

  private static TableInput open(String csv, BufferAllocator allocator) {
    return new CsvChunkInput(new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)),
        CsvOptions.defaults(), allocator, 1 << 20);
  }
}
