package dev.cairn.cli.heal;

import static dev.cairn.cli.heal.HealFixtures.awaitExactCopies;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.cli.CliRun;
import dev.cairn.cluster.Await;
import dev.cairn.cluster.LocalCluster;
import dev.cairn.server.StorageServer;
import dev.cairn.wire.manifest.BatchRef;
import dev.cairn.wire.manifest.Manifest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Goal (issue 18, Sybil): 10 donors in zone "a" and one in each of "b", "c" and "d", R = 3. No
 * batch ever has two copies in zone "a", counted from what the donors actually hold: after
 * the publish, and after repair replaced a lost zone-"a" donor and the only donor of "c". With
 * only two zones left, copies must share a zone and {@code cairn status} says so.
 */
class ZoneDiversityTest {
  private static final int CROWD = 10;
  private static final List<String> ZONES = zones();

  @TempDir Path dir;

  private static List<String> zones() {
    List<String> zones = new ArrayList<>();
    for (int i = 0; i < CROWD; i++) {
      zones.add("a");
    }
    zones.addAll(List.of("b", "c", "d"));
    return zones;
  }

  @Test
  void aCrowdInOneZoneNeverHoldsTwoCopiesOfABatch() throws Exception {
    LocalCluster.Options options = HealFixtures.options(ZONES.size()).withZones(ZONES);
    try (LocalCluster cluster = LocalCluster.start(dir.resolve("c"), options)) {
      for (int i = 0; i < ZONES.size(); i++) {
        assertEquals(ZONES.get(i), cluster.servers().get(i).zone());
      }
      Manifest manifest = HealFixtures.publish(cluster, dir, HealFixtures.newKey(), "alice",
          "events", 60_000);
      assertTrue(manifest.batches().size() >= 10, "many batches: "
          + manifest.batches().size());
      Set<Integer> stopped = new HashSet<>();
      assertEveryBatchInThreeZones(cluster, stopped, manifest, "after the publish");
      awaitExactCopies(cluster, stopped, manifest, 3);
      assertEveryBatchInThreeZones(cluster, stopped, manifest, "once repair settled");
      String status = status(cluster);
      assertTrue(status.contains("ZONE"), status);
      assertFalse(status.contains("zone-constrained"), status);

      cluster.stopServer(0);
      stopped.add(0);
      cluster.stopServer(CROWD + 1); // the only donor of zone "c"
      stopped.add(CROWD + 1);
      awaitExactCopies(cluster, stopped, manifest, 3);
      assertEveryBatchInThreeZones(cluster, stopped, manifest, "after repair without 'c'");

      cluster.stopServer(CROWD + 2); // zone "d": only "a" and "b" are left
      stopped.add(CROWD + 2);
      Await.until(HealFixtures.HEAL_WAIT, "status names the zone constraint",
          () -> status(cluster).contains("placement is zone-constrained: 3 copies wanted, "
              + "2 zones live"));
      awaitExactCopies(cluster, stopped, manifest, 3);
      for (List<String> zones : zonesPerBatch(cluster, stopped, manifest)) {
        assertEquals(Set.of("a", "b"), new HashSet<>(zones), "both zones left hold a copy");
      }
    }
  }

  /** Asserts, from the donors' stores, that every batch's copies lie in 3 distinct zones. */
  private static void assertEveryBatchInThreeZones(LocalCluster cluster, Set<Integer> stopped,
      Manifest manifest, String when) {
    List<List<String>> zonesPerBatch = zonesPerBatch(cluster, stopped, manifest);
    for (List<String> zones : zonesPerBatch) {
      assertEquals(zones.size(), new HashSet<>(zones).size(),
          when + ": no two copies of a batch share a zone; zones per batch " + zonesPerBatch);
    }
  }

  /** Returns, per batch, the zone of every running donor that holds it. */
  private static List<List<String>> zonesPerBatch(LocalCluster cluster, Set<Integer> stopped,
      Manifest manifest) {
    List<List<String>> result = new ArrayList<>();
    for (BatchRef batch : manifest.batches()) {
      List<String> zones = new ArrayList<>();
      for (int i = 0; i < cluster.servers().size(); i++) {
        StorageServer server = cluster.servers().get(i);
        if (!stopped.contains(i) && server.store().contains(batch.id())) {
          zones.add(server.zone());
        }
      }
      result.add(zones);
    }
    return result;
  }

  /** Runs {@code cairn status} in this JVM and returns what it printed. */
  private static String status(LocalCluster cluster) {
    return CliRun.output("status", "--meta", cluster.metaHostPort());
  }
}
