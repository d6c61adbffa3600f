package dev.cairn.cli.bench;

import static dev.cairn.cli.bench.BenchCluster.deleteTree;
import static dev.cairn.cli.bench.BenchCluster.median;
import static dev.cairn.cli.bench.BenchCluster.placeAndPublish;

import dev.cairn.client.net.ConnectionPool;
import dev.cairn.client.net.MetaClient;
import dev.cairn.client.net.NodeClient;
import dev.cairn.cluster.Await;
import dev.cairn.cluster.LocalCluster;
import dev.cairn.server.StorageServer;
import dev.cairn.server.heal.HealConfig;
import dev.cairn.server.heal.HealCounters;
import dev.cairn.server.heal.Scrubber;
import dev.cairn.wire.ContentId;
import dev.cairn.wire.message.MetaMessages.BlobPlacement;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Repair and scrub throughput. Each run: 5 donors (LocalCluster), a table of N MiB of 8 MiB
 * blobs placed on their R = 3 rendezvous donors and published with a signed manifest, then
 * one donor is closed and the time until every blob is back at 3 live holders is measured
 * (dead-after 2 s and a 1 s repair interval included); repair throughput is the bytes pulled
 * over the time from the service declaring the donor dead to R restored. Beside it, in the
 * same run: the raw GET throughput of one donor (one client, blobs read whole) and the
 * scrubber over one donor's store at the default 50 MiB/s limit and unlimited. Run on
 * demand, never in CI.
 */
public final class RepairBenchmark {
  private static final int BLOB_BYTES = 8 << 20;
  private static final Duration DEAD_AFTER = Duration.ofSeconds(2);

  private RepairBenchmark() {}

  public static void main(String[] args) throws Exception {
    int mebibytes = args.length > 0 ? Integer.parseInt(args[0]) : 1024;
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    List<double[]> results = new ArrayList<>();
    for (int run = 0; run < runs; run++) {
      double[] r = oneRun(mebibytes, run);
      results.add(r);
      System.out.printf(Locale.ROOT, "run %d: restore R in %.1f s, repair %.1f MiB/s "
          + "(%.0f MiB pulled), one donor GET %.1f MiB/s, scrub %.1f MiB/s at the default "
          + "limit, %.1f MiB/s unlimited%n", run + 1, r[0], r[1], r[2], r[3], r[4], r[5]);
    }
    System.out.printf(Locale.ROOT, "median: restore R %.1f s, repair %.1f MiB/s, GET %.1f "
        + "MiB/s, scrub %.1f MiB/s (limit), %.1f MiB/s (unlimited)%n", median(results, 0),
        median(results, 1), median(results, 3), median(results, 4), median(results, 5));
  }

  private static double[] oneRun(int mebibytes, int run) throws Exception {
    Path dir = Files.createTempDirectory("cairn-repair-bench");
    LocalCluster.Options options = LocalCluster.Options.of(5).withDeadAfter(DEAD_AFTER)
        .withHeal(HealConfig.defaults().withRepair(Duration.ofSeconds(1),
            HealConfig.DEFAULT_REPAIR_BYTES_PER_SECOND));
    try (LocalCluster cluster = LocalCluster.start(dir.resolve("c"), options);
        ConnectionPool pool = new ConnectionPool(Duration.ofSeconds(60))) {
      List<ContentId> ids = placeAndPublish(cluster, pool, mebibytes / 8,
          BLOB_BYTES, run, "bench" + run);
      MetaClient meta = new MetaClient(pool, List.of(cluster.metaAddress()),
          Duration.ofSeconds(60));
      awaitAtR(meta, ids, Duration.ofMinutes(2));
      double get = getThroughput(pool, cluster.servers().get(1), ids);
      double[] scrub = scrubThroughput(cluster.servers().get(2));
      long start = System.nanoTime();
      cluster.stopServer(0);
      while (cluster.meta().liveNodeCount() > 4) { // until the service declares it dead
        Thread.sleep(20);
      }
      double detected = (System.nanoTime() - start) / 1e9;
      awaitAtR(meta, ids, Duration.ofMinutes(10));
      double seconds = (System.nanoTime() - start) / 1e9;
      long pulled = 0;
      for (StorageServer server : cluster.servers().subList(1, 5)) {
        pulled += server.healCounters().pulledBytes();
      }
      double mib = pulled / (double) (1 << 20);
      return new double[] {seconds, mib / (seconds - detected), mib, get, scrub[0], scrub[1]};
    } finally {
      deleteTree(dir);
    }
  }

  private static void awaitAtR(MetaClient meta, List<ContentId> ids, Duration limit) {
    Await.until(limit, "every blob back at R", () -> meta.placement(3, ids).stream()
        .allMatch((BlobPlacement p) -> p.holders().size() >= 3));
  }

  /** MiB/s of whole-blob GETs from one donor, one request at a time. */
  private static double getThroughput(ConnectionPool pool, StorageServer donor,
      List<ContentId> ids) {
    NodeClient client = new NodeClient(pool, donor.address(), null, Duration.ofSeconds(60));
    long bytes = 0;
    long start = System.nanoTime();
    for (ContentId id : ids) {
      if (donor.store().contains(id)) {
        bytes += client.get(id, 0, 0).bytes().length;
      }
    }
    return bytes / (double) (1 << 20) / ((System.nanoTime() - start) / 1e9);
  }

  /** Returns MiB/s of one scrub pass at the default limit, then of one unlimited pass. */
  private static double[] scrubThroughput(StorageServer donor) throws InterruptedException {
    double[] rates = new double[2];
    long[] limits = {HealConfig.DEFAULT_SCRUB_BYTES_PER_SECOND, 0};
    for (int i = 0; i < 2; i++) {
      HealCounters counters = new HealCounters();
      try (Scrubber scrubber = new Scrubber(donor.store(), HealConfig.defaults()
          .withScrub(Duration.ofHours(1), limits[i]), counters)) {
        long start = System.nanoTime();
        scrubber.pass();
        rates[i] = counters.scrubbedBytes() / (double) (1 << 20)
            / ((System.nanoTime() - start) / 1e9);
      }
    }
    return rates;
  }
}
