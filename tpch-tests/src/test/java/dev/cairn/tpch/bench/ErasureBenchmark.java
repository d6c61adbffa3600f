package dev.cairn.tpch.bench;

import dev.cairn.client.publish.PublishRequest;
import dev.cairn.cluster.Await;
import dev.cairn.cluster.LocalCluster;
import dev.cairn.server.StorageServer;
import dev.cairn.server.heal.HealConfig;
import dev.cairn.wire.ContentId;
import dev.cairn.wire.Units;
import dev.cairn.wire.crypto.SigningKey;
import dev.cairn.wire.manifest.BatchRef;
import dev.cairn.wire.manifest.Manifest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;

/**
 * Erasure coding against copies, each beside its peer in the same run: the cold scan of TPC-H
 * lineitem ({@value ScanBenchmark#SQL}) through jdbc:cairn from 6 donors with the table
 * published once with 3 copies and once Reed-Solomon 4 + 2 (runs alternate), unlimited and
 * with every donor limited to L; and the time to restore full redundancy after one of 8
 * donors stops, for the same table at R = 3 and at 4 + 2. Arguments: {@code --scale SF} (1),
 * {@code --runs N} (5), {@code --limit RATE[,RATE...]} (50MiB/s; one limited cluster per rate),
 * {@code --restore no} to skip the restore. Each limited scan also prints the bytes the donors
 * sent (the extra parity shards show there) and how unevenly they were spread, and the rate as
 * a share of n·L. Run on demand, never in CI.
 */
public final class ErasureBenchmark {
  private static final String COPIES = "copies";
  private static final String ERASURE = "rs";
  /** Quick repair rounds, the same for both layouts: restore time is not round-bound. */
  private static final HealConfig REPAIR = HealConfig.defaults()
      .withRepair(Duration.ofMillis(500), 0);
  private static final Duration DEAD_AFTER = Duration.ofMillis(1500);
  private static final Duration RESTORE_LIMIT = Duration.ofMinutes(15);

  private ErasureBenchmark() {}

  public static void main(String[] args) throws Exception {
    boolean restore = true;
    List<String> rest = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--restore") && i + 1 < args.length) {
        restore = !args[++i].equals("no");
      } else {
        rest.add(args[i]);
      }
    }
    LineitemBench bench = LineitemBench.start("cairn-erasure-bench", rest.toArray(String[]::new),
        5);
    Path root = bench.root;
    int runs = bench.runs;
    List<String> lines = new ArrayList<>();
    lines.add("| measure | R = 3 runs | R = 3 median | RS 4+2 runs | RS 4+2 median |");
    lines.add("|---|---|---|---|---|");
    lines.add(coldScans(root.resolve("free"), bench, runs, 0));
    for (long limit : bench.limitsBytesPerSecond) {
      lines.add(coldScans(root.resolve("limited-" + limit), bench, runs, limit));
    }
    if (restore) {
      lines.add(restores(root.resolve("restore"), bench, Math.max(1, runs / 2)));
    }
    lines.forEach(System.out::println);
    bench.delete();
  }

  /**
   * Cold scans of both layouts on one 6-donor cluster whose donors each send at most {@code
   * limit} bytes per second (0: unlimited), runs alternating.
   */
  private static String coldScans(Path dir, LineitemBench bench, int runs, long limit)
      throws Exception {
    LocalCluster.Options options = LocalCluster.Options.of(6);
    try (LocalCluster cluster = LocalCluster.start(dir,
        limit > 0 ? options.withDownloadLimit(limit) : options)) {
      long blobBytes = blobBytes(publish(cluster, bench, COPIES, r -> r.withReplicas(3)));
      publish(cluster, bench, ERASURE, r -> r.withErasure(4, 2));
      CairnColdWarm copies = new CairnColdWarm(cluster.metaHostPort(), COPIES,
          dir.resolve("cache-copies"));
      CairnColdWarm erasure = new CairnColdWarm(cluster.metaHostPort(), ERASURE,
          dir.resolve("cache-rs"));
      List<Double> copyRuns = new ArrayList<>();
      List<Double> erasureRuns = new ArrayList<>();
      for (int r = 0; r < runs; r++) {
        copyRuns.add(scan(cluster, copies, "R = 3", limit, blobBytes));
        erasureRuns.add(scan(cluster, erasure, "RS 4+2", limit, blobBytes));
      }
      String what = limit > 0
          ? "cold scan, 6 donors, each limited to " + Units.formatSize(limit) + "/s (ms)"
          : "cold scan, 6 donors, unlimited (ms)";
      return row(what, copyRuns, erasureRuns);
    }
  }

  /**
   * One cold scan; prints what the donors sent for it (in all, and the least and most one
   * donor sent) and, under a limit, the blob bytes per second as a share of n·L.
   */
  private static double scan(LocalCluster cluster, CairnColdWarm layout, String name,
      long limit, long blobBytes) throws Exception {
    List<StorageServer> donors = cluster.servers();
    long[] before = new long[donors.size()];
    for (int i = 0; i < donors.size(); i++) {
      before[i] = donors.get(i).servedBytes();
    }
    double ms = layout.run(ScanBenchmark.SQL, 1).coldMs();
    long sent = 0;
    long least = Long.MAX_VALUE;
    long most = 0;
    for (int i = 0; i < donors.size(); i++) {
      long one = donors.get(i).servedBytes() - before[i];
      sent += one;
      least = Math.min(least, one);
      most = Math.max(most, one);
    }
    String share = limit == 0 ? "" : String.format(Locale.ROOT, ", %.2f x n*L (busiest donor "
        + "alone %.2f s at L)", blobBytes / (ms / 1000) / (donors.size() * (double) limit),
        most / (double) limit);
    System.out.printf(Locale.ROOT, "%s scan: %.0f ms, donors sent %.1f MB (%.2f x the blobs; "
        + "one donor %.1f to %.1f MB)%s%n", name, ms, sent / 1e6, sent / (double) blobBytes,
        least / 1e6, most / 1e6, share);
    return ms;
  }

  private static long blobBytes(Manifest manifest) {
    long bytes = 0;
    for (BatchRef batch : manifest.batches()) {
      bytes += batch.byteSize();
    }
    return bytes;
  }

  /** Restore times after one of 8 donors stops, each run on a fresh cluster per layout. */
  private static String restores(Path dir, LineitemBench bench, int runs) throws Exception {
    List<Double> copyRuns = new ArrayList<>();
    List<Double> erasureRuns = new ArrayList<>();
    for (int r = 0; r < runs; r++) {
      copyRuns.add(restore(dir.resolve("copies-" + r), bench, false));
      erasureRuns.add(restore(dir.resolve("rs-" + r), bench, true));
    }
    return row("restore full redundancy after 1 of 8 donors stops (ms, from the stop)",
        copyRuns, erasureRuns);
  }

  private static double restore(Path dir, LineitemBench bench, boolean erasure)
      throws Exception {
    LocalCluster.Options options = LocalCluster.Options.of(8).withDeadAfter(DEAD_AFTER)
        .withHeal(REPAIR);
    try (LocalCluster cluster = LocalCluster.start(dir, options)) {
      String schema = erasure ? ERASURE : COPIES;
      Manifest manifest = publish(cluster, bench, schema,
          erasure ? r -> r.withErasure(4, 2) : r -> r.withReplicas(3));
      List<ContentId> pieces = new ArrayList<>();
      for (BatchRef batch : manifest.batches()) {
        pieces.addAll(erasure ? batch.shardIds() : List.of(batch.id()));
      }
      int per = erasure ? 1 : 3;
      Await.until(RESTORE_LIMIT, "full redundancy after publish", () -> "not yet",
          () -> complete(cluster.servers(), -1, pieces, per));
      long held = 0;
      for (ContentId piece : pieces) {
        if (cluster.servers().get(0).store().contains(piece)) {
          held += Files.size(cluster.servers().get(0).store().file(piece));
        }
      }
      long start = System.nanoTime();
      cluster.stopServer(0);
      Await.until(RESTORE_LIMIT, "full redundancy after a lost donor", () -> "not yet",
          () -> complete(cluster.servers(), 0, pieces, per));
      double ms = Stats.millisSince(start);
      System.out.printf(Locale.ROOT, "%s: the stopped donor held %.1f MB; restored in %.0f ms%n",
          erasure ? "RS 4+2" : "R = 3", held / 1e6, ms);
      return ms;
    }
  }

  /** True if every piece has exactly {@code per} holders among the donors but {@code stopped}. */
  private static boolean complete(List<StorageServer> servers, int stopped,
      List<ContentId> pieces, int per) {
    for (ContentId piece : pieces) {
      int holders = 0;
      for (int i = 0; i < servers.size(); i++) {
        holders += i != stopped && servers.get(i).store().contains(piece) ? 1 : 0;
      }
      if (holders < per) {
        return false;
      }
    }
    return true;
  }

  /** Publishes lineitem as {@code schema} by a new writer; returns its manifest. */
  private static Manifest publish(LocalCluster cluster, LineitemBench bench, String schema,
      UnaryOperator<PublishRequest> redundancy) throws Exception {
    bench.publish(cluster, SigningKey.generate(new SecureRandom()), schema, redundancy);
    try (DonorDownload download = new DonorDownload(cluster.metaAddress())) {
      return download.manifest(schema, "lineitem");
    }
  }

  private static String row(String what, List<Double> copies, List<Double> erasure) {
    return "| " + what + " | " + list(copies) + " | " + Stats.ms(Stats.median(copies))
        + " | " + list(erasure) + " | " + Stats.ms(Stats.median(erasure)) + " |";
  }

  private static String list(List<Double> values) {
    List<String> out = new ArrayList<>();
    values.forEach(v -> out.add(Stats.ms(v)));
    return String.join(", ", out);
  }
}
