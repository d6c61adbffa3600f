package dev.cairn.tpch.bench;

import dev.cairn.cluster.LocalCluster;
import dev.cairn.cli.demo.TpchDemo;
import dev.cairn.tpchdata.TpchGenerator;
import dev.cairn.tpchdata.TpchQueries;
import dev.cairn.tpchdata.TpchTable;
import dev.cairn.wire.crypto.SigningKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;

/**
 * The 22 TPC-H queries, timed in one run on this machine: Cairn through jdbc:cairn over a
 * LocalCluster (1 metadata service, 3 donors, R = 3) cold and warm, DuckDB in memory on the
 * same generated data, the naive cold path (download whole tables, load, query), and H2 in
 * memory at {@code --h2-scale} beside Cairn at that scale. Writes a markdown report into
 * {@code --out} and a bar chart to {@code --chart}. Run on demand, never in CI.
 *
 * <p>Arguments: {@code --scale SF} (1), {@code --runs N} (3), {@code --h2-scale SF} (0.1),
 * {@code --h2-timeout S} (60), {@code --out DIR} (target/tpch-benchmark),
 * {@code --chart FILE} (docs/tpch-benchmark.png), {@code --peers all|duckdb} (all: also the
 * naive path and H2; duckdb: DuckDB alone, for a machine too loaded for the long peers).
 */
public final class TpchBenchmark {
  static final int DUCKDB_THREADS = Math.min(4, Runtime.getRuntime().availableProcessors());

  private TpchBenchmark() {}

  public static void main(String[] args) throws Exception {
    BenchArgs a = BenchArgs.parse(args);
    Path root = Files.createTempDirectory("cairn-tpch-bench");
    TpchReport report = new TpchReport(a);
    try (LocalCluster cluster = LocalCluster.start(root.resolve("cluster"),
            LocalCluster.Options.of(3));
        BufferAllocator allocator = new RootAllocator();
        DonorDownload download = new DonorDownload(cluster.metaAddress())) {
      SigningKey key = SigningKey.generate(new SecureRandom());
      publish(cluster, key, root, a.scale(), report);
      CairnColdWarm cairn = new CairnColdWarm(cluster.metaHostPort(), TpchDemo.SCHEMA, root);
      NaivePath naive = new NaivePath(download, allocator, TpchDemo.SCHEMA, DUCKDB_THREADS);
      try (Connection duckdb = duckdb()) {
        long start = System.nanoTime();
        TpchGenerator.loadInto(duckdb, a.scale());
        report.note("DuckDB reference loaded (generate + COPY) in "
            + Stats.ms(Stats.millisSince(start)) + " ms");
        warmUp(cairn, naive, duckdb);
        for (int q = 1; q <= TpchQueries.COUNT; q++) {
          measureQuery(q, a, cairn, naive, duckdb, report);
        }
      }
      if (a.duckdbOnly()) {
        report.note("Peers: DuckDB only (--peers duckdb): the naive path and H2 were not run");
      } else {
        publish(cluster, key, root, a.h2Scale(), report);
        H2Side.measure(a, new CairnColdWarm(cluster.metaHostPort(), TpchDemo.SCHEMA,
            root.resolve("h2scale")), report);
      }
    }
    report.write();
    DeleteTree.delete(root);
  }

  private static void publish(LocalCluster cluster, SigningKey key, Path root, double scale,
      TpchReport report) throws Exception {
    long start = System.nanoTime();
    Map<TpchTable, Path> csv = TpchDemo.generate(root.resolve("csv-" + scale), scale);
    double generateMs = Stats.millisSince(start);
    start = System.nanoTime();
    List<TpchDemo.PublishedTable> published = TpchDemo.publish(List.of(cluster.metaAddress()),
        key, csv, 3);
    double publishMs = Stats.millisSince(start);
    long bytes = published.stream().mapToLong(TpchDemo.PublishedTable::bytes).sum();
    int batches = published.stream().mapToInt(TpchDemo.PublishedTable::batches).sum();
    report.note(String.format(java.util.Locale.ROOT, "SF %s: CSV generated in %.1f s,"
        + " published (R = 3) in %.1f s as %d batches, %.1f MB of blobs, version %d", scale,
        generateMs / 1000, publishMs / 1000, batches, bytes / 1e6,
        published.get(0).version()));
    for (Path file : csv.values()) {
      Files.deleteIfExists(file);
    }
  }

  static Connection duckdb() throws Exception {
    Properties properties = new Properties();
    properties.setProperty("threads", Integer.toString(DUCKDB_THREADS));
    properties.setProperty("memory_limit", "8GiB");
    return DriverManager.getConnection("jdbc:duckdb:", properties);
  }

  /** JIT and class loading before anything is timed: translation, a naive load, DuckDB. */
  private static void warmUp(CairnColdWarm cairn, NaivePath naive, Connection duckdb)
      throws Exception {
    for (int q = 1; q <= TpchQueries.COUNT; q++) {
      cairn.tablesOf(TpchQueries.text(q));
    }
    naive.run("select count(*) from nation", List.of("nation"));
    QueryRuns.once(duckdb, TpchQueries.text(1), 0);
  }

  private static void measureQuery(int q, BenchArgs a, CairnColdWarm cairn, NaivePath naive,
      Connection duckdb, TpchReport report) throws Exception {
    String sql = TpchQueries.text(q);
    CairnColdWarm.Result c = cairn.run(sql, a.runs());
    QueryRuns.Run duckWarmUp = QueryRuns.once(duckdb, sql, 0);
    List<Double> duck = QueryRuns.times(duckdb, sql, a.runs());
    NaivePath.Result n = a.duckdbOnly()
        ? new NaivePath.Result(Double.NaN, Double.NaN, Double.NaN, 0, c.rows())
        : naive.run(sql, c.tables());
    if (duckWarmUp.rows() != c.rows() || n.rows() != c.rows()) {
      report.note("Q" + q + ": row counts differ: Cairn " + c.rows() + ", DuckDB "
          + duckWarmUp.rows() + ", naive " + n.rows());
    }
    report.add(q, c, Stats.median(duck), n);
    System.out.printf(java.util.Locale.ROOT,
        "Q%02d cairn cold %s merge %s warm %s %s (snap %s, translate %s, views %s) duckdb %s"
            + " naive %s (dl %s load %s q %s) fetched %.1f MB%n", q, Stats.ms(c.coldMs()),
        Stats.ms(c.mergeMs()), Stats.ms(c.warmMs()), c.warmRuns().stream().map(Stats::ms)
            .toList(), Stats.ms(c.snapshotMs()), Stats.ms(c.translateMs()),
        Stats.ms(c.duckdbOverViewsMs()), Stats.ms(Stats.median(duck)), Stats.ms(n.totalMs()),
        Stats.ms(n.downloadMs()), Stats.ms(n.loadMs()), Stats.ms(n.queryMs()),
        c.coldBytes() / 1e6);
  }

  /** The command line. */
  record BenchArgs(double scale, int runs, double h2Scale, int h2TimeoutSeconds, Path out,
      Path chart, boolean duckdbOnly) {
    static BenchArgs parse(String[] args) {
      double scale = 1;
      int runs = 3;
      double h2Scale = 0.1;
      int h2Timeout = 60;
      Path out = Path.of("target/tpch-benchmark");
      Path chart = Path.of("docs/tpch-benchmark.png");
      boolean duckdbOnly = false;
      for (int i = 0; i + 1 < args.length; i += 2) {
        switch (args[i]) {
          case "--scale" -> scale = Double.parseDouble(args[i + 1]);
          case "--runs" -> runs = Integer.parseInt(args[i + 1]);
          case "--h2-scale" -> h2Scale = Double.parseDouble(args[i + 1]);
          case "--h2-timeout" -> h2Timeout = Integer.parseInt(args[i + 1]);
          case "--out" -> out = Path.of(args[i + 1]);
          case "--chart" -> chart = Path.of(args[i + 1]);
          case "--peers" -> duckdbOnly = switch (args[i + 1]) {
            case "all" -> false;
            case "duckdb" -> true;
            default -> throw new IllegalArgumentException("--peers is all or duckdb");
          };
          default -> throw new IllegalArgumentException("unknown argument " + args[i]);
        }
      }
      if (runs < 3) {
        throw new IllegalArgumentException("--runs must be at least 3 (medians)");
      }
      return new BenchArgs(scale, runs, h2Scale, h2Timeout, out, chart, duckdbOnly);
    }
  }

  static List<Double> list(double... values) {
    List<Double> out = new ArrayList<>();
    for (double v : values) {
      out.add(v);
    }
    return out;
  }
}
