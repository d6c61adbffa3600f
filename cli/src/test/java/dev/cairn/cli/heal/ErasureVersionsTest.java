package dev.cairn.cli.heal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.cluster.Await;
import dev.cairn.cluster.LocalCluster;
import dev.cairn.wire.ContentId;
import dev.cairn.wire.crypto.SigningKey;
import dev.cairn.wire.manifest.BatchRef;
import dev.cairn.wire.manifest.Manifest;
import dev.cairn.wire.manifest.RedundancyPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Goal: a donor's keep-versions policy releases the shards only an erasure-coded table's
 * dropped versions name, and keeps every shard of the kept version; {@code cairn status
 * --wait-healthy} counts stripes: healthy with all k+m shards live, not healthy (degraded)
 * once a donor holding shards is gone.
 */
class ErasureVersionsTest {
  @TempDir Path dir;

  @Test
  void keepVersionsReleasesOldShardsAndStatusCountsStripes() throws Exception {
    SigningKey key = HealFixtures.newKey();
    LocalCluster.Options options = HealFixtures.options(6).withHeal(HealFixtures.FAST
        .withKeepVersions(Map.of(key.publicKey().fingerprint().toString(), 1)));
    try (LocalCluster cluster = LocalCluster.start(dir.resolve("c"), options)) {
      Manifest first = publish(cluster, key, 20_000);
      Manifest second = publish(cluster, key, 21_000);
      assertEquals(2, second.version());
      Set<ContentId> oldOnly = shards(first);
      oldOnly.removeAll(shards(second));
      assertTrue(!oldOnly.isEmpty(), "version 2 has shards of its own");
      assertTrue(Await.eventually(HealFixtures.HEAL_WAIT, () -> cluster.servers().stream()
          .noneMatch(s -> oldOnly.stream().anyMatch(id -> s.store().contains(id)))),
          "shards only the dropped version names are released");
      for (ContentId shard : shards(second)) {
        assertTrue(cluster.servers().stream().anyMatch(s -> s.store().contains(shard)),
            "kept shard " + shard.toShortHex());
      }
      assertEquals(0, HealFixtures.waitHealthy(cluster, Duration.ofSeconds(10)),
          "every stripe of the newest version complete");

      cluster.stopServer(5);
      assertTrue(Await.eventually(HealFixtures.HEAL_WAIT,
          () -> cluster.meta().liveNodeCount() == 5), "the stopped donor is declared dead");
      assertEquals(1, HealFixtures.waitHealthy(cluster, Duration.ofSeconds(1)),
          "stripes with a shard on the stopped donor are degraded");
    }
  }

  private Manifest publish(LocalCluster cluster, SigningKey key, int rows) throws Exception {
    return HealFixtures.publish(cluster, HealFixtures.writeEvents(dir.resolve("t" + rows + ".csv"),
        rows, rows), key, "ivy", "t", RedundancyPolicy.erasure(4, 2));
  }

  private static Set<ContentId> shards(Manifest manifest) {
    Set<ContentId> ids = new HashSet<>();
    for (BatchRef batch : manifest.batches()) {
      ids.addAll(batch.shardIds());
    }
    return ids;
  }
}
