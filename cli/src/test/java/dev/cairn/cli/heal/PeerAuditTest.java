package dev.cairn.cli.heal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.client.net.ConnectionPool;
import dev.cairn.client.net.MetaClient;
import dev.cairn.cluster.Await;
import dev.cairn.cluster.LocalCluster;
import dev.cairn.server.StorageServer;
import dev.cairn.wire.ContentId;
import dev.cairn.wire.manifest.BatchRef;
import dev.cairn.wire.manifest.Manifest;
import dev.cairn.wire.message.MetaMessages.NodeInfo;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Goal: donors chunk-audit the peers they share blobs with. A donor whose blob file is
 * replaced with garbage of the same length (the heartbeat still claims it, the store still
 * lists it) is caught by a peer's GET_CHUNK audit against the manifest's chunk root and
 * reported to the metadata service, whose score of it drops; nobody crashes.
 */
class PeerAuditTest {
  @TempDir Path dir;

  @Test
  void aPeerWithGarbageInPlaceOfABlobIsCaughtAndReported() throws Exception {
    LocalCluster.Options options = HealFixtures.options(3)
        .withHeal(HealFixtures.FAST.withAuditInterval(Duration.ofMillis(100)));
    try (LocalCluster cluster = LocalCluster.start(dir.resolve("c"), options)) {
      Manifest manifest = HealFixtures.publish(cluster, dir, HealFixtures.newKey(), "carol",
          "audited", 3_000);
      for (BatchRef batch : manifest.batches()) {
        assertNotNull(batch.chunkRoot(), "the publisher signs a chunk root for every batch");
      }
      HealFixtures.awaitExactCopies(cluster, Set.of(), manifest, 3);

      StorageServer victim = cluster.servers().get(1);
      ContentId id = manifest.batches().get(0).id();
      byte[] garbage = new byte[(int) manifest.batches().get(0).byteSize()];
      new SecureRandom().nextBytes(garbage);
      HealFixtures.overwriteKeepingStat(victim.store().file(id), garbage);

      List<StorageServer> auditors = List.of(cluster.servers().get(0),
          cluster.servers().get(2));
      boolean caught = Await.eventually(HealFixtures.HEAL_WAIT, () ->
          auditors.stream().mapToLong(s -> s.healCounters().auditsFailed()).sum() > 0
              && reports(cluster) > 0);
      // A report is a hint for the service's own audit, never a score change by itself.
      assertTrue(caught, "a peer audit failed the victim and the service received a report;"
          + " audits passed " + auditors.stream()
              .mapToLong(s -> s.healCounters().auditsPassed()).sum()
          + ", failed " + auditors.stream().mapToLong(s -> s.healCounters().auditsFailed())
              .sum() + ", victim score " + score(cluster, victim));
      for (StorageServer honest : auditors) {
        assertEquals(0, honest.healCounters().auditsManifestWrong());
        assertEquals(NodeInfo.SCORE_PERFECT, score(cluster, honest),
            "honest donors are never blamed");
      }
    }
  }

  private static long reports(LocalCluster cluster) {
    return cluster.meta().auditCounters().reportsQueued()
        + cluster.meta().auditCounters().reportsIgnored();
  }

  private static int score(LocalCluster cluster, StorageServer server) {
    try (ConnectionPool pool = new ConnectionPool(HealFixtures.TIMEOUT)) {
      MetaClient meta = new MetaClient(pool, List.of(cluster.metaAddress()),
          HealFixtures.TIMEOUT);
      for (NodeInfo node : meta.nodes()) {
        if (Arrays.equals(node.nodeKey(), server.nodeKey().toBytes())) {
          return node.score();
        }
      }
      throw new AssertionError("the service does not list " + server.nodeKey().fingerprint());
    }
  }
}
