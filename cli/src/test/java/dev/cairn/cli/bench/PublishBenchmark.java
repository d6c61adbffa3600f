package dev.cairn.cli.bench;

import dev.cairn.cluster.LocalCluster;
import dev.cairn.client.input.CsvOptions;
import dev.cairn.client.input.CsvReader;
import dev.cairn.client.input.TableInput;
import dev.cairn.client.publish.ProgressListener;
import dev.cairn.client.publish.PublishRequest;
import dev.cairn.client.publish.PublishResult;
import dev.cairn.client.publish.Publisher;
import dev.cairn.wire.batch.BatchEncoder;
import dev.cairn.wire.crypto.SigningKey;
import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * Publish throughput: MB of CSV in per second, to R = 3 donors on loopback, beside its peer
 * measured in the same run: the same CSV read, cut into batches and encoded locally with no
 * network at all. Run on demand (docs/benchmarks.md), never in CI.
 */
public final class PublishBenchmark {
  private PublishBenchmark() {}

  public static void main(String[] args) throws Exception {
    int rows = args.length > 0 ? Integer.parseInt(args[0]) : 3_000_000;
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    Path dir = Files.createTempDirectory("cairn-publish-bench");
    Path csv = writeCsv(dir.resolve("input.csv"), rows);
    double megabytes = Files.size(csv) / 1e6;
    System.out.printf(Locale.ROOT, "input: %d rows, %.1f MB of CSV%n", rows, megabytes);
    List<Double> publishRates = new ArrayList<>();
    List<Double> localRates = new ArrayList<>();
    try (LocalCluster cluster = LocalCluster.start(dir.resolve("cluster"),
        LocalCluster.Options.of(3))) {
      SigningKey key = SigningKey.generate(new SecureRandom());
      for (int run = 0; run < runs; run++) {
        localRates.add(megabytes / encodeLocally(csv));
        PublishRequest request = PublishRequest.of(List.of(cluster.metaAddress()), key,
            "bench", "t" + run, List.of(csv));
        PublishResult result = Publisher.publish(request, ProgressListener.NONE);
        publishRates.add(megabytes / result.seconds());
        System.out.printf(Locale.ROOT, "run %d: publish %.1f MB/s (%d batches, %.1f MB of"
            + " blobs x3), local read+encode %.1f MB/s%n", run + 1, publishRates.get(run),
            result.batches(), result.bytes() / 1e6, localRates.get(run));
      }
    }
    System.out.printf(Locale.ROOT, "median: publish %.1f MB/s, local read+encode %.1f MB/s%n",
        median(publishRates), median(localRates));
  }

  /** Reads and encodes the whole CSV as a publish would, without any network; returns seconds. */
  private static double encodeLocally(Path csv) throws Exception {
    long start = System.nanoTime();
    try (BufferAllocator allocator = new RootAllocator();
        TableInput input = CsvReader.open(csv, CsvOptions.defaults(), allocator)) {
      BatchEncoder encoder = new BatchEncoder(allocator);
      List<VectorSchemaRoot> batch;
      while ((batch = input.next(PublishRequest.BATCH_TARGET_BYTES_DEFAULT)) != null) {
        encoder.encode(input.schema(), batch);
        batch.forEach(VectorSchemaRoot::close);
      }
    }
    return (System.nanoTime() - start) / 1e9;
  }

  private static Path writeCsv(Path file, int rows) throws Exception {
    Random random = new Random(42);
    LocalDate start = LocalDate.of(1995, 1, 1);
    try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      out.write("id,customer,price,quantity,day,comment\n");
      for (int i = 0; i < rows; i++) {
        out.write(i + "," + random.nextInt(150_000) + "," + random.nextInt(10_000_000) / 100.0
            + "," + (1 + random.nextInt(50)) + "," + start.plusDays(random.nextInt(2500))
            + ",comment " + Long.toString(random.nextLong() & 0xffffff, 36) + "\n");
      }
    }
    return file;
  }

  private static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return sorted.get(sorted.size() / 2);
  }
}
