package dev.cairn.tpch.bench;

import dev.cairn.cluster.LocalCluster;
import dev.cairn.cli.demo.TpchDemo;
import dev.cairn.tpchdata.TpchTable;
import dev.cairn.wire.ContentId;
import dev.cairn.wire.TableSchema;
import dev.cairn.wire.Units;
import dev.cairn.wire.batch.BatchDecoder;
import dev.cairn.wire.batch.DecodedBatch;
import dev.cairn.wire.crypto.SigningKey;
import dev.cairn.wire.manifest.BatchRef;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.duckdb.DuckDBConnection;

/**
 * Verified scan throughput of TPC-H lineitem ({@value #SQL}) through jdbc:cairn from three
 * local donors, cold (a new runtime: empty cache) and warm, beside, in the same run: the same
 * blobs read from local files (read, verify SHA-256, decode to Arrow on one thread: all
 * columns, and only the two the query reads, as the driver does), DuckDB
 * scanning the same rows in memory, and the cold scan with every donor under a download limit
 * L, against n·L. Arguments: {@code --scale SF} (1), {@code --runs N} (3), {@code --limit
 * RATE} (50MiB/s). Run on demand, never in CI.
 */
public final class ScanBenchmark {
  static final String SQL = "select sum(l_extendedprice), sum(l_quantity) from lineitem";

  private ScanBenchmark() {}

  public static void main(String[] args) throws Exception {
    LineitemBench bench = LineitemBench.start("cairn-scan-bench", args, 3);
    Path root = bench.root;
    int runs = bench.runs;
    long limit = bench.limitBytesPerSecond;
    SigningKey key = SigningKey.generate(new SecureRandom());
    ScanFigures figures = new ScanFigures(bench.rows);
    try (BufferAllocator allocator = new RootAllocator()) {
      try (LocalCluster cluster = LocalCluster.start(root.resolve("free"),
          LocalCluster.Options.of(3))) {
        publish(bench, cluster, key);
        unlimited(cluster, root, runs, allocator, figures);
      }
      try (LocalCluster cluster = LocalCluster.start(root.resolve("limited"),
          LocalCluster.Options.of(3).withDownloadLimit(limit))) {
        publish(bench, cluster, key);
        CairnColdWarm cairn = new CairnColdWarm(cluster.metaHostPort(), TpchDemo.SCHEMA,
            root.resolve("limited-cache"));
        List<Double> cold = new ArrayList<>();
        for (int r = 0; r < runs; r++) {
          cold.add(cairn.run(SQL, 3).coldMs());
        }
        figures.add("Cairn cold, each donor limited to " + Units.formatSize(limit) + "/s",
            cold, "n·L = " + Units.formatSize(3 * limit) + "/s");
        figures.limit = limit;
      }
    }
    System.out.println(figures.markdown());
    bench.delete();
  }

  private static void publish(LineitemBench bench, LocalCluster cluster, SigningKey key) {
    bench.publish(cluster, key, TpchDemo.SCHEMA, request -> request.withReplicas(3));
  }

  private static void unlimited(LocalCluster cluster, Path root, int runs,
      BufferAllocator allocator, ScanFigures figures) throws Exception {
    CairnColdWarm cairn = new CairnColdWarm(cluster.metaHostPort(), TpchDemo.SCHEMA,
        root.resolve("cache"));
    List<Double> cold = new ArrayList<>();
    List<Double> warm = new ArrayList<>();
    for (int r = 0; r < runs; r++) {
      CairnColdWarm.Result c = cairn.run(SQL, runs);
      cold.add(c.coldMs());
      warm.addAll(c.warmRuns());
    }
    try (DonorDownload download = new DonorDownload(cluster.metaAddress())) {
      DonorDownload.Table table = download.download(TpchDemo.SCHEMA, "lineitem");
      figures.blobBytes = table.bytes();
      figures.add("Cairn cold (empty cache), 3 donors", cold, "");
      figures.add("Cairn warm", warm, "");
      writeFiles(root.resolve("blobs"), table);
      localFiles(root.resolve("blobs"), table, runs, allocator, figures, null);
      localFiles(root.resolve("blobs"), table, runs, allocator, figures,
          new String[] {"l_quantity", "l_extendedprice"});
      try (DuckDBConnection duckdb = (DuckDBConnection) TpchBenchmark.duckdb()) {
        ArrowLoad.load(duckdb, allocator, TpchTable.LINEITEM, table);
        QueryRuns.once(duckdb, SQL, 0);
        figures.add("DuckDB in memory, same rows", QueryRuns.times(duckdb, SQL, runs), "");
      }
    }
  }

  private static void writeFiles(Path dir, DonorDownload.Table table) throws Exception {
    Files.createDirectories(dir);
    List<BatchRef> batches = table.manifest().batches();
    for (int i = 0; i < batches.size(); i++) {
      Files.write(dir.resolve(batches.get(i).id().toHex() + ".blob"), table.blobs().get(i));
    }
  }

  /**
   * Times read + verify + decode of every blob file: of all columns ({@code names} null), or
   * of only the named ones, as the driver decodes for the query.
   */
  private static void localFiles(Path dir, DonorDownload.Table table, int runs,
      BufferAllocator allocator, ScanFigures figures, String[] names) throws Exception {
    TableSchema schema = table.manifest().schema();
    int[] columns = names == null ? java.util.stream.IntStream.range(0, schema.size()).toArray()
        : java.util.Arrays.stream(names).mapToInt(n -> indexOf(schema, n)).sorted().toArray();
    List<BatchRef> batches = table.manifest().batches();
    List<Double> times = new ArrayList<>();
    for (int r = 0; r < runs; r++) {
      long start = System.nanoTime();
      long arrowBytes = 0;
      long rows = 0;
      for (BatchRef b : batches) {
        ContentId id = b.id();
        byte[] blob = Files.readAllBytes(dir.resolve(id.toHex() + ".blob"));
        if (!ContentId.of(blob).equals(id)) {
          throw new IllegalStateException("file of " + id + " does not hash to its id");
        }
        try (DecodedBatch decoded = BatchDecoder.decode(blob, schema, columns, allocator)) {
          rows += decoded.rowCount();
          for (var root : decoded.roots()) {
            for (var vector : root.getFieldVectors()) {
              arrowBytes += vector.getBufferSize();
            }
          }
        }
      }
      times.add(Stats.millisSince(start));
      if (names == null) {
        figures.arrowBytes = arrowBytes;
      }
      if (rows != figures.rows) {
        throw new IllegalStateException("local files hold " + rows + " rows, not "
            + figures.rows);
      }
    }
    figures.add(names == null ? "Local files: read + verify + decode all columns (1 thread)"
        : "Local files: read + verify + decode " + String.join(", ", names) + " (1 thread)",
        times, "");
  }

  private static int indexOf(TableSchema schema, String name) {
    for (int i = 0; i < schema.size(); i++) {
      if (schema.column(i).name().equals(name)) {
        return i;
      }
    }
    throw new IllegalArgumentException("no column " + name);
  }
}
