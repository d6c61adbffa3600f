package dev.cairn.cli.heal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.cluster.Await;
import dev.cairn.cluster.LocalCluster;
import dev.cairn.server.StorageServer;
import dev.cairn.wire.ContentId;
import dev.cairn.wire.Placement;
import dev.cairn.wire.crypto.SigningKey;
import dev.cairn.wire.manifest.BatchRef;
import dev.cairn.wire.manifest.Manifest;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Goal: a donor that joins receives the blobs placement gives it with no command, while every
 * blob stays at exactly R; a donor whose disk is full refuses with CAPACITY_FULL and placement uses the
 * others, also when a donor is lost; a donor that gives a writer no quota is stepped around;
 * nothing is lost either way.
 */
class JoinAndFullDiskTest {
  @TempDir Path dir;

  @Test
  void aSixthDonorReceivesWhatPlacementGivesItWithoutACommand() throws Exception {
    try (LocalCluster cluster = LocalCluster.start(dir.resolve("c"), HealFixtures.options(5))) {
      Manifest manifest = HealFixtures.publish(cluster, dir, HealFixtures.newKey(), "carol",
          "grow", 60_000);
      HealFixtures.awaitExactCopies(cluster, Set.of(), manifest, 3);
      int added = cluster.addServer(config -> config);
      cluster.awaitLiveNodes(6);
      StorageServer newcomer = cluster.servers().get(added);
      // Exactly the batches placement gives it among the six, not a share that hashing
      // happens to give it.
      List<byte[]> keys = cluster.servers().stream().map(s -> s.nodeKey().toBytes()).toList();
      byte[] newcomerKey = newcomer.nodeKey().toBytes();
      Set<ContentId> placedThere = new HashSet<>();
      for (BatchRef batch : manifest.batches()) {
        if (Placement.choose(batch.id(), keys, 3).stream()
            .anyMatch(key -> Arrays.equals(key, newcomerKey))) {
          placedThere.add(batch.id());
        }
      }
      assertTrue(Await.eventually(HealFixtures.HEAL_WAIT,
          () -> placedThere.stream().allMatch(newcomer.store()::contains)),
          "the newcomer received the " + placedThere.size() + " batches placed on it");
      HealFixtures.awaitExactCopies(cluster, Set.of(), manifest, 3);
      for (BatchRef batch : manifest.batches()) {
        assertEquals(placedThere.contains(batch.id()), newcomer.store().contains(batch.id()),
            "the newcomer holds batch " + batch.id().toShortHex() + " iff placement says so");
      }
      assertEquals(manifest.batches().stream().mapToLong(BatchRef::byteSize).sum(),
          HealFixtures.readEveryBatch(cluster, manifest));
    }
  }

  @Test
  void aFullDonorRefusesAndPlacementUsesTheOthers() throws Exception {
    long tiny = 150 << 10;
    try (LocalCluster cluster = LocalCluster.start(dir.resolve("c"), HealFixtures.options(4))) {
      int full = cluster.addServer(config -> config.withStorage(tiny,
          config.defaultQuotaBytes(), Map.of()));
      cluster.awaitLiveNodes(5);
      Manifest manifest = HealFixtures.publish(cluster, dir, HealFixtures.newKey(), "dave",
          "big", 60_000);
      long total = manifest.batches().stream().mapToLong(BatchRef::byteSize).sum();
      assertTrue(total > 3 * tiny, "the table does not fit the small donor");
      Set<Integer> stopped = new HashSet<>();
      HealFixtures.awaitExactCopies(cluster, stopped, manifest, 3);
      StorageServer small = cluster.servers().get(full);
      assertTrue(small.store().usedBytes() <= tiny, "the small donor stays within capacity");

      cluster.stopServer(0);
      stopped.add(0);
      HealFixtures.awaitExactCopies(cluster, stopped, manifest, 3);
      assertTrue(small.store().usedBytes() <= tiny);
      assertEquals(total, HealFixtures.readEveryBatch(cluster, manifest));
    }
  }

  @Test
  void aDonorRefusingAWritersQuotaIsSteppedAroundWhenRepairing() throws Exception {
    SigningKey writer = HealFixtures.newKey();
    String fingerprint = writer.publicKey().fingerprint().toString();
    try (LocalCluster cluster = LocalCluster.start(dir.resolve("c"), HealFixtures.options(4))) {
      // Published first: the publisher stops at a refusal (the client's rule); the donor
      // joins after, and placement makes it a target of blobs it will refuse.
      Manifest manifest = HealFixtures.publish(cluster, dir, writer, "ivan", "q", 40_000);
      int refusing = cluster.addServer(config -> config.withStorage(config.capacityBytes(),
          config.defaultQuotaBytes(), Map.of(fingerprint, 0L)));
      cluster.awaitLiveNodes(5);
      Set<Integer> stopped = new HashSet<>();
      assertTrue(Await.eventually(HealFixtures.HEAL_WAIT,
          () -> cluster.servers().get(refusing).healCounters().refusedPulls() > 0),
          "the new donor was a target and refused with QUOTA_EXCEEDED");
      HealFixtures.awaitExactCopies(cluster, stopped, manifest, 3);
      cluster.stopServer(0);
      stopped.add(0);
      HealFixtures.awaitExactCopies(cluster, stopped, manifest, 3);
      assertEquals(0, cluster.servers().get(refusing).store().count(),
          "the donor that gives this writer no quota holds none of its blobs");
      assertEquals(manifest.batches().stream().mapToLong(BatchRef::byteSize).sum(),
          HealFixtures.readEveryBatch(cluster, manifest));
    }
  }
}
