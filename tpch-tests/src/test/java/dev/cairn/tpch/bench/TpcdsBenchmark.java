package dev.cairn.tpch.bench;

import dev.cairn.cluster.LocalCluster;
import dev.cairn.client.publish.PublishResult;
import dev.cairn.tpch.TpcdsPublication;
import dev.cairn.tpchdata.tpcds.TpcdsGenerator;
import dev.cairn.tpchdata.tpcds.TpcdsQueries;
import dev.cairn.tpchdata.tpcds.TpcdsTable;
import dev.cairn.wire.crypto.SigningKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The TPC-DS queries timed in one run on this machine, with TPC-H's method ({@link
 * TpchBenchmark}): Cairn through jdbc:cairn over a LocalCluster (1 metadata service, 3 donors,
 * R = 3), each query cold on a fresh runtime and then warm (median of {@code --runs}); DuckDB
 * in memory on the same generated data, warm (median after one untimed run); the warm
 * geometric mean ratio Cairn/DuckDB over the queries both answered. A query Cairn refuses or
 * fails is listed and left out of the means. Writes a markdown report to {@code --out}. Run on
 * demand, never in CI.
 *
 * <p>Arguments: {@code --scale SF} (1), {@code --runs N} (3), {@code --queries 1,2,...} (all
 * 99), {@code --out FILE} (target/tpcds-benchmark.md).
 */
public final class TpcdsBenchmark {
  private TpcdsBenchmark() {}

  public static void main(String[] args) throws Exception {
    Args a = Args.parse(args);
    Path root = Files.createTempDirectory("cairn-tpcds-bench");
    List<String> notes = new ArrayList<>();
    List<String> rows = new ArrayList<>();
    List<Double> cairnWarm = new ArrayList<>();
    List<Double> duckdbWarm = new ArrayList<>();
    List<Double> ratios = new ArrayList<>();
    try (LocalCluster cluster = LocalCluster.start(root.resolve("cluster"),
            LocalCluster.Options.of(3));
        Connection duckdb = TpchBenchmark.duckdb()) {
      long start = System.nanoTime();
      Map<TpcdsTable, Path> csv = TpcdsGenerator.writeCsv(root.resolve("csv"), a.scale());
      note(notes, "SF %s: CSV generated in %.1f s", a.scale(), Stats.millisSince(start) / 1000);
      start = System.nanoTime();
      Map<TpcdsTable, PublishResult> published = TpcdsPublication.publish(
          List.of(cluster.metaAddress()), SigningKey.generate(new SecureRandom()), csv, 3);
      note(notes, "published (R = 3) in %.1f s as %d batches, %.1f MB of blobs",
          Stats.millisSince(start) / 1000,
          published.values().stream().mapToInt(PublishResult::batches).sum(),
          published.values().stream().mapToLong(PublishResult::bytes).sum() / 1e6);
      start = System.nanoTime();
      TpcdsGenerator.loadInto(duckdb, csv);
      note(notes, "DuckDB reference loaded (COPY) in %.1f s", Stats.millisSince(start) / 1000);
      CairnColdWarm cairn = new CairnColdWarm(cluster.metaHostPort(),
          TpcdsPublication.SCHEMA, root);
      for (int q : a.queries()) {
        String sql = TpcdsQueries.text(q);
        QueryRuns.Run duckWarmUp = QueryRuns.once(duckdb, sql, 0);
        double duck = Stats.median(QueryRuns.times(duckdb, sql, a.runs()));
        CairnColdWarm.Result c;
        try {
          c = cairn.run(sql, a.runs());
        } catch (SQLException e) {
          String line = e.getMessage() == null ? "" : e.getMessage().split("\n", 2)[0];
          rows.add(String.format(Locale.ROOT, "| q%d | fails | | %s | | %s |", q,
              Stats.ms(duck), line.replace("|", "\\|")));
          System.out.printf(Locale.ROOT, "q%02d cairn fails: %s%n", q, line);
          continue;
        }
        double ratio = c.warmMs() / duck;
        cairnWarm.add(c.warmMs());
        duckdbWarm.add(duck);
        ratios.add(ratio);
        String rowNote = duckWarmUp.rows() == c.rows() ? ""
            : "row counts differ: Cairn " + c.rows() + ", DuckDB " + duckWarmUp.rows();
        rows.add(String.format(Locale.ROOT, "| q%d | %s | %s | %s | %s | %s |", q,
            Stats.ms(c.coldMs()), Stats.ms(c.warmMs()), Stats.ms(duck), Stats.ratio(ratio),
            rowNote));
        System.out.printf(Locale.ROOT, "q%02d cairn cold %s warm %s duckdb %s ratio %s%n", q,
            Stats.ms(c.coldMs()), Stats.ms(c.warmMs()), Stats.ms(duck), Stats.ratio(ratio));
      }
    }
    write(a, notes, rows, cairnWarm, duckdbWarm, ratios);
    DeleteTree.delete(root);
  }

  private static void note(List<String> notes, String format, Object... values) {
    String line = String.format(Locale.ROOT, format, values);
    System.out.println(line);
    notes.add(line);
  }

  private static void write(Args a, List<String> notes, List<String> rows,
      List<Double> cairnWarm, List<Double> duckdbWarm, List<Double> ratios) throws Exception {
    StringBuilder md = new StringBuilder("# TPC-DS through jdbc:cairn\n\n");
    md.append(String.format(Locale.ROOT, "Scale %s, %d warm runs (medians). Java %s, %d"
        + " cores.%n%n", a.scale(), a.runs(), System.getProperty("java.version"),
        Runtime.getRuntime().availableProcessors()));
    notes.forEach(n -> md.append("- ").append(n).append('\n'));
    md.append(String.format(Locale.ROOT, "%n**Warm geometric mean ratio Cairn/DuckDB: %s** over"
        + " %d of %d queries (Cairn warm %s ms, DuckDB warm %s ms).%n%n",
        Stats.ratio(Stats.geomean(ratios)), ratios.size(), a.queries().size(),
        Stats.ms(Stats.geomean(cairnWarm)), Stats.ms(Stats.geomean(duckdbWarm))));
    md.append("| query | Cairn cold ms | Cairn warm ms | DuckDB warm ms | warm ratio | note |\n");
    md.append("|---|---|---|---|---|---|\n");
    rows.forEach(r -> md.append(r).append('\n'));
    Files.createDirectories(a.out().toAbsolutePath().getParent());
    Files.writeString(a.out(), md);
    System.out.println(md);
  }

  /** The command line. */
  record Args(double scale, int runs, List<Integer> queries, Path out) {
    static Args parse(String[] args) {
      double scale = 1;
      int runs = 3;
      String queries = null;
      Path out = Path.of("target/tpcds-benchmark.md");
      for (int i = 0; i + 1 < args.length; i += 2) {
        switch (args[i]) {
          case "--scale" -> scale = Double.parseDouble(args[i + 1]);
          case "--runs" -> runs = Integer.parseInt(args[i + 1]);
          case "--queries" -> queries = args[i + 1];
          case "--out" -> out = Path.of(args[i + 1]);
          default -> throw new IllegalArgumentException("unknown argument " + args[i]);
        }
      }
      if (args.length % 2 != 0) {
        throw new IllegalArgumentException("every argument takes a value: " + args[args.length - 1]);
      }
      if (runs < 3) {
        throw new IllegalArgumentException("--runs must be at least 3 (medians)");
      }
      return new Args(scale, runs, TpcdsQueries.numbers(queries), out);
    }
  }
}
