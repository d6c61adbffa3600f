package dev.cairn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.cluster.LocalCluster;
import dev.cairn.server.StorageServer;
import dev.cairn.server.store.QuotaLedger.KeyUsage;
import dev.cairn.wire.Units;
import dev.cairn.wire.crypto.SigningKey;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Goal (issue 15): {@code cairn server usage} shows, beside the running donor that holds the
 * data directory's lock, what it stores per writer key (blobs, bytes, quota), the same figures
 * the donor's own ledger holds at that moment.
 */
class ServerUsageTest {
  @TempDir Path dir;

  @Test
  void showsBlobsBytesAndQuotaPerWriterWhileTheDonorRuns() throws Exception {
    try (LocalCluster cluster = LocalCluster.start(dir.resolve("cluster"),
        LocalCluster.Options.of(1))) {
      SigningKey alice = ClusterFixtures.key(dir.resolve("alice.key"));
      SigningKey bob = ClusterFixtures.key(dir.resolve("bob.key"));
      String meta = cluster.metaHostPort();
      assertEquals(0, ClusterFixtures.cairn("publish", "--meta", meta, "--key",
          dir.resolve("alice.key").toString(), "--table", "alice.rows", "--replicas", "1",
          "--batch-size", "64KiB", ClusterFixtures.csv(dir, "a.csv", 20_000, 1).toString()));
      assertEquals(0, ClusterFixtures.cairn("publish", "--meta", meta, "--key",
          dir.resolve("bob.key").toString(), "--table", "bob.rows", "--replicas", "1",
          ClusterFixtures.csv(dir, "b.csv", 100, 2).toString()));
      StorageServer donor = cluster.servers().get(0);
      Map<String, KeyUsage> truth = donor.ledger().usageByKey();
      String aliceKey = alice.publicKey().fingerprint().toString();
      String bobKey = bob.publicKey().fingerprint().toString();
      assertTrue(truth.get(aliceKey).blobs() > 1, "several batches: " + truth);

      Path data = donor.config().dataDirectory();
      CliRun usage = CliRun.of("server", "usage", "--data", data.toString(), "--quota",
          aliceKey + "=2GiB");
      assertEquals(0, usage.exit(), usage.err());
      assertTrue(usage.out().contains(row(aliceKey, truth.get(aliceKey), 2L << 30)),
          usage.out());
      assertTrue(usage.out().contains(row(bobKey, truth.get(bobKey), 1L << 30)), usage.out());
      assertTrue(usage.out().contains(String.format(Locale.ROOT, "%-18s %10d", "total",
          truth.get(aliceKey).blobs() + truth.get(bobKey).blobs())), usage.out());

      CliRun missing = CliRun.of("server", "usage", "--data", dir.resolve("none").toString());
      assertEquals(Main.EXIT_FAILED, missing.exit());
      assertTrue(missing.err().contains("NOT_FOUND"), missing.err());
    }
  }

  private static String row(String key, KeyUsage usage, long quota) {
    return String.format(Locale.ROOT, "%-18s %10d %14s %14s", key, usage.blobs(),
        Units.formatSize(usage.bytes()), Units.formatSize(quota));
  }
}
