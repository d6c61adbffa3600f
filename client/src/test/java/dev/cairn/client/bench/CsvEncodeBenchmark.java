package dev.cairn.client.bench;

import dev.cairn.client.input.CsvChunkInput;
import dev.cairn.client.input.CsvOptions;
import dev.cairn.client.input.TableInput;
import dev.cairn.wire.ContentId;
import dev.cairn.wire.batch.BatchEncoder;
import dev.cairn.wire.batch.EncodedBatch;
import dev.cairn.wire.batch.RecyclingMemory;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * One thread's CPU for what a publish worker does to a CSV file, split in two: parsing its
 * chunks into Arrow (the chunked reader a publish uses) and encoding them as batch blobs
 * (canonical copy, statistics, LZ4, content id). Prints each pass and the medians of the
 * passes after the first, and a digest of all content ids, so that two builds compared
 * (alternating JVMs, docs/benchmarks.md) are seen to write the same blobs.
 *
 * <p>Run with the client's test classpath; args: {@code csvFile [passes] [batchMiB]}, defaults
 * 10 passes of 8 MiB batches (a publish's default).
 */
public final class CsvEncodeBenchmark {
  private CsvEncodeBenchmark() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 1) {
      System.err.println("usage: CsvEncodeBenchmark csvFile [passes] [batchMiB]");
      System.exit(2);
    }
    Path csv = Path.of(args[0]);
    int passes = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    int batchBytes = (args.length > 2 ? Integer.parseInt(args[2]) : 8) << 20;
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    RecyclingMemory memory = new RecyclingMemory(256L << 20);
    long[] parse = new long[passes];
    long[] encode = new long[passes];
    for (int pass = 0; pass < passes; pass++) {
      StringBuilder ids = new StringBuilder();
      try (BufferAllocator allocator = memory.newRootAllocator();
          TableInput input = CsvChunkInput.open(csv, CsvOptions.defaults(), allocator,
              batchBytes)) {
        BatchEncoder encoder = new BatchEncoder(allocator);
        TableInput.DeferredGroup group;
        while ((group = input.nextDeferred(batchBytes)) != null) {
          long start = threads.getCurrentThreadCpuTime();
          List<VectorSchemaRoot> roots = group.decode();
          long parsed = threads.getCurrentThreadCpuTime();
          try {
            EncodedBatch batch = encoder.encode(input.schema(), roots);
            ids.append(batch.id().toHex());
          } finally {
            roots.forEach(VectorSchemaRoot::close);
          }
          parse[pass] += parsed - start;
          encode[pass] += threads.getCurrentThreadCpuTime() - parsed;
        }
      }
      System.out.printf(Locale.ROOT, "pass %d: parse %d ms, encode %d ms, ids %s%n", pass,
          parse[pass] / 1_000_000, encode[pass] / 1_000_000,
          ContentId.sha256(ids.toString().getBytes(StandardCharsets.US_ASCII)).toShortHex());
    }
    long[] parseSorted = sortedAfterFirst(parse);
    long[] encodeSorted = sortedAfterFirst(encode);
    // The minimum as well: on a shared VM whole passes slow down together, parse and encode
    // alike, and the fastest pass is the code's own cost.
    System.out.printf(Locale.ROOT, "passes 1-%d: parse median %d ms, minimum %d ms; encode "
        + "median %d ms, minimum %d ms%n", passes - 1,
        parseSorted[parseSorted.length / 2] / 1_000_000, parseSorted[0] / 1_000_000,
        encodeSorted[encodeSorted.length / 2] / 1_000_000, encodeSorted[0] / 1_000_000);
  }

  private static long[] sortedAfterFirst(long[] values) {
    long[] sorted = Arrays.copyOfRange(values, Math.min(1, values.length - 1), values.length);
    Arrays.sort(sorted);
    return sorted;
  }
}
