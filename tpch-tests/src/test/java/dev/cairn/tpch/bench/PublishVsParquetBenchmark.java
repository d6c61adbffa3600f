package dev.cairn.tpch.bench;

import dev.cairn.client.input.CsvChunkInput;
import dev.cairn.client.input.CsvOptions;
import dev.cairn.client.input.CsvReader;
import dev.cairn.client.input.TableInput;
import dev.cairn.client.publish.PublishRequest;
import dev.cairn.cli.Main;
import dev.cairn.cluster.LocalCluster;
import dev.cairn.tpchdata.TpchGenerator;
import dev.cairn.tpchdata.TpchTable;
import dev.cairn.wire.crypto.KeyFiles;
import dev.cairn.wire.crypto.SigningKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.duckdb.DuckDBResultSet;

/**
 * {@code cairn publish} of TPC-H lineitem (R = 3 to three fresh donors on loopback, in this
 * JVM) beside its peer in the same run: DuckDB turning the same CSV into LZ4 Parquet. Also
 * times the CSV readers alone, into Arrow: ours on one thread ({@link CsvReader}), ours in
 * chunks on every core ({@link CsvChunkInput}), and DuckDB's {@code read_csv} exported as Arrow.
 * Run on demand (docs/benchmarks.md), never in CI. Arguments: scale factor, runs (after one
 * warm-up run that is printed but not counted).
 */
public final class PublishVsParquetBenchmark {
  private PublishVsParquetBenchmark() {}

  public static void main(String[] args) throws Exception {
    double scale = args.length > 0 ? Double.parseDouble(args[0]) : 0.3;
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    int cores = Runtime.getRuntime().availableProcessors();
    Path dir = Files.createTempDirectory("cairn-publish-vs-parquet");
    try {
      Path csv = dir.resolve("lineitem.csv");
      long rows = TpchGenerator.writeCsv(TpchTable.LINEITEM, csv, scale);
      double megabytes = Files.size(csv) / 1e6;
      System.out.printf(Locale.ROOT, "lineitem SF %s: %d rows, %.1f MB of CSV, %d cores, "
          + "%d publish workers%n", scale, rows, megabytes, cores,
          PublishRequest.defaultParallelism(cores));
      List<List<Double>> seconds = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        seconds.add(new ArrayList<>());
      }
      for (int run = 0; run <= runs; run++) { // run 0 warms the JIT up and is not counted
        Path key = dir.resolve("bench-" + run + ".key"); // a new writer: no head record
        KeyFiles.writeSecretKey(key, SigningKey.generate(new SecureRandom()));
        double[] times = {parquet(csv, dir, cores), publish(csv, key, dir, run),
            ourReaderOneThread(csv), ourReaderChunked(csv, cores), duckDbReader(csv, cores)};
        for (int i = 0; i < times.length && run > 0; i++) {
          seconds.get(i).add(times[i]);
        }
        System.out.printf(Locale.ROOT, "%s: DuckDB CSV->Parquet %.2f s, cairn publish "
            + "%.2f s (%.2fx); readers into Arrow: ours 1 thread %.2f s, ours chunked %.2f s, "
            + "DuckDB read_csv %.2f s%n", run == 0 ? "warm-up" : "run " + run, times[0],
            times[1], times[1] / times[0], times[2], times[3], times[4]);
      }
      double parquet = median(seconds.get(0));
      double publish = median(seconds.get(1));
      System.out.printf(Locale.ROOT, "median: DuckDB CSV->Parquet %.2f s (%.1f MB/s), cairn "
          + "publish %.2f s (%.1f MB/s), ratio %.2f; readers: ours 1 thread %.2f s, ours "
          + "chunked %.2f s, DuckDB %.2f s%n", parquet, megabytes / parquet, publish,
          megabytes / publish, publish / parquet, median(seconds.get(2)),
          median(seconds.get(3)), median(seconds.get(4)));
    } finally {
      deleteQuietly(dir);
    }
  }

  /**
   * Deletes a folder and everything under it (a cluster's is a tree: the flat delete it used
   * left 5.5 GB in /tmp per run), reporting what cannot be deleted.
   */
  private static void deleteQuietly(Path folder) {
    try {
      DeleteTree.delete(folder);
    } catch (java.io.IOException e) {
      System.err.println("could not delete all of " + folder + ": " + e);
    }
  }

  /** DuckDB on every core: the CSV to LZ4 Parquet, types sniffed; returns seconds. */
  private static double parquet(Path csv, Path dir, int cores) throws Exception {
    Path out = dir.resolve("lineitem.parquet");
    try (Connection duckdb = DriverManager.getConnection("jdbc:duckdb:");
        Statement statement = duckdb.createStatement()) {
      statement.execute("SET threads = " + cores);
      long start = System.nanoTime();
      statement.execute("COPY (SELECT * FROM read_csv('" + csv + "', header = true)) TO '"
          + out + "' (FORMAT parquet, COMPRESSION lz4)");
      double seconds = (System.nanoTime() - start) / 1e9;
      Files.delete(out);
      return seconds;
    }
  }

  /** {@code cairn publish --replicas 3} to three fresh donors (started untimed); seconds. */
  private static double publish(Path csv, Path key, Path dir, int run) throws Exception {
    try (LocalCluster cluster = LocalCluster.start(dir.resolve("cluster-" + run),
        LocalCluster.Options.of(3))) {
      long start = System.nanoTime();
      int exit = Main.execute("publish", "--meta", cluster.metaHostPort(), "--key",
          key.toString(), "--table", "bench.lineitem", "--replicas", "3", csv.toString());
      double seconds = (System.nanoTime() - start) / 1e9;
      if (exit != 0) {
        throw new IllegalStateException("cairn publish exited with " + exit);
      }
      return seconds;
    } finally {
      deleteQuietly(dir.resolve("cluster-" + run));
    }
  }

  /** Our one-thread reader: every row into Arrow, nothing encoded; returns seconds. */
  private static double ourReaderOneThread(Path csv) {
    long start = System.nanoTime();
    try (BufferAllocator allocator = new RootAllocator();
        TableInput input = CsvReader.open(csv, CsvOptions.defaults(), allocator)) {
      List<VectorSchemaRoot> group;
      while ((group = input.next(PublishRequest.BATCH_TARGET_BYTES_DEFAULT)) != null) {
        group.forEach(VectorSchemaRoot::close);
      }
    }
    return (System.nanoTime() - start) / 1e9;
  }

  /** Our chunked reader, chunks parsed on {@code cores} threads into Arrow; returns seconds. */
  private static double ourReaderChunked(Path csv, int cores) throws Exception {
    long start = System.nanoTime();
    ExecutorService threads = Executors.newFixedThreadPool(cores);
    try (BufferAllocator allocator = new RootAllocator();
        TableInput input = CsvChunkInput.open(csv, CsvOptions.defaults(), allocator,
            (int) PublishRequest.BATCH_TARGET_BYTES_DEFAULT)) {
      List<Future<?>> inFlight = new ArrayList<>();
      TableInput.DeferredGroup group;
      while ((group = input.nextDeferred(PublishRequest.BATCH_TARGET_BYTES_DEFAULT)) != null) {
        TableInput.DeferredGroup parsed = group;
        inFlight.add(threads.submit(() -> parsed.decode().forEach(VectorSchemaRoot::close)));
        if (inFlight.size() >= 2 * cores) {
          inFlight.remove(0).get();
        }
      }
      for (Future<?> future : inFlight) {
        future.get();
      }
    } finally {
      threads.shutdownNow();
    }
    return (System.nanoTime() - start) / 1e9;
  }

  /** DuckDB's read_csv on every core, exported as Arrow batches and consumed; seconds. */
  private static double duckDbReader(Path csv, int cores) throws Exception {
    try (Connection duckdb = DriverManager.getConnection("jdbc:duckdb:");
        Statement statement = duckdb.createStatement();
        BufferAllocator allocator = new RootAllocator()) {
      statement.execute("SET threads = " + cores);
      long start = System.nanoTime();
      try (ResultSet rows = statement.executeQuery("SELECT * FROM read_csv('" + csv
          + "', header = true)");
          ArrowReader reader = (ArrowReader) rows.unwrap(DuckDBResultSet.class)
              .arrowExportStream(allocator, 1 << 16)) {
        long count = 0;
        while (reader.loadNextBatch()) {
          count += reader.getVectorSchemaRoot().getRowCount();
        }
        if (count == 0) {
          throw new IllegalStateException("DuckDB read no rows");
        }
      }
      return (System.nanoTime() - start) / 1e9;
    }
  }

  private static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int middle = sorted.size() / 2;
    return sorted.size() % 2 == 1 ? sorted.get(middle)
        : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
  }
}
