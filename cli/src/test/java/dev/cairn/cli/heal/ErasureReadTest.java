package dev.cairn.cli.heal;

import static dev.cairn.cli.heal.HealFixtures.eventsAnswer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.cluster.LocalCluster;
import dev.cairn.server.StorageServer;
import dev.cairn.wire.ContentId;
import dev.cairn.wire.manifest.BatchRef;
import dev.cairn.wire.manifest.Manifest;
import dev.cairn.wire.manifest.RedundancyPolicy;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Goal: a table erasure-coded 4 + 2 on 6 donors answers SQL through jdbc:cairn exactly as
 * before with any two donors stopped; with a third stopped, queries fail with LOST naming the
 * shards unavailable, never with partial rows; and with the shards of two donors altered
 * under their old stat (so only readers can tell), readers still get exactly the right rows.
 * Each query runs from a fresh cache, so it really fetches shards from the donors.
 */
class ErasureReadTest {
  private static final int ROWS = 20_000;
  /**
   * Cache sizes no other test uses: a runtime (and its cache of verified batches) is shared
   * JVM-wide by configuration, and both tests publish the same rows, hence the same batch ids.
   */
  private static final int FIRST_TEST_CACHE_MIB = 611;
  private static final int SECOND_TEST_CACHE_MIB = 631;

  @TempDir Path dir;

  @Test
  void anyFourOfSixDonorsAnswerAndThreeLostAreNamed() throws Exception {
    try (LocalCluster cluster = LocalCluster.start(dir.resolve("c"), HealFixtures.options(6))) {
      Manifest manifest = publishErasure(cluster);
      int cache = FIRST_TEST_CACHE_MIB;
      List<Object> answer = eventsAnswer(cluster, "alice", cache);
      assertEquals((long) ROWS, answer.get(0));
      assertEquals((long) ROWS * (ROWS - 1) / 2, answer.get(1));

      cluster.stopServer(2);
      cluster.stopServer(4);
      assertEquals(answer, eventsAnswer(cluster, "alice", cache + 1), "any two donors may be lost");

      cluster.stopServer(0);
      for (BatchRef batch : manifest.batches()) {
        assertEquals(3, shardsOnRunningDonors(cluster, List.of(0, 2, 4), batch),
            "shards of batch " + batch.id().toShortHex() + " left on running donors");
      }
      SQLException lost = assertThrows(SQLException.class,
          () -> eventsAnswer(cluster, "alice", cache + 2));
      HealFixtures.assertThreeShardsLost(lost, manifest);
      assertTrue(manifest.batches().size() >= 4);
    }
  }

  @Test
  void alteredShardsOnTwoDonorsNeverReachAReader() throws Exception {
    try (LocalCluster cluster = LocalCluster.start(dir.resolve("c"), HealFixtures.options(6))) {
      Manifest manifest = publishErasure(cluster);
      int cache = SECOND_TEST_CACHE_MIB;
      List<Object> answer = eventsAnswer(cluster, "alice", cache);
      int altered = 0;
      for (int donor : List.of(1, 3)) {
        StorageServer server = cluster.servers().get(donor);
        for (BatchRef batch : manifest.batches()) {
          for (ContentId shard : batch.shardIds()) {
            if (server.store().contains(shard)) {
              byte[] bytes = server.store().read(shard);
              for (int i = 0; i < bytes.length; i += 97) {
                bytes[i] ^= 0x5a;
              }
              HealFixtures.overwriteKeepingStat(server.store().file(shard), bytes);
              altered++;
            }
          }
        }
      }
      assertTrue(altered >= manifest.batches().size(), "altered " + altered + " shards");
      assertEquals(answer, eventsAnswer(cluster, "alice", cache + 1),
          "the right rows despite altered shards");
      assertEquals(answer, eventsAnswer(cluster, "alice", cache + 2), "and again");
    }
  }

  private static int shardsOnRunningDonors(LocalCluster cluster, List<Integer> stopped,
      BatchRef batch) {
    int held = 0;
    for (ContentId shard : batch.shardIds()) {
      for (int i = 0; i < cluster.servers().size(); i++) {
        if (!stopped.contains(i) && cluster.servers().get(i).store().contains(shard)) {
          held++;
          break;
        }
      }
    }
    return held;
  }

  /** Publishes {@link #ROWS} rows as alice.events erasure-coded 4 + 2 in small batches. */
  private Manifest publishErasure(LocalCluster cluster) throws Exception {
    return HealFixtures.publish(cluster, HealFixtures.writeEvents(dir.resolve("events.csv"),
        ROWS, 7), HealFixtures.newKey(), "alice", "events", RedundancyPolicy.erasure(4, 2));
  }
}
