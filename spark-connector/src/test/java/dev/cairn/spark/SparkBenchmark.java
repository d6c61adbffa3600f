package dev.cairn.spark;

import dev.cairn.client.publish.ProgressListener;
import dev.cairn.client.publish.PublishRequest;
import dev.cairn.client.publish.Publisher;
import dev.cairn.cluster.LocalCluster;
import dev.cairn.tpchdata.TpchGenerator;
import dev.cairn.tpchdata.TpchQueries;
import dev.cairn.tpchdata.TpchTable;
import dev.cairn.wire.Column;
import dev.cairn.wire.ColumnType;
import dev.cairn.wire.Units;
import dev.cairn.wire.crypto.SigningKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Spark {@code local[2]} over Cairn against Spark over the same data as local Parquet files
 * (written by DuckDB from the same generated CSV), in one JVM and one run: the lineitem scan
 * and TPC-H queries, each query's runs interleaved (Cairn, Parquet, Cairn, Parquet ...). The
 * first Cairn run of a query is its cold run (the JVM's blob cache emptied first, so every
 * batch is fetched, from donors whose files the OS may have cached); its later ("warm") runs
 * read from the connector's blob cache (default size). Then the lineitem scan from donors each
 * limited to L against the same scan from the unlimited ones, both around the cache
 * ({@code cacheSize} 0), to show whether the cold read is bound by the donors' bandwidth or by
 * decoding. Arguments: {@code
 * --scale SF} (1), {@code --runs N} (3 per source and query), {@code --queries 1,6,...} (all
 * 22), {@code --limit RATE} (20MiB/s). Run on demand (docs/benchmarks.md), never in CI.
 */
public final class SparkBenchmark {
  static final String SCAN = "select sum(l_extendedprice), sum(l_quantity) from lineitem";
  private static final String SCHEMA = "tpch";

  private SparkBenchmark() {}

  public static void main(String[] args) throws Exception {
    double scale = 1;
    int runs = 3;
    long limit = Units.parseRate("20MiB/s");
    List<Integer> queries = new ArrayList<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--scale" -> scale = Double.parseDouble(args[i + 1]);
        case "--runs" -> runs = Integer.parseInt(args[i + 1]);
        case "--limit" -> limit = Units.parseRate(args[i + 1]);
        case "--queries" -> {
          for (String q : args[i + 1].split(",")) {
            queries.add(Integer.parseInt(q.trim()));
          }
        }
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    if (queries.isEmpty()) {
      for (int q = 1; q <= TpchQueries.COUNT; q++) {
        queries.add(q);
      }
    }
    System.out.println("start: " + uptime());
    Path root = Files.createTempDirectory("cairn-spark-bench");
    Map<TpchTable, Path> csv = TpchGenerator.writeCsv(root.resolve("csv"), scale);
    Path parquet = Files.createDirectories(root.resolve("parquet"));
    writeParquet(csv, parquet);
    SigningKey writer = SigningKey.generate(new SecureRandom());
    try (LocalCluster cluster = LocalCluster.start(root.resolve("cluster"),
        LocalCluster.Options.of(SparkRig.DONORS));
        LocalCluster limited = LocalCluster.start(root.resolve("limited"),
            LocalCluster.Options.of(SparkRig.DONORS).withDownloadLimit(limit))) {
      long blobBytes = 0;
      for (TpchTable table : TpchTable.values()) {
        long start = System.nanoTime();
        long bytes = publish(cluster, writer, table, csv.get(table));
        System.out.printf(Locale.ROOT, "published %s: %.1f MB of blobs in %.1f s%n",
            table.tableName(), bytes / 1e6, (System.nanoTime() - start) / 1e9);
      }
      blobBytes = publish(limited, writer, TpchTable.LINEITEM, csv.get(TpchTable.LINEITEM));
      SparkSession spark = SparkSession.builder()
          .master("local[2]")
          .appName("cairn-spark-bench")
          .config("spark.ui.enabled", "false")
          .config("spark.driver.host", "127.0.0.1")
          .config("spark.driver.bindAddress", "127.0.0.1")
          .config("spark.sql.shuffle.partitions", "4")
          .config("spark.sql.catalog.cairn", CairnCatalog.class.getName())
          .config("spark.sql.catalog.cairn.meta", cluster.metaHostPort())
          .config("spark.sql.catalog.cairnlimited", CairnCatalog.class.getName())
          .config("spark.sql.catalog.cairnlimited.meta", limited.metaHostPort())
          .config("spark.sql.catalog.cairnlimited.cacheSize", "0")
          .config("spark.sql.catalog.cairnuncached", CairnCatalog.class.getName())
          .config("spark.sql.catalog.cairnuncached.meta", cluster.metaHostPort())
          .config("spark.sql.catalog.cairnuncached.cacheSize", "0")
          .getOrCreate();
      try {
        SparkSession onCairn = spark.newSession();
        onCairn.sql("USE cairn." + SCHEMA);
        SparkSession onParquet = spark.newSession();
        for (TpchTable table : TpchTable.values()) {
          onParquet.read().parquet(parquet.resolve(table.tableName() + ".parquet").toString())
              .createOrReplaceTempView(table.tableName());
        }
        SparkSession onLimited = spark.newSession();
        onLimited.sql("USE cairnlimited." + SCHEMA);
        SparkSession uncached = spark.newSession();
        uncached.sql("USE cairnuncached." + SCHEMA);
        List<String> lines = new ArrayList<>();
        lines.add("| query | Cairn cold | Cairn warm runs | Cairn warm median | Parquet runs"
            + " | Parquet median | warm Cairn / Parquet |");
        lines.add("|---|---|---|---|---|---|---|");
        List<Double> ratios = new ArrayList<>();
        lines.add(compare("lineitem scan", SCAN, onCairn, onParquet, runs, ratios));
        for (int q : queries) {
          lines.add(compare("q" + q, TpchQueries.text(q), onCairn, onParquet, runs, ratios));
        }
        lines.add(limitedScan(onLimited, uncached, runs, blobBytes, limit));
        System.out.printf(Locale.ROOT, "geomean warm Cairn / Parquet over %d: %.2f%n",
            ratios.size(), geomean(ratios));
        System.out.println("end: " + uptime());
        lines.forEach(System.out::println);
      } finally {
        spark.stop();
      }
    } finally {
      deleteTree(root);
    }
  }

  /** Runs one query on both sources, interleaved, and returns its table row. */
  private static String compare(String label, String sql, SparkSession cairn,
      SparkSession parquet, int runs, List<Double> ratios) {
    List<Double> cairnRuns = new ArrayList<>();
    List<Double> parquetRuns = new ArrayList<>();
    String cairnAnswer = null;
    String parquetAnswer = null;
    long warmFetched = 0;
    long warmHits = 0;
    for (int r = 0; r < runs; r++) {
      if (r == 0) {
        VerifiedBlobCache.SHARED.clear(); // cold: nothing of this query (or any) cached
      }
      long fetched = ReadCounters.fetchedBatches();
      long hits = ReadCounters.cacheHits();
      long start = System.nanoTime();
      cairnAnswer = answer(cairn, sql);
      cairnRuns.add(millisSince(start));
      if (r > 0) {
        warmFetched += ReadCounters.fetchedBatches() - fetched;
        warmHits += ReadCounters.cacheHits() - hits;
      }
      start = System.nanoTime();
      parquetAnswer = answer(parquet, sql);
      parquetRuns.add(millisSince(start));
    }
    if (!cairnAnswer.equals(parquetAnswer)) {
      System.out.println(label + ": ANSWERS DIFFER\n cairn:   " + cairnAnswer
          + "\n parquet: " + parquetAnswer);
    }
    System.out.printf(Locale.ROOT, "%s warm runs: %d batches fetched, %d from the cache (%.1f MB"
        + " cached)%n", label, warmFetched, warmHits,
        VerifiedBlobCache.SHARED.residentBytes() / 1e6);
    double cold = cairnRuns.get(0);
    List<Double> warm = runs > 1 ? cairnRuns.subList(1, runs) : cairnRuns;
    double warmMedian = median(warm);
    double parquetMedian = median(parquetRuns);
    ratios.add(warmMedian / parquetMedian);
    String row = String.format(Locale.ROOT, "| %s | %.0f | %s | %.0f | %s | %.0f | %.2f |",
        label, cold, list(warm), warmMedian, list(parquetRuns), parquetMedian,
        warmMedian / parquetMedian);
    System.out.println(row);
    return row;
  }

  /**
   * The lineitem scan from donors each limited to {@code limit}, interleaved with the same
   * scan from the unlimited donors: blob bytes per second against n·L.
   */
  private static String limitedScan(SparkSession limited, SparkSession free, int runs,
      long blobBytes, long limit) {
    List<Double> limitedRuns = new ArrayList<>();
    List<Double> freeRuns = new ArrayList<>();
    for (int r = 0; r < runs; r++) {
      long start = System.nanoTime();
      answer(limited, SCAN);
      limitedRuns.add(millisSince(start));
      start = System.nanoTime();
      answer(free, SCAN);
      freeRuns.add(millisSince(start));
    }
    double seconds = median(limitedRuns) / 1000;
    double nL = (double) SparkRig.DONORS * limit;
    String row = String.format(Locale.ROOT, "| lineitem scan, %d donors each limited to %s:"
        + " %s ms (median %.0f); unlimited, interleaved: %s ms (median %.0f); %.1f MB of blobs"
        + " at %.1f MiB/s = %.2f x n*L |", SparkRig.DONORS, Units.formatSize(limit) + "/s",
        list(limitedRuns), median(limitedRuns), list(freeRuns), median(freeRuns),
        blobBytes / 1e6, blobBytes / seconds / (1 << 20), blobBytes / seconds / nL);
    System.out.println(row);
    return row;
  }

  private static String answer(SparkSession session, String sql) {
    StringJoiner rows = new StringJoiner("; ");
    for (Row row : session.sql(sql).collectAsList()) {
      rows.add(row.toString());
    }
    return rows.toString();
  }

  private static long publish(LocalCluster cluster, SigningKey writer, TpchTable table,
      Path csv) {
    return Publisher.publish(PublishRequest.of(cluster.metaAddresses(), writer, SCHEMA,
        table.tableName(), List.of(csv)).withSchema(schemaSpec(table)),
        ProgressListener.NONE).bytes();
  }

  /** Writes each table's CSV as a Parquet file, through DuckDB with the tables' own types. */
  private static void writeParquet(Map<TpchTable, Path> csv, Path dir) throws Exception {
    try (Connection duckdb = DriverManager.getConnection("jdbc:duckdb:");
        Statement statement = duckdb.createStatement()) {
      for (TpchTable table : TpchTable.values()) {
        statement.execute(table.createTableSql());
        StringJoiner text = new StringJoiner(", ", "(", ")");
        for (Column c : table.schema().columns()) {
          if (c.type().equals(ColumnType.VARCHAR)) {
            text.add(c.name());
          }
        }
        statement.execute("COPY " + table.tableName() + " FROM '" + csv.get(table)
            + "' (FORMAT csv, HEADER true, DELIMITER ',', QUOTE '\"', ESCAPE '\"',"
            + " FORCE_NOT_NULL " + text + ")");
        statement.execute("COPY " + table.tableName() + " TO '"
            + dir.resolve(table.tableName() + ".parquet") + "' (FORMAT parquet)");
      }
    }
  }

  private static String schemaSpec(TpchTable table) {
    StringJoiner spec = new StringJoiner(", ");
    for (Column column : table.schema().columns()) {
      spec.add(column.name() + " " + column.type().toSql()
          + (column.nullable() ? "" : " NOT NULL"));
    }
    return spec.toString();
  }

  private static double millisSince(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e6;
  }

  private static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  private static double geomean(List<Double> values) {
    double log = 0;
    for (double v : values) {
      log += Math.log(v);
    }
    return Math.exp(log / values.size());
  }

  private static String list(List<Double> values) {
    StringJoiner out = new StringJoiner(", ");
    values.forEach(v -> out.add(String.format(Locale.ROOT, "%.0f", v)));
    return out.toString();
  }

  private static String uptime() {
    try {
      return new String(new ProcessBuilder("uptime").start().getInputStream().readAllBytes())
          .trim();
    } catch (java.io.IOException e) {
      return "uptime unavailable: " + e.getMessage();
    }
  }

  private static void deleteTree(Path root) throws java.io.IOException {
    try (var walk = Files.walk(root)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
