package dev.cairn.tpch.bench;

import dev.cairn.tpchdata.TpchQueries;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;

/** Collects the TPC-H figures and writes them as markdown tables and a bar chart. */
final class TpchReport {
  private static final int N = TpchQueries.COUNT;

  private final TpchBenchmark.BenchArgs args;
  private final List<String> notes = new ArrayList<>();
  private final CairnColdWarm.Result[] cairn = new CairnColdWarm.Result[N];
  private final double[] duckdb = nan();
  private final NaivePath.Result[] naive = new NaivePath.Result[N];
  private final double[] cairnAtH2 = nan();
  private final double[] h2 = nan();
  private final String[] h2Outcome = new String[N];

  TpchReport(TpchBenchmark.BenchArgs args) {
    this.args = args;
  }

  private static double[] nan() {
    double[] a = new double[N];
    Arrays.fill(a, Double.NaN);
    return a;
  }

  void note(String line) {
    System.out.println(line);
    notes.add(line);
  }

  void add(int q, CairnColdWarm.Result c, double duckdbMs, NaivePath.Result n) {
    cairn[q - 1] = c;
    duckdb[q - 1] = duckdbMs;
    naive[q - 1] = n;
  }

  void addH2(int q, double cairnWarmMs, double h2Ms, String outcome) {
    cairnAtH2[q - 1] = cairnWarmMs;
    h2[q - 1] = h2Ms;
    h2Outcome[q - 1] = outcome;
  }

  void write() throws IOException {
    StringBuilder md = new StringBuilder();
    md.append("# TPC-H through jdbc:cairn\n\n");
    md.append(String.format(Locale.ROOT, "Scale %s, %d warm runs (medians), H2 at SF %s."
        + " Java %s, %d cores.%n%n", args.scale(), args.runs(), args.h2Scale(),
        System.getProperty("java.version"), Runtime.getRuntime().availableProcessors()));
    notes.forEach(n -> md.append("- ").append(n).append('\n'));
    md.append('\n').append(mainTable()).append('\n').append(h2Table()).append('\n')
        .append(profileTable()).append('\n').append(goals());
    Files.createDirectories(args.out());
    Files.writeString(args.out().resolve("tpch-benchmark.md"), md);
    System.out.println(md);
    new BarChart(String.format(Locale.ROOT, "TPC-H, Cairn/DuckDB at SF %s, H2 at SF %s",
        args.scale(), args.h2Scale()))
        .add("Cairn warm", values(i -> cairn[i] == null ? Double.NaN : cairn[i].warmMs()))
        .add("Cairn cold", values(i -> cairn[i] == null ? Double.NaN : cairn[i].coldMs()))
        .add("DuckDB", duckdb)
        .add("H2 (SF " + args.h2Scale() + ")", h2)
        .writePng(args.chart(), 1600, 700);
  }

  private static double[] values(java.util.function.IntToDoubleFunction f) {
    return IntStream.range(0, N).mapToDouble(f).toArray();
  }

  private String mainTable() {
    StringBuilder t = new StringBuilder(String.format(Locale.ROOT, "SF %s, times in ms:%n%n",
        args.scale()));
    t.append("| Q | Cairn cold | Cairn merging run | Cairn warm | DuckDB | warm / DuckDB | naive"
        + " cold (download + load + query) | cold / naive | cold fetched MB (batches, pruned) |\n");
    t.append("|---|---|---|---|---|---|---|---|---|\n");
    List<Double> warmRatio = new ArrayList<>();
    List<Double> coldRatio = new ArrayList<>();
    for (int i = 0; i < N; i++) {
      CairnColdWarm.Result c = cairn[i];
      NaivePath.Result n = naive[i];
      if (c == null) {
        continue;
      }
      double wr = c.warmMs() / duckdb[i];
      double cr = c.coldMs() / n.totalMs();
      warmRatio.add(wr);
      coldRatio.add(cr);
      t.append(String.format(Locale.ROOT, "| Q%d | %s | %s | %s | %s | %s | %s (%s + %s + %s) |"
          + " %s | %.1f (%d, %d) |%n", i + 1, Stats.ms(c.coldMs()), Stats.ms(c.mergeMs()),
          Stats.ms(c.warmMs()),
          Stats.ms(duckdb[i]), Stats.ratio(wr), Stats.ms(n.totalMs()), Stats.ms(n.downloadMs()),
          Stats.ms(n.loadMs()), Stats.ms(n.queryMs()), Stats.ratio(cr), c.coldBytes() / 1e6,
          c.coldBatches(), c.prunedBatches()));
    }
    t.append(String.format(Locale.ROOT, "| geo. mean | %s | | %s | %s | **%s** | %s | **%s** |"
        + " |%n", Stats.ms(Stats.geomean(column(i -> cairn[i] == null ? Double.NaN
        : cairn[i].coldMs()))), Stats.ms(Stats.geomean(column(i -> cairn[i] == null
        ? Double.NaN : cairn[i].warmMs()))), Stats.ms(Stats.geomean(column(i -> duckdb[i]))),
        Stats.ratio(Stats.geomean(warmRatio)), Stats.ms(Stats.geomean(column(i -> naive[i]
        == null ? Double.NaN : naive[i].totalMs()))), Stats.ratio(Stats.geomean(coldRatio))));
    return t.toString();
  }

  private static List<Double> column(java.util.function.IntToDoubleFunction f) {
    return IntStream.range(0, N).mapToDouble(f).boxed().toList();
  }

  private String h2Table() {
    StringBuilder t = new StringBuilder(String.format(Locale.ROOT, "SF %s (H2's scale; Cairn"
        + " republished at this scale, warm medians), ms:%n%n", args.h2Scale()));
    t.append("| Q | Cairn warm | H2 | Cairn / H2 |\n|---|---|---|---|\n");
    List<Double> ratios = new ArrayList<>();
    for (int i = 0; i < N; i++) {
      double r = cairnAtH2[i] / h2[i];
      if (Double.isFinite(r)) {
        ratios.add(r);
      }
      t.append(String.format(Locale.ROOT, "| Q%d | %s | %s | %s |%n", i + 1,
          Stats.ms(cairnAtH2[i]), h2Outcome[i] != null ? h2Outcome[i] : Stats.ms(h2[i]),
          Stats.ratio(r)));
    }
    t.append(String.format(Locale.ROOT, "| geo. mean (queries H2 finished) | | | **%s** |%n",
        Stats.ratio(Stats.geomean(ratios))));
    return t.toString();
  }

  private String profileTable() {
    StringBuilder t = new StringBuilder("Where a warm Cairn query's time goes (SF "
        + args.scale() + ", medians, ms). *views* = the translated statement run directly on"
        + " the driver's DuckDB (the session's views: over the merged table of each version once"
        + " warm, else over one table per batch); *native* = the reference"
        + " DuckDB on plain tables; *rest* = warm − snapshot − translate − views (pinning,"
        + " view checks, JDBC).\n\n");
    t.append("| Q | warm | head snapshot | translate | DuckDB over views | DuckDB native |"
        + " rest |\n|---|---|---|---|---|---|---|\n");
    for (int i = 0; i < N; i++) {
      CairnColdWarm.Result c = cairn[i];
      if (c == null) {
        continue;
      }
      double rest = c.warmMs() - c.snapshotMs() - c.translateMs() - c.duckdbOverViewsMs();
      t.append(String.format(Locale.ROOT, "| Q%d | %s | %s | %s | %s | %s | %s |%n", i + 1,
          Stats.ms(c.warmMs()), Stats.ms(c.snapshotMs()), Stats.ms(c.translateMs()),
          Stats.ms(c.duckdbOverViewsMs()), Stats.ms(duckdb[i]), Stats.ms(rest)));
    }
    return t.toString();
  }

  private String goals() {
    List<Double> ratios = new ArrayList<>();
    int coldWins = 0;
    int measured = 0;
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < N; i++) {
      if (cairn[i] != null) {
        measured++;
        order.add(i);
        ratios.add(cairn[i].warmMs() / duckdb[i]);
        if (cairn[i].coldMs() < naive[i].totalMs()) {
          coldWins++;
        }
      }
    }
    order.sort(Comparator.comparingDouble(i -> -cairn[i].warmMs() / duckdb[i]));
    double g = Stats.geomean(ratios);
    long above2 = ratios.stream().filter(r -> r > 2).count();
    StringBuilder t = new StringBuilder("Goals: warm geometric mean at most 1.3x DuckDB: ");
    t.append(String.format(Locale.ROOT, "%s (%.2fx); no query above 2x: %s (%d above). ",
        g <= 1.3 ? "met" : "NOT met", g, above2 == 0 ? "met" : "NOT met", above2));
    t.append(String.format(Locale.ROOT, "Cold faster than the naive path: %d of %d queries.%n",
        coldWins, measured));
    t.append("Slowest relative to DuckDB: ");
    for (int k = 0; k < Math.min(3, order.size()); k++) {
      int i = order.get(k);
      t.append(String.format(Locale.ROOT, "%sQ%d (%.2fx)", k == 0 ? "" : ", ", i + 1,
          cairn[i].warmMs() / duckdb[i]));
    }
    return t.append(".\n").toString();
  }
}
