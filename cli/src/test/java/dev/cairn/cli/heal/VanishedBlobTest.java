package dev.cairn.cli.heal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.client.net.ConnectionPool;
import dev.cairn.client.net.NodeClient;
import dev.cairn.cluster.Await;
import dev.cairn.cluster.LocalCluster;
import dev.cairn.server.StorageServer;
import dev.cairn.wire.CairnException;
import dev.cairn.wire.ContentId;
import dev.cairn.wire.ErrorCode;
import dev.cairn.wire.manifest.BatchRef;
import dev.cairn.wire.manifest.Manifest;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Goal: blob files deleted, truncated or replaced with garbage of the same length on running
 * donors leave the index at the next request (HAS says no, GET says NOT_FOUND), the metadata
 * service stops counting those copies after the next heartbeat, and repair restores R.
 */
class VanishedBlobTest {
  @TempDir Path dir;

  @Test
  void filesLostBehindTheDonorsBackAreNoticedReportedAndRepaired() throws Exception {
    LocalCluster.Options options = HealFixtures.options(4)
        .withHeartbeatInterval(LocalCluster.HEARTBEAT_INTERVAL_QUICK);
    try (LocalCluster cluster = LocalCluster.start(dir.resolve("c"), options);
        ConnectionPool pool = new ConnectionPool(HealFixtures.TIMEOUT)) {
      Manifest manifest = HealFixtures.publish(cluster, dir, HealFixtures.newKey(), "bob",
          "lost", 20_000);
      HealFixtures.awaitExactCopies(cluster, Set.of(), manifest, 3);
      List<BatchRef> batches = manifest.batches();
      assertTrue(batches.size() >= 3, "the table has at least three batches");

      // Batch 0 is deleted from every holder: nobody can repair it, so the metadata service's
      // count of its copies is stable at 0 once each holder's next heartbeat went out.
      ContentId everywhere = batches.get(0).id();
      byte[] saved = null;
      List<Integer> holders = holdersOf(cluster, everywhere);
      for (int index : holders) {
        StorageServer donor = cluster.servers().get(index);
        saved = donor.store().read(everywhere);
        Files.delete(donor.store().file(everywhere));
      }
      // Batches 1 and 2 lose one copy each on one donor: truncated, then garbled in place.
      ContentId truncated = batches.get(1).id();
      StorageServer truncatedOn = cluster.servers().get(holdersOf(cluster, truncated).get(0));
      Path truncatedFile = truncatedOn.store().file(truncated);
      Files.write(truncatedFile, java.util.Arrays.copyOf(Files.readAllBytes(truncatedFile), 10));
      ContentId garbled = batches.get(2).id();
      StorageServer garbledOn = cluster.servers().get(holdersOf(cluster, garbled).get(0));
      Path garbledFile = garbledOn.store().file(garbled);
      byte[] garbage = Files.readAllBytes(garbledFile);
      java.util.Arrays.fill(garbage, (byte) 0x5a);
      Files.write(garbledFile, garbage);

      for (int index : holders) {
        assertEquals(List.of(false), client(pool, cluster.servers().get(index))
            .has(List.of(everywhere)), "HAS answers no at the first request after a delete");
      }
      assertEquals(ErrorCode.NOT_FOUND, getFails(client(pool, truncatedOn), truncated));
      assertEquals(ErrorCode.NOT_FOUND, getFails(client(pool, garbledOn), garbled));
      assertEquals(1, garbledOn.healCounters().corruptFound(), "the garbage was caught");
      assertTrue(truncatedOn.healCounters().vanishedFound() >= 1, "the truncation was caught");

      assertTrue(Await.eventually(HealFixtures.HEAL_WAIT,
          () -> HealFixtures.metaHolders(cluster, manifest).get(0) == 0),
          "the metadata service counts no copy of the deleted batch after the heartbeats");

      // An operator puts the deleted blob back on one donor; repair spreads it to R again.
      cluster.servers().get(holders.get(0)).store().put(everywhere, ByteBuffer.wrap(saved));
      HealFixtures.awaitExactCopies(cluster, Set.of(), manifest, 3);
      assertTrue(truncatedOn.store().contains(truncated), "the truncated copy was re-pulled");
      assertTrue(garbledOn.store().contains(garbled), "the garbled copy was re-pulled");
      assertEquals(garbled, ContentId.of(garbledOn.store().read(garbled)));
      assertEquals(batches.stream().mapToLong(BatchRef::byteSize).sum(),
          HealFixtures.readEveryBatch(cluster, manifest));
    }
  }

  private static List<Integer> holdersOf(LocalCluster cluster, ContentId id) {
    List<Integer> holders = new ArrayList<>();
    for (int i = 0; i < cluster.servers().size(); i++) {
      if (cluster.servers().get(i).store().contains(id)) {
        holders.add(i);
      }
    }
    assertFalse(holders.isEmpty(), "someone holds " + id.toShortHex());
    return holders;
  }

  private static NodeClient client(ConnectionPool pool, StorageServer donor) {
    return new NodeClient(pool, donor.address(), donor.nodeKey().toBytes(),
        HealFixtures.TIMEOUT);
  }

  private static ErrorCode getFails(NodeClient client, ContentId id) {
    try {
      client.get(id, 0, 0);
    } catch (CairnException e) {
      return e.code();
    }
    return null;
  }
}
