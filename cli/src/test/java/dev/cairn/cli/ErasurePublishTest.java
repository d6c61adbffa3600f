package dev.cairn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.client.net.ConnectionPool;
import dev.cairn.client.net.VerifiedHead;
import dev.cairn.cluster.LocalCluster;
import dev.cairn.wire.ContentId;
import dev.cairn.wire.erasure.Stripe;
import dev.cairn.wire.manifest.BatchRef;
import dev.cairn.wire.manifest.Manifest;
import dev.cairn.wire.manifest.RedundancyPolicy;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Goal: {@code cairn publish --erasure 4+2} on 6 donors stores every batch as 6 shards on 6
 * distinct donors, lists them in a format 3 manifest, and takes (k+m)/k of the blob bytes on
 * disk, which is also what the donors charge the writer's quota; a malformed K+M is an argument error, and a K+M wider than the live donors a named
 * BAD_CONFIG error that publishes nothing.
 */
class ErasurePublishTest {
  @TempDir Path dir;

  @Test
  void shardsLandOnDistinctDonorsAtOneAndAHalfTimesTheBytes() throws Exception {
    try (LocalCluster cluster = LocalCluster.start(dir.resolve("cluster"),
        LocalCluster.Options.of(6));
        ConnectionPool pool = new ConnectionPool(ClusterFixtures.TIMEOUT)) {
      String writer = ClusterFixtures.key(dir.resolve("alice.key")).publicKey().fingerprint()
          .toString();
      Path input = ClusterFixtures.csv(dir, "rows.csv", 50_000, 3);
      CliRun run = CliRun.of("publish", "--meta", cluster.metaHostPort(), "--key",
          dir.resolve("alice.key").toString(), "--table", "alice.rows", "--erasure", "4+2",
          "--batch-size", "256KiB", input.toString());
      assertEquals(0, run.exit(), run.err());
      assertTrue(run.out().contains("with erasure coding 4+2"), run.out());

      VerifiedHead head = ClusterFixtures.metaClient(pool, cluster.metaAddress())
          .head("alice", "rows").orElseThrow();
      Manifest manifest = head.signed().manifest();
      assertEquals(RedundancyPolicy.erasure(4, 2), manifest.redundancy());
      assertEquals(3, head.signed().encoded()[7], "manifest format 3");
      assertTrue(manifest.batches().size() >= 4, "several batches: " + manifest.batches().size());
      long blobBytes = 0;
      long shardBytesOnDisk = 0;
      for (BatchRef batch : manifest.batches()) {
        assertEquals(6, batch.shardIds().size());
        Set<Integer> donors = new HashSet<>();
        for (ContentId shard : batch.shardIds()) {
          List<Integer> holders = ClusterFixtures.holders(cluster.servers(), shard);
          assertEquals(1, holders.size(), "shard " + shard.toShortHex() + " on one donor");
          donors.addAll(holders);
          byte[] bytes = cluster.servers().get(holders.get(0)).store().read(shard);
          assertEquals(Stripe.shardBytes(batch.byteSize(), 4), bytes.length);
          shardBytesOnDisk += bytes.length;
        }
        assertEquals(6, donors.size(), "the 6 shards of a batch on 6 distinct donors");
        assertTrue(ClusterFixtures.holders(cluster.servers(), batch.id()).isEmpty(),
            "no donor holds the whole blob");
        blobBytes += batch.byteSize();
      }
      long charged = cluster.servers().stream().mapToLong(s -> s.ledger().usedBytes(writer))
          .sum();
      assertEquals(shardBytesOnDisk, charged, "quotas charge the writer the shard bytes");
      double ratio = (double) shardBytesOnDisk / blobBytes;
      assertTrue(ratio >= 1.5 && ratio <= 1.5 * 1.05, "bytes on disk / blob bytes = " + ratio);
    }
  }

  @Test
  void badFormsAndTooWideCodesAreNamedErrors() throws Exception {
    try (LocalCluster cluster = LocalCluster.start(dir.resolve("cluster"),
        LocalCluster.Options.of(3));
        ConnectionPool pool = new ConnectionPool(ClusterFixtures.TIMEOUT)) {
      ClusterFixtures.key(dir.resolve("alice.key"));
      Path input = ClusterFixtures.csv(dir, "rows.csv", 100, 4);
      for (String form : List.of("4x2", "0+2", "4+0", "30+3", "+2", "4+2+1")) {
        CliRun run = CliRun.of("publish", "--meta", cluster.metaHostPort(), "--key",
            dir.resolve("alice.key").toString(), "--table", "alice.rows", "--erasure", form,
            input.toString());
        assertEquals(2, run.exit(), form + ": " + run.err());
        assertTrue(run.err().contains("--erasure must be K+M"), run.err());
      }
      CliRun both = CliRun.of("publish", "--meta", cluster.metaHostPort(), "--key",
          dir.resolve("alice.key").toString(), "--table", "alice.rows", "--erasure", "2+1",
          "--replicas", "2", input.toString());
      assertEquals(2, both.exit(), both.err());
      assertTrue(both.err().contains("exclude each other"), both.err());

      CliRun wide = CliRun.of("publish", "--meta", cluster.metaHostPort(), "--key",
          dir.resolve("alice.key").toString(), "--table", "alice.rows", "--erasure", "2+2",
          input.toString());
      assertEquals(1, wide.exit(), wide.err());
      assertTrue(wide.err().contains("BAD_CONFIG") && wide.err().contains("needs 4 live storage"
          + " nodes, one per shard; found 3"), wide.err());
      assertFalse(ClusterFixtures.metaClient(pool, cluster.metaAddress())
          .head("alice", "rows").isPresent(), "nothing published");
    }
  }
}
