package dev.cairn.cli.heal;

import static dev.cairn.cli.heal.HealFixtures.awaitExactCopies;
import static dev.cairn.cli.heal.HealFixtures.eventsAnswer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.cluster.LocalCluster;
import dev.cairn.wire.manifest.BatchRef;
import dev.cairn.wire.manifest.Manifest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Goal: with 5 donors and R = 3, losing a donor (then a second) brings every blob back to 3
 * live copies without an operator, readers keep getting verified bytes, and when the first
 * donor returns with its old data the surplus copies are dropped again (only once their new
 * holders have confirmed theirs) and nothing is lost. A SQL query through the driver, each
 * time from a fresh cache so it really fetches from the donors, gives the same answer.
 */
class LostServerTest {
  @TempDir Path dir;

  @Test
  void lostDonorsAreReplacedAndAReturningDonorsSurplusIsDropped() throws Exception {
    try (LocalCluster cluster = LocalCluster.start(dir.resolve("c"), HealFixtures.options(5))) {
      Manifest manifest = HealFixtures.publish(cluster, dir, HealFixtures.newKey(), "alice",
          "events", 40_000);
      assertTrue(manifest.batches().size() >= 8, "enough batches to spread over 5 donors");
      Set<Integer> stopped = new HashSet<>();
      awaitExactCopies(cluster, stopped, manifest, 3);
      long total = manifest.batches().stream().mapToLong(BatchRef::byteSize).sum();
      List<Object> answer = eventsAnswer(cluster, "alice", 256 + 0);
      assertEquals(40_000L, answer.get(0));

      cluster.stopServer(0);
      stopped.add(0);
      awaitExactCopies(cluster, stopped, manifest, 3);
      assertEquals(total, HealFixtures.readEveryBatch(cluster, manifest));
      assertEquals(answer, eventsAnswer(cluster, "alice", 256 + 1));

      cluster.stopServer(1);
      stopped.add(1);
      awaitExactCopies(cluster, stopped, manifest, 3);
      assertEquals(total, HealFixtures.readEveryBatch(cluster, manifest));
      assertEquals(0, HealFixtures.waitHealthy(cluster, Duration.ofSeconds(20)));
      assertEquals(answer, eventsAnswer(cluster, "alice", 256 + 2));

      cluster.restartServer(0, 0);
      stopped.remove(0);
      awaitExactCopies(cluster, stopped, manifest, 3);
      assertEquals(total, HealFixtures.readEveryBatch(cluster, manifest));
      long dropped = cluster.servers().stream().filter(s -> s != cluster.servers().get(1))
          .mapToLong(s -> s.healCounters().droppedBlobs()).sum();
      assertTrue(dropped > 0, "the returning donor's data made surplus copies, dropped again");
      assertEquals(answer, eventsAnswer(cluster, "alice", 256 + 3));
    }
  }
}
