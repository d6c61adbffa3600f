package dev.cairn.cli.heal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.cli.CliRun;
import dev.cairn.cluster.Await;
import dev.cairn.cluster.LocalCluster;
import dev.cairn.server.StorageServer;
import dev.cairn.wire.ContentId;
import dev.cairn.wire.crypto.SigningKey;
import dev.cairn.wire.manifest.BatchRef;
import dev.cairn.wire.manifest.Manifest;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Goal: old versions stay at R unless a donor's keep-versions policy names their writer, and
 * then only blobs no kept version needs go; {@code cairn status} shows per-version health and
 * node reputations, and {@code --wait-healthy} fails by name when R cannot be reached.
 */
class VersionsAndStatusTest {
  @TempDir Path dir;

  @Test
  void keepVersionsDropsOnlyOlderVersionsOfThatWriter() throws Exception {
    SigningKey pruned = HealFixtures.newKey();
    SigningKey kept = HealFixtures.newKey();
    LocalCluster.Options options = HealFixtures.options(3).withHeal(HealFixtures.FAST
        .withKeepVersions(Map.of(pruned.publicKey().fingerprint().toString(), 1)));
    try (LocalCluster cluster = LocalCluster.start(dir.resolve("c"), options)) {
      Manifest oldPruned = HealFixtures.publish(cluster, dir, pruned, "frank", "t", 20_000);
      // Other row counts than frank's: equal bytes would be shared blobs (content addressing).
      Manifest oldKept = HealFixtures.publish(cluster, dir, kept, "gina", "t", 20_500);
      Manifest newPruned = HealFixtures.publish(cluster, dir, pruned, "frank", "t", 21_000);
      Manifest newKept = HealFixtures.publish(cluster, dir, kept, "gina", "t", 21_500);
      assertEquals(2, newPruned.version());

      Set<ContentId> oldOnly = ids(oldPruned);
      oldOnly.removeAll(ids(newPruned));
      assertTrue(!oldOnly.isEmpty(), "version 2 has batches of its own");
      assertTrue(Await.eventually(HealFixtures.HEAL_WAIT, () -> cluster.servers()
          .stream().noneMatch(s -> oldOnly.stream().anyMatch(id -> s.store().contains(id)))),
          "blobs only the old version of the pruned writer names are dropped");
      HealFixtures.awaitExactCopies(cluster, Set.of(), newPruned, 3);
      HealFixtures.awaitExactCopies(cluster, Set.of(), oldKept, 3);
      HealFixtures.awaitExactCopies(cluster, Set.of(), newKept, 3);
      for (StorageServer server : cluster.servers()) {
        assertTrue(server.ledger().usedBytes(pruned.publicKey().fingerprint().toString())
            <= newPruned.batches().stream().mapToLong(BatchRef::byteSize).sum(),
            "the dropped blobs' charges were released");
      }

      String status = run("status", "--meta", cluster.metaHostPort());
      assertTrue(status.contains("REPUTATION") && status.contains("VETTING")
          && status.contains("LOST"), status);
      assertTrue(status.contains("frank.t") && status.contains("gina.t"), status);
      assertEquals(0, HealFixtures.waitHealthy(cluster, Duration.ofSeconds(10)),
          "every newest version is at R");
    }
  }

  @Test
  void waitHealthyFailsByNameWhenRCannotBeReached() throws Exception {
    try (LocalCluster cluster = LocalCluster.start(dir.resolve("c"), HealFixtures.options(3))) {
      HealFixtures.publish(cluster, dir, HealFixtures.newKey(), "hank", "t", 10_000);
      assertEquals(0, HealFixtures.waitHealthy(cluster, Duration.ofSeconds(10)));
      cluster.stopServer(2);
      assertTrue(Await.eventually(HealFixtures.HEAL_WAIT,
          () -> cluster.meta().liveNodeCount() == 2), "the stopped donor is declared dead");
      PrintStream originalErr = System.err;
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      int code;
      try {
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        code = HealFixtures.waitHealthy(cluster, Duration.ofSeconds(1));
      } finally {
        System.setErr(originalErr);
      }
      assertEquals(1, code, "two donors cannot hold three copies");
      String message = err.toString(StandardCharsets.UTF_8);
      assertTrue(message.contains("not healthy") && message.contains("hank.t"), message);
    }
  }

  private static Set<ContentId> ids(Manifest manifest) {
    Set<ContentId> ids = new HashSet<>();
    manifest.batches().forEach(b -> ids.add(b.id()));
    return ids;
  }

  private static String run(String... args) {
    return CliRun.output(args);
  }
}
