package dev.cairn.cli.heal;

import static dev.cairn.cli.heal.HealFixtures.eventsAnswer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.client.net.ConnectionPool;
import dev.cairn.client.net.MetaClient;
import dev.cairn.cluster.Await;
import dev.cairn.cluster.LocalCluster;
import dev.cairn.meta.AuditSchedule;
import dev.cairn.meta.MetadataService;
import dev.cairn.server.StorageServer;
import dev.cairn.wire.ContentId;
import dev.cairn.wire.Placement;
import dev.cairn.wire.VettingShare;
import dev.cairn.wire.manifest.BatchRef;
import dev.cairn.wire.manifest.Manifest;
import dev.cairn.wire.manifest.RedundancyPolicy;
import dev.cairn.wire.message.MetaMessages.NodeInfo;
import dev.cairn.wire.message.NodeStanding;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Goal: an erasure-coded 4 + 2 table heals like a replicated one. Three donors lost make
 * queries over the lost stripes fail with LOST naming the batch, never partial rows; once the
 * donors are back (one with an empty disk) every stripe has its six shards again and queries
 * answer as before. A seventh donor takes, by copying, exactly the shards of the stripes whose
 * places it enters, and their old holders let them go. A donor serving garbage in place of a
 * shard is caught by the peer audits of its stripe and by the metadata service's audit, and
 * once the service no longer lists it as their holder it finds and rebuilds its bad shards. And
 * the shards on disk are (k + m) / k times the batch bytes, within 5%.
 */
class ErasureHealTest {
  private static final int ROWS = 20_000;
  /** Cache sizes no other test uses: runtimes are shared JVM-wide by configuration. */
  private static final int CACHE_MIB = 671;
  /**
   * Service audit rounds within which one bad shard among a donor's (at most about ten)
   * claims is drawn, each round drawing one claim uniformly: missed with odds below 10^-4.
   */
  private static final int AUDIT_ROUNDS_MAX = 100;

  @TempDir Path dir;
  /** Donors this test stopped (a restarted donor is a new object, so it is not in here). */
  private final Set<StorageServer> stopped = new HashSet<>();

  @Test
  void lostStripesAreNamedAndHealWhenDonorsReturn() throws Exception {
    try (LocalCluster cluster = LocalCluster.start(dir.resolve("c"), HealFixtures.options(6))) {
      Manifest manifest = publishErasure(cluster, "lost");
      long batchBytes = manifest.batches().stream().mapToLong(BatchRef::byteSize).sum();
      long shardBytes = storedShardBytes(cluster, manifest);
      double expected = batchBytes * 6.0 / 4;
      assertTrue(Math.abs(shardBytes - expected) <= 0.05 * expected, "shards on disk "
          + shardBytes + " bytes for " + batchBytes + " batch bytes: not within 5% of 1.5x");
      List<Object> answer = eventsAnswer(cluster, "lost", CACHE_MIB);
      assertEquals((long) ROWS, answer.get(0));

      stop(cluster, 2);
      stop(cluster, 4);
      assertEquals(answer, eventsAnswer(cluster, "lost", CACHE_MIB + 1), "two lost donors");
      stop(cluster, 0);
      for (int attempt = 0; attempt < 2; attempt++) {
        int cache = CACHE_MIB + 2 + attempt;
        SQLException lost = assertThrows(SQLException.class,
            () -> eventsAnswer(cluster, "lost", cache), "no rows, partial or whole");
        HealFixtures.assertThreeShardsLost(lost, manifest);
      }

      int port0 = cluster.servers().get(0).address().getPort();
      cluster.restartServer(2, cluster.servers().get(2).address().getPort());
      cluster.restartServer(4, cluster.servers().get(4).address().getPort());
      emptyDiskKeepingKey(cluster.root().resolve("server-0"));
      StorageServer replaced = cluster.restartServer(0, port0);
      // The counter moves just after the store: wait for both.
      boolean healed = Await.eventually(HealFixtures.HEAL_WAIT,
          () -> manifest.batches().stream().allMatch(b -> shardsOnDistinctDonors(cluster, b))
              && replaced.healCounters().pulledBlobs() >= manifest.batches().size());
      for (BatchRef batch : manifest.batches()) {
        assertTrue(shardsOnDistinctDonors(cluster, batch), "batch " + batch.id().toShortHex()
            + " has its 6 verified shards on 6 donors" + (healed ? "" : " (timed out)"));
      }
      assertTrue(replaced.healCounters().pulledBlobs() >= manifest.batches().size(),
          "the emptied donor rebuilt a shard of every stripe: "
          + replaced.healCounters().pulledBlobs() + " of " + manifest.batches().size());
      assertEquals(answer, eventsAnswer(cluster, "lost", CACHE_MIB + 4), "answers as before");
      assertEquals(shardBytes, storedShardBytes(cluster, manifest), "no shard stored twice");
    }
  }

  @Test
  void aSeventhDonorTakesTheShardsOfThePlacesItEnters() throws Exception {
    try (LocalCluster cluster = LocalCluster.start(dir.resolve("c"), HealFixtures.options(6))) {
      Manifest manifest = publishErasure(cluster, "join");
      List<Object> answer = eventsAnswer(cluster, "join", CACHE_MIB + 10);
      long shardBytes = storedShardBytes(cluster, manifest);

      int newcomer = cluster.addServer(config -> config);
      cluster.awaitLiveNodes(7);
      byte[] newKey = cluster.servers().get(newcomer).nodeKey().toBytes();
      boolean placed = Await.eventually(HealFixtures.HEAL_WAIT, () -> {
        List<NodeInfo> nodes = nodes(cluster);
        return manifest.batches().stream().allMatch(b -> shardsOnDistinctDonors(cluster, b)
            && shardsOnPlaces(cluster, nodes, b));
      });
      List<NodeInfo> nodes = nodes(cluster);
      int entered = 0;
      for (BatchRef batch : manifest.batches()) {
        assertTrue(shardsOnDistinctDonors(cluster, batch) && shardsOnPlaces(cluster, nodes,
            batch), "batch " + batch.id().toShortHex() + " has one shard on each of its 6"
            + " places" + (placed ? "" : " (timed out)"));
        entered += places(nodes, batch).stream().anyMatch(k -> Arrays.equals(k, newKey))
            ? 1 : 0;
      }
      assertTrue(entered > 0, "the newcomer is among some stripe's places");
      assertEquals(entered, shardsHeldBy(cluster.servers().get(newcomer), manifest),
          "one shard of each stripe whose places it entered");
      assertEquals(shardBytes, storedShardBytes(cluster, manifest),
          "the old holders let the moved shards go");
      assertEquals(answer, eventsAnswer(cluster, "join", CACHE_MIB + 11));
    }
  }

  @Test
  void garbageInPlaceOfAShardIsCaughtByPeersAndTheService() throws Exception {
    LocalCluster.Options options = HealFixtures.options(6)
        .withHeal(HealFixtures.FAST.withAuditInterval(Duration.ofMillis(100)))
        .withAudit(AuditSchedule.manual());
    try (LocalCluster cluster = LocalCluster.start(dir.resolve("c"), options)) {
      Manifest manifest = publishErasure(cluster, "audit");
      StorageServer liar = cluster.servers().get(1);
      Await.until(HealFixtures.HEAL_WAIT, "holdings reported", () -> "not yet",
          () -> manifest.batches().stream().allMatch(b -> metaListsEveryShard(cluster, b)));
      ContentId shard = manifest.batches().stream().flatMap(b -> b.shardIds().stream())
          .filter(liar.store()::contains).findFirst().orElseThrow();
      byte[] garbage = new byte[(int) Files.size(liar.store().file(shard))];
      new SecureRandom().nextBytes(garbage);
      HealFixtures.overwriteKeepingStat(liar.store().file(shard), garbage);
      List<StorageServer> honest = cluster.servers().stream().filter(s -> s != liar).toList();
      boolean caught = Await.eventually(HealFixtures.HEAL_WAIT, () -> honest.stream()
          .mapToLong(s -> s.healCounters().auditsFailed()).sum() > 0
          && cluster.meta().auditCounters().reportsQueued()
              + cluster.meta().auditCounters().reportsIgnored() > 0);
      assertTrue(caught, "a peer audit of the stripe failed the liar and reported it; passed "
          + honest.stream().mapToLong(s -> s.healCounters().auditsPassed()).sum());

      // Reports of vetting donors only count as hints once they are in good standing, so
      // the service finds the bad shard by its own random draws: one claim per donor a round.
      MetadataService meta = cluster.meta();
      int rounds = 0;
      while (rounds < AUDIT_ROUNDS_MAX && info(cluster, liar).auditsFailed() == 0) {
        meta.auditOnce();
        rounds++;
      }
      assertTrue(info(cluster, liar).auditsFailed() >= 1,
          "the service's audit fails the liar within " + rounds + " rounds");
      long passed = 0;
      for (StorageServer donor : honest) {
        NodeInfo node = info(cluster, donor);
        assertEquals(0, node.auditsFailed(), "an honest donor is never failed");
        passed += node.auditsPassed();
      }
      assertTrue(passed > 0, "the service audited honest donors' shards whole and passed them");

      // No longer listed as the shard's holder, the liar re-hashes it, quarantines it and
      // rebuilds it from four others. Its counter moves just after the rebuilt shard is
      // stored, so wait for the counter too, not only for the shard.
      Await.eventually(HealFixtures.HEAL_WAIT, () -> liar.healCounters().pulledBlobs() > 0
          && manifest.batches().stream().allMatch(b -> shardsOnDistinctDonors(cluster, b)));
      assertTrue(liar.healCounters().pulledBlobs() > 0, "the liar rebuilt its bad shard");
      for (BatchRef batch : manifest.batches()) {
        assertTrue(shardsOnDistinctDonors(cluster, batch), "batch " + batch.id().toShortHex()
            + " has its 6 verified shards again");
      }
    }
  }

  private void stop(LocalCluster cluster, int index) {
    stopped.add(cluster.servers().get(index));
    cluster.stopServer(index);
  }

  /** Removes everything of a stopped donor but its key: a disk replaced under the same node. */
  private static void emptyDiskKeepingKey(Path data) throws IOException {
    try (Stream<Path> all = Files.walk(data)) {
      for (Path path : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
        if (!path.equals(data) && !path.getFileName().toString().equals("node.key")) {
          Files.delete(path);
        }
      }
    }
  }

  /** True if every shard of {@code batch} is held, verified, by exactly one running donor. */
  private boolean shardsOnDistinctDonors(LocalCluster cluster, BatchRef batch) {
    Set<StorageServer> donors = new HashSet<>();
    for (ContentId shard : batch.shardIds()) {
      List<StorageServer> holders = holders(cluster, shard);
      if (holders.size() != 1) {
        return false;
      }
      donors.add(holders.get(0));
    }
    return donors.size() == batch.shardIds().size();
  }

  private List<StorageServer> holders(LocalCluster cluster, ContentId shard) {
    List<StorageServer> holders = new ArrayList<>();
    for (StorageServer server : cluster.servers()) {
      try {
        if (!stopped.contains(server) && server.store().contains(shard)
            && ContentId.of(server.store().read(shard)).equals(shard)) {
          holders.add(server);
        }
      } catch (IOException e) {
        // removed while we looked: not a holder
      }
    }
    return holders;
  }

  /** True if the donors holding {@code batch}'s shards are exactly its places. */
  private boolean shardsOnPlaces(LocalCluster cluster, List<NodeInfo> nodes,
      BatchRef batch) {
    Set<ByteBuffer> places = new HashSet<>();
    places(nodes, batch).forEach(k -> places.add(ByteBuffer.wrap(k)));
    Set<ByteBuffer> holding = new HashSet<>();
    for (ContentId shard : batch.shardIds()) {
      holders(cluster, shard).forEach(s -> holding.add(ByteBuffer.wrap(s.nodeKey().toBytes())));
    }
    return places.equals(holding);
  }

  /** The stripe's places as docs/protocol.md 4.8 defines them: the writer's and the donors'. */
  private static List<byte[]> places(List<NodeInfo> nodes, BatchRef batch) {
    List<Placement.Node> live = new ArrayList<>();
    Set<ByteBuffer> vetting = new HashSet<>();
    for (NodeInfo node : nodes) {
      if (node.live() && node.standing() != NodeStanding.DISQUALIFIED) {
        live.add(new Placement.Node(node.nodeKey(), node.zone()));
        if (node.standing() == NodeStanding.VETTING) {
          vetting.add(ByteBuffer.wrap(node.nodeKey()));
        }
      }
    }
    int count = batch.shardIds().size();
    return VettingShare.rankAcrossZones(batch.id(), live,
        key -> vetting.contains(ByteBuffer.wrap(key)), count).stream().limit(count)
        .map(Placement.Node::key).toList();
  }

  private static int shardsHeldBy(StorageServer server, Manifest manifest) {
    return (int) manifest.batches().stream().flatMap(b -> b.shardIds().stream())
        .filter(server.store()::contains).count();
  }

  /** Sums the sizes of every shard file on running donors. */
  private long storedShardBytes(LocalCluster cluster, Manifest manifest)
      throws IOException {
    long bytes = 0;
    for (StorageServer server : cluster.servers()) {
      for (BatchRef batch : manifest.batches()) {
        for (ContentId shard : batch.shardIds()) {
          if (!stopped.contains(server) && server.store().contains(shard)) {
            bytes += Files.size(server.store().file(shard));
          }
        }
      }
    }
    return bytes;
  }

  private static boolean metaListsEveryShard(LocalCluster cluster, BatchRef batch) {
    try (ConnectionPool pool = new ConnectionPool(HealFixtures.TIMEOUT)) {
      return new MetaClient(pool, List.of(cluster.metaAddress()), HealFixtures.TIMEOUT)
          .placement(1, batch.shardIds()).stream().allMatch(p -> p.holders().size() == 1);
    }
  }

  private static List<NodeInfo> nodes(LocalCluster cluster) {
    try (ConnectionPool pool = new ConnectionPool(HealFixtures.TIMEOUT)) {
      return new MetaClient(pool, List.of(cluster.metaAddress()), HealFixtures.TIMEOUT).nodes();
    }
  }

  private static NodeInfo info(LocalCluster cluster, StorageServer server) {
    for (NodeInfo node : nodes(cluster)) {
      if (Arrays.equals(node.nodeKey(), server.nodeKey().toBytes())) {
        return node;
      }
    }
    throw new AssertionError("the service does not list " + server.nodeKey().fingerprint());
  }

  /** Publishes {@link #ROWS} rows as {@code schema}.events erasure-coded 4 + 2, small batches. */
  private Manifest publishErasure(LocalCluster cluster, String schema) throws Exception {
    return HealFixtures.publish(cluster, HealFixtures.writeEvents(dir.resolve(schema + ".csv"),
        ROWS, schema.hashCode()), HealFixtures.newKey(), schema, "events",
        RedundancyPolicy.erasure(4, 2));
  }
}
