package dev.cairn.cli.heal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.cluster.Await;
import dev.cairn.cluster.LocalCluster;
import dev.cairn.server.StorageServer;
import dev.cairn.wire.ContentId;
import dev.cairn.wire.manifest.BatchRef;
import dev.cairn.wire.manifest.Manifest;
import dev.cairn.wire.manifest.RedundancyPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Goal: with 7 donors and a table erasure-coded 4 + 2, the shards a stopped donor held are
 * rebuilt by the donors that hold none of their stripe (from 4 verified shards, checked against
 * the signed shard ids), one shard per donor; so after that repair two more donors may stop
 * and SQL through jdbc:cairn still answers exactly, where without repair some stripes would
 * be down to 3 shards. And shards with flipped bytes on two donors are found by their
 * scrubbers, quarantined, and rebuilt from the others.
 */
class ErasureRepairTest {
  private static final int ROWS = 20_000;
  /** A cache size no other test uses: runtimes are shared JVM-wide by configuration. */
  private static final int CACHE_MIB = 651;

  @TempDir Path dir;

  @Test
  void shardsOfAStoppedDonorAreRebuiltOnePerDonor() throws Exception {
    try (LocalCluster cluster = LocalCluster.start(dir.resolve("c"), HealFixtures.options(7))) {
      Manifest manifest = publishErasure(cluster);
      long answer = sum(cluster, CACHE_MIB);
      assertEquals((long) ROWS * (ROWS - 1) / 2, answer);

      cluster.stopServer(0);
      Set<Integer> stopped = Set.of(0);
      boolean healed = Await.eventually(HealFixtures.HEAL_WAIT,
          () -> manifest.batches().stream().allMatch(b -> completeOnDistinctDonors(
              cluster, stopped, b)));
      for (BatchRef batch : manifest.batches()) {
        assertTrue(completeOnDistinctDonors(cluster, stopped, batch), "batch "
            + batch.id().toShortHex() + " has its 6 verified shards on 6 running donors"
            + (healed ? "" : " (timed out)"));
      }
      assertTrue(cluster.servers().stream().mapToLong(s -> s.healCounters().pulledBlobs())
          .sum() > 0, "shards were rebuilt");

      cluster.stopServer(1);
      cluster.stopServer(2);
      assertEquals(answer, sum(cluster, CACHE_MIB + 1), "two more donors may stop after repair");
    }
  }

  @Test
  void flippedShardsAreQuarantinedAndRebuilt() throws Exception {
    LocalCluster.Options options = HealFixtures.options(6).withHeal(HealFixtures.FAST
        .withScrub(java.time.Duration.ofSeconds(1), 50L << 20));
    try (LocalCluster cluster = LocalCluster.start(dir.resolve("c"), options)) {
      Manifest manifest = publishErasure(cluster);
      List<ContentId> flipped = new java.util.ArrayList<>();
      for (int server : new int[] {0, 2}) {
        StorageServer donor = cluster.servers().get(server);
        ContentId shard = manifest.batches().stream()
            .flatMap(b -> b.shardIds().stream()).filter(donor.store()::contains)
            .findFirst().orElseThrow();
        byte[] bytes = donor.store().read(shard);
        bytes[bytes.length / 2] ^= 0x01;
        Files.write(donor.store().file(shard), bytes);
        flipped.add(shard);
      }
      assertTrue(Await.eventually(HealFixtures.HEAL_WAIT, () -> cluster.servers().get(0)
          .healCounters().corruptFound() > 0 && cluster.servers().get(2).healCounters()
          .corruptFound() > 0), "both scrubbers found their flipped shard");
      boolean healed = Await.eventually(HealFixtures.HEAL_WAIT, () -> manifest.batches()
          .stream().allMatch(b -> completeOnDistinctDonors(cluster, Set.of(), b)));
      for (BatchRef batch : manifest.batches()) {
        assertTrue(completeOnDistinctDonors(cluster, Set.of(), batch), "batch "
            + batch.id().toShortHex() + " complete again" + (healed ? "" : " (timed out)"));
      }
      assertEquals((long) ROWS * (ROWS - 1) / 2, sum(cluster, CACHE_MIB + 2));
    }
  }

  /** True if every shard of {@code batch} is held, verified, by a running donor, each apart. */
  private static boolean completeOnDistinctDonors(LocalCluster cluster, Set<Integer> stopped,
      BatchRef batch) {
    Set<Integer> donors = new HashSet<>();
    for (ContentId shard : batch.shardIds()) {
      int holders = 0;
      for (int i = 0; i < cluster.servers().size(); i++) {
        StorageServer server = cluster.servers().get(i);
        if (!stopped.contains(i) && server.store().contains(shard)) {
          try {
            if (ContentId.of(server.store().read(shard)).equals(shard)) {
              holders++;
              donors.add(i);
            }
          } catch (java.io.IOException e) {
            return false;
          }
        }
      }
      if (holders == 0) {
        return false;
      }
    }
    return donors.size() == batch.shardIds().size();
  }

  private Manifest publishErasure(LocalCluster cluster) throws Exception {
    return HealFixtures.publish(cluster, HealFixtures.writeEvents(dir.resolve("events.csv"),
        ROWS, 11), HealFixtures.newKey(), "jo", "events", RedundancyPolicy.erasure(4, 2));
  }

  /** Returns sum(id) through jdbc:cairn with an empty cache of {@code cacheMib}. */
  private static long sum(LocalCluster cluster, int cacheMib) throws Exception {
    String url = "jdbc:cairn://" + cluster.metaHostPort() + "/jo?cache.size=" + cacheMib + "MiB";
    try (Connection connection = DriverManager.getConnection(url);
        Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery("select sum(id) from events")) {
      assertTrue(result.next());
      return result.getLong(1);
    }
  }
}
