package dev.cairn.meta;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.wire.ChunkTree;
import dev.cairn.wire.ColumnStats;
import dev.cairn.wire.ContentId;
import dev.cairn.wire.crypto.SigningKey;
import dev.cairn.wire.erasure.Stripe;
import dev.cairn.wire.manifest.BatchRef;
import dev.cairn.wire.manifest.Manifest;
import dev.cairn.wire.manifest.ManifestCodec;
import dev.cairn.wire.manifest.RedundancyPolicy;
import dev.cairn.wire.manifest.SignedManifest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The audit round's network I/O runs outside the node registry's lock (challenges are drawn
 * from a snapshot taken under it), so a donor that never answers its challenge holds up no
 * heartbeat, node listing or placement; and shards over what an auditor reads whole, which
 * only another writer's publisher makes, are counted as unauditable and never challenged.
 */
class AuditIsolationTest {
  /** Registry calls made while the challenge hangs; each must complete. */
  private static final int CALLS_WHILE_HUNG = 30;

  @TempDir Path dir;

  @Test
  void aHungAuditedDonorBlocksNoRegistryCall() throws Exception {
    byte[] blob = new byte[ChunkTree.CHUNK_BYTES * 2];
    TestData.RANDOM.nextBytes(blob);
    ContentId id = ContentId.of(blob);
    // A challenge may hang for a minute: the round is still in flight while the test calls.
    AuditSchedule schedule = new AuditSchedule(Duration.ZERO, Duration.ofSeconds(1),
        Duration.ofMinutes(1), 1);
    CountDownLatch asked = new CountDownLatch(1);
    try (MetadataService service = MetadataService.start(MetadataServiceConfig.of(
            "127.0.0.1", 0, dir).withAudit(schedule));
        MetaServiceProbe probe = new MetaServiceProbe(service.address());
        ChunkAttacker hung = new ChunkAttacker(blob)) {
      hung.chunkAnswer = (get, responder) -> asked.countDown(); // never replies
      SigningKey writer = TestData.newKey();
      probe.claim(writer, "wren");
      probe.publish(hung.manifest(writer));
      probe.heartbeat(TestData.heartbeat(hung.key, hung.address(), System.currentTimeMillis(),
          List.of(id)));
      CompletableFuture<Void> round = CompletableFuture.runAsync(() -> {
        try {
          service.auditOnce();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      assertTrue(asked.await(60, TimeUnit.SECONDS), "the hung donor was challenged");

      int completed = 0;
      for (int i = 0; i < CALLS_WHILE_HUNG; i++) {
        SigningKey other = TestData.newKey();
        probe.heartbeat(TestData.heartbeat(other, "127.0.0.1:" + (2000 + i),
            System.currentTimeMillis(), List.of(id)));
        probe.nodes();
        probe.placement(1, List.of(id));
        completed++;
      }
      assertFalse(round.isDone(), "the round still waits on the hung donor");
      assertEquals(CALLS_WHILE_HUNG, completed, "every registry call completed meanwhile");
      assertEquals(CALLS_WHILE_HUNG + 1, probe.nodes().nodes().size());

      hung.close(); // its connection drops: the challenge ends unanswered
      round.get(60, TimeUnit.SECONDS);
      assertEquals(1, service.auditCounters().unanswered());
    }
  }

  @Test
  void shardsOverSixteenMebibytesAreCountedUnauditableAndNeverChallenged() throws Exception {
    try (MetadataService service = MetadataService.start(MetadataServiceConfig.of(
            "127.0.0.1", 0, dir).withAudit(AuditSchedule.manual()));
        MetaServiceProbe probe = new MetaServiceProbe(service.address())) {
      SigningKey writer = TestData.newKey();
      probe.claim(writer, "wren");
      // Another writer's 1 + 1 stripe of a 20 MiB batch: two shards of 20 MiB each.
      List<ContentId> shards = List.of(TestData.randomId(), TestData.randomId());
      List<ContentId> small = List.of(TestData.randomId(), TestData.randomId());
      List<ColumnStats> stats = List.of(new ColumnStats(0, 1L, 1L),
          new ColumnStats(2, "a", "a"));
      BatchRef big = new BatchRef(TestData.randomId(), 20L << 20, 10, null, stats, shards);
      BatchRef fits = new BatchRef(TestData.randomId(), Stripe.AUDITED_SHARD_BYTES_MAX, 10,
          null, stats, small);
      SignedManifest manifest = ManifestCodec.sign(new Manifest("t", writer.publicKey(), 1,
          null, System.currentTimeMillis(), TestData.SCHEMA, RedundancyPolicy.erasure(1, 1),
          List.of(big, fits)), writer);
      probe.publish(manifest);
      assertEquals(2, service.unauditableShardCount(), "the big batch's two shards");

      // The holder claims only a big shard: nothing of it can be challenged.
      SigningKey holder = TestData.newKey();
      probe.heartbeat(TestData.heartbeat(holder, "127.0.0.1:1", System.currentTimeMillis(),
          List.of(shards.get(0))));
      service.auditOnce();
      AuditCounters counters = service.auditCounters();
      assertEquals(1, counters.rounds());
      assertEquals(0, counters.passed() + counters.failed() + counters.unanswered(),
          "no challenge for an unauditable shard");

      // Claiming a 16 MiB shard too makes it challenged (unanswered: nobody listens there).
      probe.heartbeat(TestData.heartbeat(holder, "127.0.0.1:1", System.currentTimeMillis() + 1,
          List.of(shards.get(0), small.get(0))));
      service.auditOnce();
      assertEquals(1, counters.passed() + counters.failed() + counters.unanswered());
      assertEquals(2, service.unauditableShardCount());
    }
  }
}
