package dev.cairn.tpch.soak;

import dev.cairn.cli.demo.TpchDemo;
import dev.cairn.tpch.bench.DeleteTree;
import dev.cairn.tpchdata.TpchGenerator;
import dev.cairn.tpchdata.TpchTable;
import dev.cairn.wire.crypto.SigningKey;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The soak of issue 19: TPC-H at R = 3 on real donor and metadata-service processes, readers
 * on jdbc:cairn checking every answer against DuckDB, a writer publishing versions of a small
 * table, and a seeded script that kills, freezes and restarts the processes. Prints and writes
 * (to {@code --out}) queries run, p50/p99 latency, errors by code and whether an outage
 * touched them, wrong answers, lost versions and the fault schedule. Run on demand for the
 * long run; {@code SoakTest} runs a short one.
 *
 * <p>Arguments (all optional): {@code --duration 600s}, {@code --seed 19}, {@code
 * --connections 48}, {@code --scale 0.1}, {@code --donors 5}, {@code --metas 2}, {@code
 * --replicas 3}, {@code --fault-every 8s}, {@code --outages 2}, {@code --publish-every 5s},
 * {@code --cache 64MiB}, {@code --query-timeout 120} (seconds), {@code --out target/soak}.
 */
public final class Soak {
  /** The TPC-H queries of the mix: scans, joins, filters and groupings over every table. */
  static final List<Integer> MIX = List.of(1, 3, 4, 5, 6, 10, 12, 14, 19);

  private Soak() {}

  public static void main(String[] args) throws Exception {
    SoakConfig config = SoakConfig.parse(args);
    Path dir = Files.createTempDirectory("cairn-soak");
    SoakOutcome outcome = run(config, dir, System.out);
    Path report = outcome.writeReport(config.out());
    System.out.println(outcome.summary());
    System.out.println("report: " + report);
    keepLogs(dir.resolve("cluster"), config.out().resolve("logs-" + config.seed()));
    DeleteTree.delete(dir);
  }

  /** Copies the processes' logs out of the run's directory before it is deleted. */
  private static void keepLogs(Path clusterDir, Path to) throws java.io.IOException {
    Files.createDirectories(to);
    try (java.util.stream.Stream<Path> files = Files.list(clusterDir)) {
      for (Path log : files.filter(f -> f.toString().endsWith(".log")).toList()) {
        Files.copy(log, to.resolve(log.getFileName()),
            java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
    }
  }

  /** Runs one soak under {@code dir}, logging as it goes to {@code log}. */
  static SoakOutcome run(SoakConfig config, Path dir, PrintStream log) throws Exception {
    List<FaultPlan.Fault> plan = FaultPlan.plan(config.seed(), config.duration(),
        config.metas(), config.donors(), config.replicas(), config.faultEvery(),
        config.outages());
    log.println("soak " + config + ": " + plan.size() + " faults planned");
    try (SoakCluster cluster = SoakCluster.start(dir.resolve("cluster"), config.metas(),
            config.donors());
        Connection duckdb = DriverManager.getConnection("jdbc:duckdb:")) {
      Map<TpchTable, Path> csv = TpchDemo.generate(dir.resolve("csv"), config.scale());
      TpchDemo.publish(cluster.metaAddresses(), SigningKey.generate(new SecureRandom()), csv,
          config.replicas());
      DeleteTree.delete(dir.resolve("csv"));
      TpchGenerator.loadInto(duckdb, config.scale());
      TickPublisher writer = new TickPublisher(cluster.metaAddresses(),
          SigningKey.generate(new SecureRandom()), Files.createDirectories(dir.resolve("w")),
          config.replicas());
      writer.publishNext();
      List<SoakQuery> mix = new java.util.ArrayList<>(SoakQuery.tpch(duckdb, MIX));
      mix.add(new SoakQuery.TickHead(TickPublisher.SCHEMA, TickPublisher.TABLE,
          TickPublisher.ROWS, writer::attempted));
      String url = "jdbc:cairn://" + cluster.metaHostPorts() + "/" + TpchDemo.SCHEMA
          + "?cache.size=" + config.cache();

      Availability availability = new Availability(config.metas(), config.donors(),
          config.replicas());
      SoakLedger ledger = new SoakLedger(availability, log);
      long endMs = config.duration().toMillis();
      QueryWorkers readers = new QueryWorkers(url, mix, ledger, config.connections(),
          config.seed(), endMs, config.queryTimeoutSeconds());
      try (FaultScript faults = new FaultScript(cluster, availability, config.replicas(), plan,
          endMs, log)) {
        faults.start();
        readers.start();
        writer.start(ledger, config.publishEvery().toMillis(), endMs);
        long grace = config.queryTimeoutSeconds() * 1_000L + 60_000;
        Thread.sleep(Math.max(0, endMs - availability.nowMs()));
        readers.awaitEnd(grace);
        writer.awaitEnd(ledger, grace);
        faults.awaitDone(Duration.ofMinutes(12).toMillis());
        long runMs = availability.nowMs();
        try {
          cluster.awaitAllLive();
        } catch (IllegalStateException e) {
          ledger.hung("the cluster is not whole again after the run: " + e.getMessage());
        }
        writer.checkAcknowledged(ledger, url);
        return new SoakOutcome(config, ledger, plan, faults.executed(), readers.queries(),
            runMs);
      }
    }
  }

  /** The soak's settings; see the class comment for the arguments and defaults. */
  record SoakConfig(Duration duration, long seed, int connections, double scale, int donors,
      int metas, int replicas, Duration faultEvery, int outages, Duration publishEvery,
      String cache, int queryTimeoutSeconds, Path out) {
    static SoakConfig defaults() {
      return new SoakConfig(Duration.ofMinutes(10), 19, 48, 0.1, 5, 2, 3, Duration.ofSeconds(8),
          2, Duration.ofSeconds(5), "64MiB", 120, Path.of("target/soak"));
    }

    static SoakConfig parse(String[] args) {
      SoakConfig c = defaults();
      for (int i = 0; i + 1 < args.length; i += 2) {
        String v = args[i + 1];
        c = switch (args[i]) {
          case "--duration" -> c.with(seconds(v), c.seed, c.connections, c.scale, c.faultEvery,
              c.outages, c.publishEvery, c.cache, c.out);
          case "--seed" -> c.with(c.duration, Long.parseLong(v), c.connections, c.scale,
              c.faultEvery, c.outages, c.publishEvery, c.cache, c.out);
          case "--connections" -> c.with(c.duration, c.seed, Integer.parseInt(v), c.scale,
              c.faultEvery, c.outages, c.publishEvery, c.cache, c.out);
          case "--scale" -> c.with(c.duration, c.seed, c.connections, Double.parseDouble(v),
              c.faultEvery, c.outages, c.publishEvery, c.cache, c.out);
          case "--fault-every" -> c.with(c.duration, c.seed, c.connections, c.scale,
              seconds(v), c.outages, c.publishEvery, c.cache, c.out);
          case "--outages" -> c.with(c.duration, c.seed, c.connections, c.scale, c.faultEvery,
              Integer.parseInt(v), c.publishEvery, c.cache, c.out);
          case "--publish-every" -> c.with(c.duration, c.seed, c.connections, c.scale,
              c.faultEvery, c.outages, seconds(v), c.cache, c.out);
          case "--cache" -> c.with(c.duration, c.seed, c.connections, c.scale, c.faultEvery,
              c.outages, c.publishEvery, v, c.out);
          case "--out" -> c.with(c.duration, c.seed, c.connections, c.scale, c.faultEvery,
              c.outages, c.publishEvery, c.cache, Path.of(v));
          case "--donors" -> new SoakConfig(c.duration, c.seed, c.connections, c.scale,
              Integer.parseInt(v), c.metas, c.replicas, c.faultEvery, c.outages,
              c.publishEvery, c.cache, c.queryTimeoutSeconds, c.out);
          case "--metas" -> new SoakConfig(c.duration, c.seed, c.connections, c.scale,
              c.donors, Integer.parseInt(v), c.replicas, c.faultEvery, c.outages,
              c.publishEvery, c.cache, c.queryTimeoutSeconds, c.out);
          case "--replicas" -> new SoakConfig(c.duration, c.seed, c.connections, c.scale,
              c.donors, c.metas, Integer.parseInt(v), c.faultEvery, c.outages,
              c.publishEvery, c.cache, c.queryTimeoutSeconds, c.out);
          case "--query-timeout" -> new SoakConfig(c.duration, c.seed, c.connections, c.scale,
              c.donors, c.metas, c.replicas, c.faultEvery, c.outages, c.publishEvery, c.cache,
              Integer.parseInt(v), c.out);
          default -> throw new IllegalArgumentException("unknown argument " + args[i]);
        };
      }
      return c;
    }

    /** Returns a copy with the run-shape settings replaced. */
    SoakConfig with(Duration duration, long seed, int connections, double scale,
        Duration faultEvery, int outages, Duration publishEvery, String cache, Path out) {
      return new SoakConfig(duration, seed, connections, scale, donors, metas, replicas,
          faultEvery, outages, publishEvery, cache, queryTimeoutSeconds, out);
    }

    /** Parses {@code 600s}, {@code 10m}, {@code 1500ms} or plain seconds. */
    private static Duration seconds(String text) {
      if (text.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2)));
      }
      if (text.endsWith("m")) {
        return Duration.ofMinutes(Long.parseLong(text.substring(0, text.length() - 1)));
      }
      return Duration.ofSeconds(Long.parseLong(text.endsWith("s")
          ? text.substring(0, text.length() - 1) : text));
    }
  }
}
