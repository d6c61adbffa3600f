package dev.cairn.wire.bench;

import dev.cairn.wire.batch.BatchDecoder;
import dev.cairn.wire.batch.BatchEncoder;
import dev.cairn.wire.batch.DecodedBatch;
import dev.cairn.wire.batch.RecyclingMemory;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * {@link BatchCodecBenchmark}'s decode of its LZ4 lineitem-like batch, timed by the decoding
 * thread's CPU time rather than the wall clock: on a 2-core machine shared with other work,
 * JMH's wall times of this benchmark varied 3 to 10 times between runs, while the CPU a decode
 * takes does not depend on how long the thread waited to run. Prints the CPU milliseconds per
 * decode of each window and their median. Arguments: windows (7), decodes per window (50),
 * and {@code reuse} to decode into {@link RecyclingMemory} as the reader and writer do.
 */
public final class DecodeCpu {
  private DecodeCpu() {}

  public static void main(String[] args) {
    int windows = args.length > 0 ? Integer.parseInt(args[0]) : 7;
    int perWindow = args.length > 1 ? Integer.parseInt(args[1]) : 50;
    boolean reuse = args.length > 2 && "reuse".equals(args[2]);
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    RecyclingMemory memory = new RecyclingMemory(64L << 20);
    try (BufferAllocator allocator = reuse ? memory.newRootAllocator() : new RootAllocator()) {
      byte[] blob;
      try (VectorSchemaRoot root = BatchCodecBenchmark.lineitem(allocator)) {
        blob = new BatchEncoder(allocator).encode(BatchCodecBenchmark.LINEITEM, root).bytes();
      }
      for (int i = 0; i < perWindow * 2; i++) {
        decode(blob, allocator); // JIT
      }
      List<Double> perDecode = new ArrayList<>();
      for (int w = 0; w < windows; w++) {
        long start = threads.getCurrentThreadCpuTime();
        for (int i = 0; i < perWindow; i++) {
          decode(blob, allocator);
        }
        perDecode.add((threads.getCurrentThreadCpuTime() - start) / 1e6 / perWindow);
      }
      List<Double> sorted = new ArrayList<>(perDecode);
      Collections.sort(sorted);
      System.out.printf(java.util.Locale.ROOT, "decode CPU ms per op: windows %s median %.2f"
          + " (blob %d bytes)%n", perDecode.stream().map(d -> String.format(
              java.util.Locale.ROOT, "%.2f", d)).toList(), sorted.get(sorted.size() / 2),
          blob.length);
    } finally {
      memory.close();
    }
  }

  private static void decode(byte[] blob, BufferAllocator allocator) {
    try (DecodedBatch decoded = BatchDecoder.decode(blob, BatchCodecBenchmark.LINEITEM,
        allocator)) {
      if (decoded.rowCount() == 0) {
        throw new IllegalStateException("no rows");
      }
    }
  }
}
