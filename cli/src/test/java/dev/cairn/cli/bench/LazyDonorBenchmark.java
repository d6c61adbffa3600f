package dev.cairn.cli.bench;

import static dev.cairn.cli.bench.BenchCluster.deleteTree;
import static dev.cairn.cli.bench.BenchCluster.median;
import static dev.cairn.cli.bench.BenchCluster.placeAndPublish;

import dev.cairn.cli.heal.HealFixtures;
import dev.cairn.client.net.ConnectionPool;
import dev.cairn.client.net.MetaClient;
import dev.cairn.cluster.Await;
import dev.cairn.cluster.LocalCluster;
import dev.cairn.meta.AuditSchedule;
import dev.cairn.server.StorageServer;
import dev.cairn.server.heal.HealConfig;
import dev.cairn.wire.ContentId;
import dev.cairn.wire.message.MetaMessages.BlobPlacement;
import dev.cairn.wire.message.MetaMessages.NodeInfo;
import dev.cairn.wire.message.NodeStanding;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Time from a lazy donor's first missed audit to full redundancy restored. Each run: 5 donors
 * (LocalCluster), N MiB of 8 MiB blobs placed on their R = 3 rendezvous donors and published
 * with chunk roots; then every blob file of one donor is replaced by same-size garbage (it keeps
 * claiming them) and the metadata service audits on a quick schedule. Measured from the first
 * failed audit of that donor: until it is DISQUALIFIED (all its claims stop counting), and until
 * every blob has 3 counted holders other than it again (the honest donors' repair, 1 s rounds,
 * default 100 MiB/s limit each). The first part is 5 audit intervals by the model (6 bad audits
 * disqualify); at the default 60 s interval add 5 minutes. Run on demand, never in CI.
 *
 * <p>Arguments: MiB of data (default 1024), runs (3), audit interval in ms (1000).
 */
public final class LazyDonorBenchmark {
  private static final int BLOB_BYTES = 8 << 20;

  private LazyDonorBenchmark() {}

  public static void main(String[] args) throws Exception {
    int mebibytes = args.length > 0 ? Integer.parseInt(args[0]) : 1024;
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    Duration interval = Duration.ofMillis(args.length > 2 ? Long.parseLong(args[2]) : 1000);
    List<double[]> results = new ArrayList<>();
    for (int run = 0; run < runs; run++) {
      double[] r = oneRun(mebibytes, run, interval);
      results.add(r);
      System.out.printf(Locale.ROOT, "run %d: %d MiB, audit every %d ms: first missed audit to"
          + " DISQUALIFIED %.1f s, to R restored %.1f s (repair after disqualification %.1f s,"
          + " %.0f MiB pulled)%n", run + 1, mebibytes, interval.toMillis(), r[0], r[1],
          r[1] - r[0], r[2]);
    }
    System.out.printf(Locale.ROOT, "median: to DISQUALIFIED %.1f s, to R restored %.1f s, "
        + "%.0f MiB pulled%n", median(results, 0), median(results, 1), median(results, 2));
  }

  private static double[] oneRun(int mebibytes, int run, Duration interval) throws Exception {
    Path dir = Files.createTempDirectory("cairn-lazy-bench");
    LocalCluster.Options options = LocalCluster.Options.of(5)
        .withHeal(HealConfig.defaults().withRepair(Duration.ofSeconds(1),
            HealConfig.DEFAULT_REPAIR_BYTES_PER_SECOND))
        .withAudit(AuditSchedule.every(interval));
    try (LocalCluster cluster = LocalCluster.start(dir.resolve("c"), options);
        ConnectionPool pool = new ConnectionPool(Duration.ofSeconds(60))) {
      List<ContentId> ids = placeAndPublish(cluster, pool, mebibytes / 8,
          BLOB_BYTES, run, "lazy" + run);
      MetaClient meta = new MetaClient(pool, List.of(cluster.metaAddress()),
          Duration.ofSeconds(60));
      Await.until(Duration.ofMinutes(2), "every blob at R", () -> meta.placement(3, ids)
          .stream().allMatch((BlobPlacement p) -> p.holders().size() >= 3));
      StorageServer lazy = cluster.servers().get(0);
      garble(lazy, ids);
      long pulledBefore = pulled(cluster);
      Await.until(Duration.ofMinutes(2), "a first failed audit of the lazy donor",
          () -> info(meta, lazy).auditsFailed() > 0);
      long start = System.nanoTime();
      Await.until(Duration.ofMinutes(5), "the lazy donor disqualified",
          () -> info(meta, lazy).standing() == NodeStanding.DISQUALIFIED);
      double disqualified = (System.nanoTime() - start) / 1e9;
      byte[] lazyKey = lazy.nodeKey().toBytes();
      Await.until(Duration.ofMinutes(10), "every blob at R without the lazy donor",
          () -> meta.placement(3, ids).stream().allMatch(p -> p.holders().stream()
              .filter(k -> !Arrays.equals(k, lazyKey)).count() >= 3));
      double restored = (System.nanoTime() - start) / 1e9;
      double mib = (pulled(cluster) - pulledBefore) / (double) (1 << 20);
      return new double[] {disqualified, restored, mib};
    } finally {
      deleteTree(dir);
    }
  }

  private static NodeInfo info(MetaClient meta, StorageServer server) {
    for (NodeInfo node : meta.nodes()) {
      if (Arrays.equals(node.nodeKey(), server.nodeKey().toBytes())) {
        return node;
      }
    }
    throw new IllegalStateException("donor not listed");
  }

  private static long pulled(LocalCluster cluster) {
    long pulled = 0;
    for (StorageServer server : cluster.servers().subList(1, 5)) {
      pulled += server.healCounters().pulledBytes();
    }
    return pulled;
  }

  /** Replaces every held blob file of {@code server} by same-size random bytes. */
  private static void garble(StorageServer server, List<ContentId> ids) throws Exception {
    byte[] garbage = new byte[BLOB_BYTES];
    new Random(1).nextBytes(garbage);
    for (ContentId id : ids) {
      if (server.store().contains(id)) {
        // Under the old stat: a donor re-hashes a touched file and would drop it honestly.
        HealFixtures.overwriteKeepingStat(server.store().file(id), garbage);
      }
    }
  }
}
