package dev.cairn.client.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.client.fetch.FetchOptions;
import dev.cairn.client.fetch.FetchRequest;
import dev.cairn.client.fetch.FetchScheduler;
import dev.cairn.client.net.MetaClient;
import dev.cairn.client.net.VerifiedHead;
import dev.cairn.server.StorageServer;
import dev.cairn.cluster.Await;
import dev.cairn.server.heal.HealConfig;
import dev.cairn.wire.CairnException;
import dev.cairn.wire.ErrorCode;
import dev.cairn.wire.Placement;
import dev.cairn.wire.batch.BatchDecoder;
import dev.cairn.wire.batch.DecodedBatch;
import dev.cairn.wire.crypto.SigningKey;
import dev.cairn.wire.manifest.BatchRef;
import dev.cairn.wire.manifest.Manifest;
import java.io.BufferedWriter;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Publishes to a real metadata service and real storage servers on loopback: placement,
 * version chains, quotas, and re-runs that skip what is stored.
 */
class PublisherIntegrationTest {
  private static final int ROWS = 100_000;
  private static final long BATCH_TARGET_BYTES = 256L << 10;

  @TempDir
  Path dir;
  private final SigningKey writer = SigningKey.generate(new SecureRandom());

  /** Writes {@code rows} rows of "id,price,day,name"; {@code lastLine} replaces the last one. */
  private Path csv(String name, int rows, String lastLine) throws IOException {
    Path file = dir.resolve(name);
    try (BufferedWriter out = Files.newBufferedWriter(file)) {
      out.write("id,price,day,name\n");
      for (int i = 0; i < rows; i++) {
        if (i == rows - 1 && lastLine != null) {
          out.write(lastLine + "\n");
        } else {
          out.write(i + "," + (i % 1000) + "." + (i % 100) / 10 + (i % 10) + ",2024-0"
              + (1 + i % 9) + "-1" + (i % 10) + ",name-" + i + "\n");
        }
      }
    }
    return file;
  }

  private PublishRequest request(Cluster cluster, Path file) {
    return PublishRequest.of(List.of(cluster.metaAddress()), writer, "acme", "sales",
        List.of(file)).withBatchTargetBytes(BATCH_TARGET_BYTES)
        .withSchema("id BIGINT NOT NULL, price DECIMAL(15,2), day DATE, name VARCHAR");
  }

  @Test
  void everyBatchLandsOnItsPlacementNodesAndVersionsChain() throws Exception {
    try (Cluster cluster = Cluster.start(dir, 4, 1L << 30)) {
      Path file = csv("sales.csv", ROWS, null);
      PublishResult first = Publisher.publish(request(cluster, file), ProgressListener.NONE);
      assertEquals(1, first.version());
      assertEquals(ROWS, first.rows());
      assertTrue(first.batches() > 3, "several batches: " + first.batches());
      MetaClient meta = cluster.metaClient();
      VerifiedHead head = meta.head("acme", "sales").orElseThrow();
      assertEquals(first.manifestId(), head.id());
      Manifest manifest = head.signed().manifest();
      assertNull(manifest.parentId());
      assertEquals(first.batches(), manifest.batches().size());
      assertEquals(ROWS, manifest.batches().stream().mapToLong(BatchRef::rowCount).sum());
      assertEquals(3 * first.bytes(), first.uploadedBytes(), "three copies of each were sent");
      assertEquals(first.uploadedBytes(), cluster.receivedBytes());
      checkPlacement(cluster, manifest);

      PublishResult second = Publisher.publish(request(cluster, file), ProgressListener.NONE);
      assertEquals(2, second.version());
      Manifest v2 = meta.head("acme", "sales").orElseThrow().signed().manifest();
      assertEquals(first.manifestId(), v2.parentId());
      assertEquals(0, second.uploadedBytes(), "identical batches are found with HAS");
      assertEquals(List.of(1L, 2L), meta.versions("acme", "sales").stream()
          .map(VerifiedHead::version).toList());
      readBack(cluster, v2);

      CairnException e = assertThrows(CairnException.class, () -> Publisher.publish(
          request(cluster, file).withSchema("id BIGINT NOT NULL, price DOUBLE, day DATE, "
              + "name VARCHAR"), ProgressListener.NONE));
      assertEquals("SCHEMA_CHANGE: column price is DECIMAL(15,2) in acme.sales version 2 but "
          + "DOUBLE in the input; a type may only widen (TINYINT to SMALLINT to INTEGER to BIGINT, "
          + "REAL to DOUBLE, DECIMAL(p,s) to "
          + "DECIMAL(p',s) with p' >= p)", e.getMessage());
    }
  }

  /** Fetches every batch through the reader's fetch scheduler, verified, and decodes it. */
  private static void readBack(Cluster cluster, Manifest manifest) {
    readBackRows(cluster, manifest, ROWS);
  }

  /** Fetches every batch of {@code manifest}, verified, and checks it has {@code expected} rows. */
  private static void readBackRows(Cluster cluster, Manifest manifest, long expected) {
    List<InetSocketAddress> holders = new ArrayList<>();
    cluster.nodes.forEach(n -> holders.add(n.address()));
    long rows = 0;
    try (RootAllocator allocator = new RootAllocator();
        FetchScheduler fetcher = new FetchScheduler(cluster.pool,
            FetchOptions.defaults().withCallTimeout(Cluster.TIMEOUT), (holder, id, why) -> { })) {
      for (BatchRef batch : manifest.batches()) {
        byte[] blob = fetcher.fetchOne(new FetchRequest(batch.id(), batch.byteSize(), holders));
        assertEquals(batch.byteSize(), blob.length);
        try (DecodedBatch decoded = BatchDecoder.decodeVerified(batch.id(), blob,
            manifest.schema(), allocator)) {
          for (VectorSchemaRoot root : decoded.roots()) {
            rows += root.getRowCount();
          }
        }
      }
    }
    assertEquals(expected, rows);
  }

  /** Each batch is held by exactly the R nodes Placement.choose names, asked with HAS. */
  private static void checkPlacement(Cluster cluster, Manifest manifest) {
    List<byte[]> keys = new ArrayList<>();
    cluster.nodes.forEach(n -> keys.add(n.nodeKey().toBytes()));
    for (BatchRef batch : manifest.batches()) {
      Set<String> expected = new TreeSet<>();
      Placement.choose(batch.id(), keys, 3).forEach(k -> expected.add(hex(k)));
      Set<String> holders = new TreeSet<>();
      for (StorageServer node : cluster.nodes) {
        if (cluster.nodeClient(node).has(List.of(batch.id())).get(0)) {
          holders.add(hex(node.nodeKey().toBytes()));
        }
      }
      assertEquals(expected, holders, "holders of batch " + batch.id().toShortHex());
    }
  }

  private static String hex(byte[] key) {
    return HexFormat.of().formatHex(key);
  }

  @Test
  void aDeadNodeIsReplacedByTheNextInRankOrder() throws Exception {
    try (Cluster cluster = Cluster.start(dir, 4, 1L << 30)) {
      StorageServer dead = cluster.nodes.get(0);
      byte[] deadKey = dead.nodeKey().toBytes();
      dead.close();
      Path file = csv("sales.csv", 20_000, null);
      PublishResult result = Publisher.publish(request(cluster, file), ProgressListener.NONE);
      Manifest manifest = cluster.metaClient().head("acme", "sales").orElseThrow().signed()
          .manifest();
      assertEquals(result.manifestId(), cluster.metaClient().head("acme", "sales")
          .orElseThrow().id());
      List<byte[]> keys = new ArrayList<>();
      cluster.nodes.forEach(n -> keys.add(n.nodeKey().toBytes()));
      for (BatchRef batch : manifest.batches()) {
        Set<String> expected = new TreeSet<>();
        Placement.rank(batch.id(), keys).stream().filter(k -> !Arrays.equals(k, deadKey))
            .limit(3).forEach(k -> expected.add(hex(k)));
        Set<String> holders = new TreeSet<>();
        for (StorageServer node : cluster.nodes.subList(1, cluster.nodes.size())) {
          if (cluster.nodeClient(node).has(List.of(batch.id())).get(0)) {
            holders.add(hex(node.nodeKey().toBytes()));
          }
        }
        assertEquals(expected, holders, "holders of batch " + batch.id().toShortHex());
      }
    }
  }

  @Test
  void quotaExceededPublishesNothing() throws Exception {
    try (Cluster cluster = Cluster.start(dir, 3, 1L << 20)) {
      Path file = csv("big.csv", 300_000, null);
      assertTrue(Files.size(file) > 9L << 20, "about 10 MiB of CSV");
      CairnException e = assertThrows(CairnException.class, () -> Publisher.publish(
          request(cluster, file).withBatchTargetBytes(1L << 20), ProgressListener.NONE));
      assertEquals(ErrorCode.QUOTA_EXCEEDED, e.code());
      assertTrue(e.getMessage().startsWith("QUOTA_EXCEEDED: batch "), e.getMessage());
      for (StorageServer node : cluster.nodes) {
        assertTrue(e.getMessage().contains("QUOTA_EXCEEDED: 127.0.0.1:"
            + node.address().getPort() + ": writer key "), "names every refusal: "
            + e.getMessage());
      }
      assertTrue(cluster.metaClient().head("acme", "sales").isEmpty(), "no version is visible");
    }
  }

  /**
   * A donor that reports only after the publish asked (to a service just restarted, say) is
   * waited for: the publish tells its listener it waits, the test then adds the third donor.
   */
  @Test
  void aPublishWaitsForADonorThatReportsAfterItAsked() throws Exception {
    try (Cluster cluster = Cluster.start(dir, 2, 1L << 30)) {
      Path file = csv("small.csv", 100, null);
      java.util.concurrent.CountDownLatch waiting = new java.util.concurrent.CountDownLatch(1);
      ProgressListener listener = new ProgressListener() {
        @Override
        public void waitingForNodes(int found, int needed) {
          assertEquals(2, found);
          assertEquals(3, needed);
          waiting.countDown();
        }
      };
      java.util.concurrent.CompletableFuture<PublishResult> publish =
          java.util.concurrent.CompletableFuture.supplyAsync(
              () -> Publisher.publish(request(cluster, file), listener));
      while (!waiting.await(100, java.util.concurrent.TimeUnit.MILLISECONDS)) {
        assertTrue(!publish.isDone(), () -> "the publish ended without waiting: "
            + publish.handle((r, e) -> e == null ? "published" : e.toString()).join());
      }
      cluster.addDonor();
      assertEquals(1, publish.get(60, java.util.concurrent.TimeUnit.SECONDS).version());
    }
  }

  @Test
  void tooFewLiveNodesFailsBeforeUploading() throws Exception {
    try (Cluster cluster = Cluster.start(dir, 2, 1L << 30)) {
      Path file = csv("small.csv", 100, null);
      CairnException e = assertThrows(CairnException.class, () -> Publisher.publish(
          request(cluster, file), ProgressListener.NONE));
      assertEquals("BUSY: need 3 live storage nodes, found 2", e.getMessage());
      assertEquals(0, cluster.receivedBytes());
    }
  }

  @Test
  void aReRunAfterAFailedPublishSendsOnlyWhatIsMissing() throws Exception {
    try (Cluster cluster = Cluster.start(dir, 3, 1L << 30)) {
      Path broken = csv("broken.csv", ROWS, "99999,not-a-price,2024-01-01,x");
      CairnException e = assertThrows(CairnException.class, () -> Publisher.publish(
          request(cluster, broken), ProgressListener.NONE));
      assertEquals("BAD_FORMAT: " + broken + ": line " + (ROWS + 1) + ", column price: "
          + "'not-a-price' is not a DECIMAL(15,2)", e.getMessage());
      assertTrue(cluster.metaClient().head("acme", "sales").isEmpty());
      long receivedBefore = cluster.receivedBytes();
      assertTrue(receivedBefore > 0, "batches before the bad line were stored");

      Path fixed = csv("fixed.csv", ROWS, null);
      PublishResult result = Publisher.publish(request(cluster, fixed), ProgressListener.NONE);
      assertEquals(1, result.version());
      long sentNow = cluster.receivedBytes() - receivedBefore;
      assertEquals(result.uploadedBytes(), sentNow);
      assertTrue(sentNow < result.bytes(), "only the missing batches were sent: " + sentNow
          + " of " + 3 * result.bytes());
    }
  }

  /** The case: one of four donors gives writers no quota; R = 2, R = 3, 2 + 1 publish. */
  @Test
  void aDonorThatRefusesTheWriterIsPassedOverForTheNextInRank() throws Exception {
    try (Cluster cluster = Cluster.startWithStrict(dir, 3, 1, 1L << 30)) {
      StorageServer strict = cluster.nodes.get(3);
      Path file = csv("sales.csv", 20_000, null);
      for (int replicas = 2; replicas <= 3; replicas++) {
        String table = "sales_r" + replicas;
        PublishResult result = Publisher.publish(request(cluster, file, table)
            .withReplicas(replicas), ProgressListener.NONE);
        VerifiedHead head = cluster.metaClient().head("acme", table).orElseThrow();
        assertEquals(result.manifestId(), head.id(), "the head is published");
        for (BatchRef batch : head.signed().manifest().batches()) {
          assertEquals(rankWithout(cluster, batch.id(), strict, replicas),
              holders(cluster, batch.id()), "holders of batch " + batch.id().toShortHex());
        }
      }
      PublishResult coded = Publisher.publish(request(cluster, file, "sales_ec")
          .withErasure(2, 1), ProgressListener.NONE);
      Manifest manifest = cluster.metaClient().head("acme", "sales_ec").orElseThrow()
          .signed().manifest();
      assertEquals(coded.manifestId(), cluster.metaClient().head("acme", "sales_ec")
          .orElseThrow().id());
      for (BatchRef batch : manifest.batches()) {
        Set<String> shardHolders = new TreeSet<>();
        for (dev.cairn.wire.ContentId shard : batch.shardIds()) {
          Set<String> holders = holders(cluster, shard);
          assertEquals(1, holders.size(), "one holder per shard: " + holders);
          shardHolders.addAll(holders);
        }
        assertEquals(3, shardHolders.size(), "each shard on its own open donor");
      }
      assertEquals(0, strict.store().count(), "the strict donor stores nothing");
      assertEquals(0, cluster.nodeClient(strict).stats().receivedBytes());
    }
  }

  /** Two of four donors refuse: R = 3 and 3 + 1 find too few, name both, publish nothing. */
  @Test
  void tooFewAcceptingDonorsNameEveryRefusalAndPublishNothing() throws Exception {
    try (Cluster cluster = Cluster.startWithStrict(dir, 2, 2, 1L << 30)) {
      Path file = csv("sales.csv", 20_000, null);
      List<PublishRequest> requests = List.of(request(cluster, file, "sales_r3"),
          request(cluster, file, "sales_ec").withErasure(3, 1));
      for (PublishRequest tooWide : requests) {
        CairnException e = assertThrows(CairnException.class,
            () -> Publisher.publish(tooWide, ProgressListener.NONE));
        assertEquals(ErrorCode.QUOTA_EXCEEDED, e.code(), e.getMessage());
        assertTrue(e.getMessage().contains(" is on only 2 of " + (tooWide.redundancy()
            .donorsPerBatch()) + " storage nodes"), e.getMessage());
        assertTrue(e.getMessage().contains(" storage nodes, of the 4 the metadata services "
            + "list;"), "says how many donors placement had: " + e.getMessage());
        for (StorageServer strict : cluster.nodes.subList(2, 4)) {
          assertTrue(e.getMessage().contains("QUOTA_EXCEEDED: 127.0.0.1:"
              + strict.address().getPort() + ": writer key " + writer.publicKey().fingerprint()
              + " has no quota on this donor (quota 0)"), "names " + strict.address() + ": "
              + e.getMessage());
        }
        assertTrue(cluster.metaClient().head("acme", tooWide.tableName()).isEmpty(),
            "nothing is published");
      }
    }
  }

  /**
   * A publish that fails halfway leaves blobs no manifest names, charged to the writer: after
   * the (short) grace every donor drops them and releases the charge, while every blob the
   * published version names, some shared with the failed publish, stays.
   */
  @Test
  void blobsNoManifestNamesAreDroppedAfterTheGraceWithTheirCharge() throws Exception {
    HealConfig heal = HealConfig.defaults().withRepair(Duration.ofMillis(200), 0)
        .withOrphanGrace(Duration.ofSeconds(2));
    try (Cluster cluster = Cluster.start(dir, 3, heal)) {
      Publisher.publish(request(cluster, csv("kept.csv", 20_000, null), "kept"),
          ProgressListener.NONE);
      Manifest kept = cluster.metaClient().head("acme", "kept").orElseThrow().signed()
          .manifest();
      long keptBytes = kept.batches().stream().mapToLong(BatchRef::byteSize).sum();
      Path broken = csv("broken.csv", ROWS, "99999,not-a-price,2024-01-01,x");
      CairnException e = assertThrows(CairnException.class, () -> Publisher.publish(
          request(cluster, broken, "broken"), ProgressListener.NONE));
      assertEquals(ErrorCode.BAD_FORMAT, e.code());
      String writerFingerprint = writer.publicKey().fingerprint().toString();
      for (StorageServer node : cluster.nodes) {
        Await.until(Duration.ofSeconds(60), "orphans dropped on " + node.address(),
            () -> node.ledger().usedBytes(writerFingerprint) + " bytes charged, "
                + keptBytes + " named",
            () -> node.ledger().usedBytes(writerFingerprint) == keptBytes);
      }
      long roundsBefore = cluster.nodes.get(0).healCounters().rounds();
      Await.until(Duration.ofSeconds(60), "two more rounds", () -> "rounds "
          + cluster.nodes.get(0).healCounters().rounds(),
          () -> cluster.nodes.get(0).healCounters().rounds() >= roundsBefore + 2);
      long orphansDropped = 0;
      for (StorageServer node : cluster.nodes) {
        assertEquals(keptBytes, node.ledger().usedBytes(writerFingerprint));
        for (BatchRef batch : kept.batches()) {
          assertTrue(node.store().contains(batch.id()), "named blob " + batch.id().toShortHex()
              + " stays on " + node.address());
        }
        assertEquals(kept.batches().size(), node.store().count(), "only named blobs stay");
        orphansDropped += node.healCounters().orphansDropped();
      }
      assertTrue(orphansDropped > 0, "the failed publish's blobs were dropped as orphans");
      readBackRows(cluster, kept, 20_000);
    }
  }

  private PublishRequest request(Cluster cluster, Path file, String table) {
    return PublishRequest.of(List.of(cluster.metaAddress()), writer, "acme", table,
        List.of(file)).withBatchTargetBytes(BATCH_TARGET_BYTES)
        .withSchema("id BIGINT NOT NULL, price DECIMAL(15,2), day DATE, name VARCHAR");
  }

  /** The first {@code count} donors in rendezvous rank of {@code id}, {@code skipped} left out. */
  private static Set<String> rankWithout(Cluster cluster, dev.cairn.wire.ContentId id,
      StorageServer skipped, int count) {
    List<byte[]> keys = new ArrayList<>();
    cluster.nodes.forEach(n -> keys.add(n.nodeKey().toBytes()));
    Set<String> expected = new TreeSet<>();
    Placement.rank(id, keys).stream()
        .filter(k -> !Arrays.equals(k, skipped.nodeKey().toBytes()))
        .limit(count).forEach(k -> expected.add(hex(k)));
    return expected;
  }

  /** The donors that answer HAS yes for {@code id}, by key hex. */
  private static Set<String> holders(Cluster cluster, dev.cairn.wire.ContentId id) {
    Set<String> holders = new TreeSet<>();
    for (StorageServer node : cluster.nodes) {
      if (cluster.nodeClient(node).has(List.of(id)).get(0)) {
        holders.add(hex(node.nodeKey().toBytes()));
      }
    }
    return holders;
  }
}
