package dev.cairn.tpch.bench;

import dev.cairn.cli.demo.TpchDemo;
import dev.cairn.client.publish.ProgressListener;
import dev.cairn.client.publish.PublishRequest;
import dev.cairn.client.publish.PublishResult;
import dev.cairn.client.publish.Publisher;
import dev.cairn.cluster.LocalCluster;
import dev.cairn.tpchdata.TpchGenerator;
import dev.cairn.tpchdata.TpchTable;
import dev.cairn.wire.Units;
import dev.cairn.wire.crypto.SigningKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;

/**
 * The setup the lineitem benchmarks ({@link ScanBenchmark}, {@link ErasureBenchmark}) share:
 * their arguments {@code --scale SF} (1), {@code --runs N} and {@code --limit RATE} (50MiB/s;
 * a comma list such as {@code 4MiB/s,8MiB/s} gives several, the first being {@link
 * #limitBytesPerSecond}),
 * TPC-H lineitem written as CSV into a new temporary directory, and publishing that CSV to a
 * local cluster.
 */
final class LineitemBench {
  final double scale;
  final int runs;
  /** The download limit of each donor in the limited runs, bytes per second. */
  final long limitBytesPerSecond;
  /** Every download limit given, in order; its first is {@link #limitBytesPerSecond}. */
  final List<Long> limitsBytesPerSecond;
  /** The temporary directory: the CSV and, below it, each cluster's data. */
  final Path root;
  final Path csv;
  /** How many rows of lineitem the CSV holds. */
  final long rows;

  private LineitemBench(double scale, int runs, List<Long> limits, Path root, long rows) {
    this.scale = scale;
    this.runs = runs;
    this.limitsBytesPerSecond = List.copyOf(limits);
    this.limitBytesPerSecond = limits.get(0);
    this.root = root;
    this.csv = csvIn(root);
    this.rows = rows;
  }

  private static Path csvIn(Path root) {
    return root.resolve("lineitem.csv");
  }

  /**
   * Parses {@code args} ({@code runsDefault} runs unless given), then writes lineitem as CSV
   * into a new temporary directory named after {@code prefix}.
   */
  static LineitemBench start(String prefix, String[] args, int runsDefault) throws IOException {
    double scale = 1;
    int runs = runsDefault;
    List<Long> limits = List.of(Units.parseRate("50MiB/s"));
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--scale" -> scale = Double.parseDouble(args[i + 1]);
        case "--runs" -> runs = Integer.parseInt(args[i + 1]);
        case "--limit" -> limits = Arrays.stream(args[i + 1].split(","))
            .map(rate -> Units.parseRate(rate.trim())).toList();
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    Path root = Files.createTempDirectory(prefix);
    Path csv = csvIn(root);
    long start = System.nanoTime();
    long rows = TpchGenerator.writeCsv(TpchTable.LINEITEM, csv, scale);
    System.out.printf(Locale.ROOT, "lineitem SF %s: %d rows, CSV %.1f MB in %.1f s%n", scale,
        rows, Files.size(csv) / 1e6, Stats.millisSince(start) / 1000);
    return new LineitemBench(scale, runs, limits, root, rows);
  }

  /**
   * Publishes the CSV as {@code schema}.lineitem to {@code cluster}, signed by {@code key},
   * with {@code redundancy} choosing copies or erasure coding; prints what it published.
   */
  PublishResult publish(LocalCluster cluster, SigningKey key, String schema,
      UnaryOperator<PublishRequest> redundancy) {
    long start = System.nanoTime();
    PublishResult result = Publisher.publish(redundancy.apply(PublishRequest.of(
        List.of(cluster.metaAddress()), key, schema, "lineitem", List.of(csv)))
        .withSchema(TpchDemo.schemaSpec(TpchTable.LINEITEM.schema())), ProgressListener.NONE);
    System.out.printf(Locale.ROOT, "%s: published %d batches, %.1f MB of blobs in %.1f s%n",
        schema, result.batches(), result.bytes() / 1e6, Stats.millisSince(start) / 1000);
    return result;
  }

  /** Deletes the temporary directory and everything in it. */
  void delete() throws IOException {
    DeleteTree.delete(root);
  }
}
