package dev.cairn.tpch.bench;

import dev.cairn.calcite.runtime.BenchBridge;
import dev.cairn.calcite.runtime.CairnRuntime;
import dev.cairn.calcite.runtime.CairnSession;
import dev.cairn.calcite.runtime.SessionCounters;
import dev.cairn.cli.demo.TpchDemo;
import dev.cairn.cluster.LocalCluster;
import dev.cairn.tpchdata.TpchQueries;
import dev.cairn.tpchdata.TpchTable;
import dev.cairn.wire.crypto.SigningKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Cold runs only, of a few TPC-H queries, round after round against one published cluster: each
 * run a new runtime with an empty cache (as {@link CairnColdWarm}'s cold run), timed whole and
 * by the session's phases (plan, tables = prune + fetch + verify + decode + load, DuckDB). The
 * full benchmark gives each query one cold sample, right after publishing; this separates a
 * change in the cold path from the first minute's noise. Run on demand, never in CI.
 *
 * <p>Arguments: {@code --scale SF} (1), {@code --rounds N} (5), {@code --queries 1,3,4},
 * {@code --overlap on|off|both} (on: the driver's default; both: each query with and without
 * {@code cold.overlap}, in alternating order from round to round, reported apart),
 * {@code --download-limit MiB} (each donor serves at most this many MiB/s; 0, the default: no
 * limit), for a cold path bound by the network rather than this machine's CPU.
 */
public final class ColdRounds {
  private ColdRounds() {}

  public static void main(String[] args) throws Exception {
    double scale = 1;
    int rounds = 5;
    int[] queries = {1, 3, 4};
    List<String> variants = List.of("");
    long downloadLimit = 0;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--scale" -> scale = Double.parseDouble(args[i + 1]);
        case "--rounds" -> rounds = Integer.parseInt(args[i + 1]);
        case "--queries" -> queries = Arrays.stream(args[i + 1].split(","))
            .mapToInt(Integer::parseInt).toArray();
        case "--download-limit" -> downloadLimit = Long.parseLong(args[i + 1]) << 20;
        case "--overlap" -> variants = switch (args[i + 1]) {
          case "on" -> List.of("");
          case "off" -> List.of(OFF);
          case "both" -> List.of("", OFF);
          default -> throw new IllegalArgumentException("--overlap on, off or both");
        };
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    Path root = Files.createTempDirectory("cairn-cold-rounds");
    try (LocalCluster cluster = LocalCluster.start(root.resolve("cluster"),
        downloadLimit > 0 ? LocalCluster.Options.of(3).withDownloadLimit(downloadLimit)
            : LocalCluster.Options.of(3))) {
      Map<TpchTable, Path> csv = TpchDemo.generate(root.resolve("csv"), scale);
      long start = System.nanoTime();
      TpchDemo.publish(List.of(cluster.metaAddress()), SigningKey.generate(new SecureRandom()),
          csv, 3);
      System.out.printf(Locale.ROOT, "published SF %s in %.1f s%n", scale,
          Stats.millisSince(start) / 1000);
      CairnColdWarm fresh = new CairnColdWarm(cluster.metaHostPort(), TpchDemo.SCHEMA, root);
      for (int q : queries) {
        fresh.tablesOf(TpchQueries.text(q)); // class loading and JIT of the planner
      }
      // Per variant and query: wall and process CPU milliseconds of each round.
      double[][][] wall = new double[variants.size()][queries.length][rounds];
      double[][][] cpu = new double[variants.size()][queries.length][rounds];
      for (int round = 1; round <= rounds; round++) {
        for (int i = 0; i < queries.length; i++) {
          for (int k = 0; k < variants.size(); k++) {
            int v = (k + round) % variants.size(); // alternate which variant goes first
            double[] spent = cold(fresh, queries[i], round, variants.get(v));
            wall[v][i][round - 1] = spent[0];
            cpu[v][i][round - 1] = spent[1];
          }
        }
      }
      for (int v = 0; v < variants.size(); v++) {
        List<Double> medians = new ArrayList<>();
        for (int i = 0; i < queries.length; i++) {
          List<Double> walls = Arrays.stream(wall[v][i]).boxed().toList();
          List<Double> cpus = Arrays.stream(cpu[v][i]).boxed().toList();
          medians.add(Stats.median(walls));
          System.out.printf(Locale.ROOT, "%sQ%02d cold runs %s median %s; process CPU %s"
              + " median %s%n", label(variants.get(v)), queries[i],
              walls.stream().map(Stats::ms).toList(), Stats.ms(Stats.median(walls)),
              cpus.stream().map(Stats::ms).toList(), Stats.ms(Stats.median(cpus)));
        }
        System.out.printf(Locale.ROOT, "%sgeometric mean of the medians %s ms%n",
            label(variants.get(v)), Stats.ms(Stats.geomean(medians)));
      }
    }
    DeleteTree.delete(root);
  }

  private static final String OFF = "&cold.overlap=false";

  private static String label(String variant) {
    return variant.isEmpty() ? "" : "[" + variant.substring(1) + "] ";
  }

  /** Runs query {@code q} cold; returns its wall and process CPU milliseconds. */
  private static double[] cold(CairnColdWarm fresh, int q, int round, String variant)
      throws Exception {
    try (Connection c = DriverManager.getConnection(fresh.freshUrl() + variant)) {
      CairnSession session = c.unwrap(CairnSession.class);
      CairnRuntime runtime = session.runtime();
      try {
        ThreadCpu before = ThreadCpu.now();
        long processBefore = ThreadCpu.processNanos();
        QueryRuns.Run run = QueryRuns.once(c, TpchQueries.text(q), 0);
        long processCpu = ThreadCpu.processNanos() - processBefore;
        ThreadCpu spent = ThreadCpu.now().minus(before);
        SessionCounters n = session.counters();
        System.out.printf(Locale.ROOT, "round %d %sQ%02d cold %s (plan %s, tables %s, duckdb %s)"
                + " fetched %.1f MB in %d batches (%d arrived); process CPU %s ms, JVM threads:"
                + " %s%n", round, label(variant), q, Stats.ms(run.millis()), Stats.ms(n.planNanos() / 1e6),
            Stats.ms(n.tablesNanos() / 1e6), Stats.ms(n.duckdbNanos() / 1e6),
            n.fetchedBytes() / 1e6, n.fetchedBatches(), n.arrivedBatches(),
            Stats.ms(processCpu / 1e6), spent.top(6));
        return new double[] {run.millis(), processCpu / 1e6};
      } finally {
        c.close();
        BenchBridge.release(runtime);
      }
    }
  }
}
