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
 * <p>Arguments: {@code --scale SF} (1), {@code --rounds N} (5), {@code --queries 1,3,4}.
 */
public final class ColdRounds {
  private ColdRounds() {}

  public static void main(String[] args) throws Exception {
    double scale = 1;
    int rounds = 5;
    int[] queries = {1, 3, 4};
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--scale" -> scale = Double.parseDouble(args[i + 1]);
        case "--rounds" -> rounds = Integer.parseInt(args[i + 1]);
        case "--queries" -> queries = Arrays.stream(args[i + 1].split(","))
            .mapToInt(Integer::parseInt).toArray();
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    Path root = Files.createTempDirectory("cairn-cold-rounds");
    try (LocalCluster cluster = LocalCluster.start(root.resolve("cluster"),
        LocalCluster.Options.of(3))) {
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
      List<List<Double>> totals = new ArrayList<>();
      for (int q : queries) {
        totals.add(new ArrayList<>());
      }
      for (int round = 1; round <= rounds; round++) {
        for (int i = 0; i < queries.length; i++) {
          double ms = cold(fresh, queries[i], round);
          totals.get(i).add(ms);
        }
      }
      List<Double> medians = new ArrayList<>();
      for (int i = 0; i < queries.length; i++) {
        double median = Stats.median(totals.get(i));
        medians.add(median);
        List<Double> cpuOfQuery = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
          cpuOfQuery.add(cpu.get(r * queries.length + i));
        }
        System.out.printf(Locale.ROOT, "Q%02d cold runs %s median %s; process CPU %s median %s%n",
            queries[i], totals.get(i).stream().map(Stats::ms).toList(), Stats.ms(median),
            cpuOfQuery.stream().map(Stats::ms).toList(), Stats.ms(Stats.median(cpuOfQuery)));
      }
      System.out.printf(Locale.ROOT, "geometric mean of the medians %s ms%n",
          Stats.ms(Stats.geomean(medians)));
    }
    DeleteTree.delete(root);
  }

  /** Process CPU milliseconds of each cold run, in order (all queries of a round). */
  private static final List<Double> cpu = new ArrayList<>();

  private static double cold(CairnColdWarm fresh, int q, int round) throws Exception {
    try (Connection c = DriverManager.getConnection(fresh.freshUrl())) {
      CairnSession session = c.unwrap(CairnSession.class);
      CairnRuntime runtime = session.runtime();
      try {
        ThreadCpu before = ThreadCpu.now();
        long processBefore = ThreadCpu.processNanos();
        QueryRuns.Run run = QueryRuns.once(c, TpchQueries.text(q), 0);
        long processCpu = ThreadCpu.processNanos() - processBefore;
        ThreadCpu spent = ThreadCpu.now().minus(before);
        SessionCounters n = session.counters();
        System.out.printf(Locale.ROOT, "round %d Q%02d cold %s (plan %s, tables %s, duckdb %s)"
                + " fetched %.1f MB in %d batches; process CPU %s ms, JVM threads: %s%n", round,
            q, Stats.ms(run.millis()), Stats.ms(n.planNanos() / 1e6),
            Stats.ms(n.tablesNanos() / 1e6), Stats.ms(n.duckdbNanos() / 1e6),
            n.fetchedBytes() / 1e6, n.fetchedBatches(), Stats.ms(processCpu / 1e6),
            spent.top(6));
        cpu.add(processCpu / 1e6);
        return run.millis();
      } finally {
        c.close();
        BenchBridge.release(runtime);
      }
    }
  }
}
