package dev.cairn.cli.heal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.cluster.Await;
import dev.cairn.cluster.LocalCluster;
import dev.cairn.server.StorageServer;
import dev.cairn.wire.ContentId;
import dev.cairn.wire.manifest.BatchRef;
import dev.cairn.wire.manifest.Manifest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Goal: bytes flipped in blob files on two donors are found by the scrubber, quarantined and
 * replaced by good copies from peers, and a reader reading meanwhile only ever gets verified
 * bytes.
 */
class ScrubTest {
  @TempDir Path dir;

  private record Flipped(int server, ContentId id) {}

  @Test
  void flippedBytesAreQuarantinedAndRestoredFromPeers() throws Exception {
    LocalCluster.Options options = HealFixtures.options(4).withHeal(HealFixtures.FAST
        .withScrub(Duration.ofSeconds(1), 50L << 20));
    try (LocalCluster cluster = LocalCluster.start(dir.resolve("c"), options)) {
      Manifest manifest = HealFixtures.publish(cluster, dir, HealFixtures.newKey(), "bob",
          "rot", 30_000);
      long total = manifest.batches().stream().mapToLong(BatchRef::byteSize).sum();
      HealFixtures.awaitExactCopies(cluster, Set.of(), manifest, 3);
      Random random = new Random(7);
      List<Flipped> flipped = new ArrayList<>();
      for (int server : new int[] {0, 2}) {
        StorageServer donor = cluster.servers().get(server);
        List<ContentId> held = donor.store().list(null, Integer.MAX_VALUE);
        for (int i = 0; i < 2; i++) {
          ContentId id = held.get(random.nextInt(held.size()));
          if (flipped.contains(new Flipped(server, id))) {
            continue;
          }
          flipByte(donor.store().file(id), random);
          flipped.add(new Flipped(server, id));
        }
      }
      // Readers verify: the corrupt copies are skipped whether or not the scrubber ran yet.
      assertEquals(total, HealFixtures.readEveryBatch(cluster, manifest));

      assertTrue(Await.eventually(HealFixtures.HEAL_WAIT, () -> flipped.stream()
          .allMatch(f -> cluster.servers().get(f.server()).healCounters().corruptFound()
              >= flipped.stream().filter(g -> g.server() == f.server()).count())),
          "the scrubbers found every flipped blob");
      HealFixtures.awaitExactCopies(cluster, Set.of(), manifest, 3);
      for (Flipped f : flipped) {
        StorageServer donor = cluster.servers().get(f.server());
        assertTrue(donor.store().contains(f.id()), "a good copy is back on its donor");
        assertEquals(f.id(), ContentId.of(donor.store().read(f.id())));
        try (Stream<Path> quarantined = Files.list(donor.store().root().resolve("quarantine"))) {
          assertTrue(quarantined.anyMatch(p -> p.getFileName().toString()
              .startsWith(f.id().toHex())), "the corrupt file is kept in quarantine");
        }
      }
      long corrupt = cluster.servers().stream()
          .mapToLong(s -> s.healCounters().corruptFound()).sum();
      assertEquals(flipped.size(), corrupt, "exactly the flipped blobs were found corrupt");
      assertFalse(flipped.isEmpty());
      assertEquals(total, HealFixtures.readEveryBatch(cluster, manifest));
    }
  }

  private static void flipByte(Path file, Random random) throws Exception {
    byte[] bytes = Files.readAllBytes(file);
    bytes[random.nextInt(bytes.length)] ^= (byte) (1 + random.nextInt(255));
    Files.write(file, bytes);
  }
}
