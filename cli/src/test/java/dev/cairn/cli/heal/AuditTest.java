package dev.cairn.cli.heal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.cli.CliRun;
import dev.cairn.client.fetch.FetchOptions;
import dev.cairn.client.fetch.FetchRequest;
import dev.cairn.client.fetch.FetchScheduler;
import dev.cairn.client.fetch.HolderDirectory;
import dev.cairn.client.net.ConnectionPool;
import dev.cairn.client.net.MetaClient;
import dev.cairn.cluster.LocalCluster;
import dev.cairn.meta.AuditSchedule;
import dev.cairn.meta.MetadataService;
import dev.cairn.server.StorageServer;
import dev.cairn.wire.ContentId;
import dev.cairn.wire.crypto.SignatureDomain;
import dev.cairn.wire.crypto.SigningKey;
import dev.cairn.wire.frame.Hello;
import dev.cairn.wire.frame.PeerRole;
import dev.cairn.wire.manifest.BatchRef;
import dev.cairn.wire.manifest.Manifest;
import dev.cairn.wire.message.MetaMessages.BadHolderReport;
import dev.cairn.wire.message.MetaMessages.Heartbeat;
import dev.cairn.wire.message.MetaMessages.NodeInfo;
import dev.cairn.wire.message.NodeStanding;
import dev.cairn.wire.rpc.Exchanges;
import dev.cairn.wire.rpc.RpcConnection;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The metadata service's audits against real donors (docs/operations.md, "Reputation"): a
 * lazy donor is found, disqualified and replaced; a donor that serves altered bytes falls and
 * recovers by the documented numbers; free keys' reports move nothing. Audit rounds are
 * driven by the test ({@link MetadataService#auditOnce}), so counts, not times, are asserted.
 */
class AuditTest {
  /** Bad audits in a row that disqualify a clean node, and passes that reinstate it. */
  private static final int FAILURES_TO_DISQUALIFY = 6;
  private static final int PASSES_TO_REINSTATE = 6;
  /**
   * Bound on the audit rounds the lazy donor gets: enough for its failures to outweigh the
   * passes its own repair can earn it in between (see the lazy donor test).
   */
  private static final int LAZY_ROUNDS_MAX = 4 * FAILURES_TO_DISQUALIFY;

  @TempDir Path dir;

  private static LocalCluster.Options manualAudits(int servers) {
    return HealFixtures.options(servers).withAudit(AuditSchedule.manual());
  }

  @Test
  void aLazyDonorIsDisqualifiedAndEveryBlobItClaimedIsBackAtROnOthers() throws Exception {
    try (LocalCluster cluster = LocalCluster.start(dir.resolve("c"), manualAudits(5))) {
      Manifest manifest = HealFixtures.publish(cluster, dir, HealFixtures.newKey(), "lazy",
          "facts", 30_000);
      HealFixtures.awaitExactCopies(cluster, Set.of(), manifest, 3);
      int lazyIndex = indexHoldingMost(cluster, manifest);
      StorageServer lazy = cluster.servers().get(lazyIndex);
      Map<ContentId, byte[]> originals = garble(lazy, manifest);
      assertTrue(originals.size() > 0, "the lazy donor claims some blobs");

      MetadataService meta = cluster.meta();
      int rounds = 0;
      while (rounds < LAZY_ROUNDS_MAX
          && info(cluster, lazy).standing() != NodeStanding.DISQUALIFIED) {
        meta.auditOnce();
        rounds++;
      }
      NodeInfo found = info(cluster, lazy);
      assertEquals(NodeStanding.DISQUALIFIED, found.standing(), "after " + rounds + " rounds");
      // At least this many failures take a clean record below the bar; not exactly this many
      // rounds: once an audit fails a copy, the lazy donor re-hashes it, quarantines the
      // garbage and pulls the blob again, so a later round may pass it.
      assertTrue(found.auditsFailed() >= FAILURES_TO_DISQUALIFY,
          "failed " + found.auditsFailed() + " audits in " + rounds + " rounds");

      // Its claims no longer count: repair puts R copies on the four honest donors.
      HealFixtures.awaitExactCopies(cluster, Set.of(lazyIndex), manifest, 3, true);
      for (List<byte[]> holders : metaHolderKeys(cluster, manifest)) {
        assertTrue(holders.stream().noneMatch(k -> Arrays.equals(k, lazy.nodeKey().toBytes())),
            "the disqualified donor is listed as no blob's holder");
      }
      String status = run("status", "--meta", cluster.metaHostPort());
      assertTrue(status.lines().anyMatch(line -> line.contains(lazy.address().getPort() + "")
          && line.contains("DISQUALIFIED")), status);
      assertEquals(manifest.batches().stream().mapToLong(BatchRef::byteSize).sum(),
          HealFixtures.readEveryBatch(cluster, manifest));
    }
  }

  @Test
  void alteredBytesDisqualifyAndOnlySixPassedAuditsReinstate() throws Exception {
    try (LocalCluster cluster = LocalCluster.start(dir.resolve("c"), manualAudits(3))) {
      // The altered donor repairs nothing on its own, so its files stay as the test sets them.
      int index = cluster.addServer(config -> config.withHeal(
          HealFixtures.FAST.withRepair(Duration.ofHours(1), 0)));
      cluster.awaitLiveNodes(4);
      Manifest manifest = HealFixtures.publish(cluster, dir, HealFixtures.newKey(), "alt",
          "facts", 30_000);
      StorageServer altered = cluster.servers().get(index);
      MetadataService meta = cluster.meta();
      dev.cairn.cluster.Await.until(HealFixtures.HEAL_WAIT, "holdings reported",
          () -> "holders " + HealFixtures.metaHolders(cluster, manifest),
          () -> HealFixtures.metaHolders(cluster, manifest).stream().allMatch(c -> c == 3));
      for (int i = 0; i < 3; i++) {
        meta.auditOnce();
      }
      assertEquals(3, info(cluster, altered).auditsPassed(), "it answered well for a while");

      Map<ContentId, byte[]> originals = garble(altered, manifest);
      assertTrue(originals.size() > 0, "the altered donor holds some blobs");
      for (int i = 1; i < FAILURES_TO_DISQUALIFY; i++) {
        meta.auditOnce();
        assertNotEquals(NodeStanding.DISQUALIFIED, info(cluster, altered).standing(),
            "after " + i + " failed audits");
      }
      meta.auditOnce();
      NodeInfo fallen = info(cluster, altered);
      assertEquals(NodeStanding.DISQUALIFIED, fallen.standing());
      assertEquals(FAILURES_TO_DISQUALIFY, fallen.auditsFailed());
      assertTrue(fallen.reputation() < 0.75, "score " + fallen.reputation());

      for (Map.Entry<ContentId, byte[]> original : originals.entrySet()) {
        HealFixtures.overwriteKeepingStat(altered.store().file(original.getKey()),
            original.getValue());
      }
      for (int i = 1; i < PASSES_TO_REINSTATE; i++) {
        meta.auditOnce();
        assertEquals(NodeStanding.DISQUALIFIED, info(cluster, altered).standing(),
            "after " + i + " passed audits");
      }
      meta.auditOnce();
      NodeInfo recovered = info(cluster, altered);
      assertEquals(NodeStanding.VETTING, recovered.standing(),
          "reinstated; 9 passes in all are fewer than the 20 that vet a node");
      assertEquals(3 + PASSES_TO_REINSTATE, recovered.auditsPassed());
      assertTrue(recovered.reputation() >= 0.80, "score " + recovered.reputation());
    }
  }

  @Test
  void twentyReportsFromThrowawayKeysMoveNoScoreAndTheHonestDonorStillAnswers()
      throws Exception {
    try (LocalCluster cluster = LocalCluster.start(dir.resolve("c"), manualAudits(3))) {
      Manifest manifest = HealFixtures.publish(cluster, dir, HealFixtures.newKey(), "syb",
          "facts", 20_000);
      HealFixtures.awaitExactCopies(cluster, Set.of(), manifest, 3);
      StorageServer honest = cluster.servers().get(0);
      EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
      try (RpcConnection meta = RpcConnection.connect(group, cluster.metaAddress(),
          new Hello(PeerRole.STORAGE_NODE, null), HealFixtures.TIMEOUT)) {
        SigningKey[] throwaway = {HealFixtures.newKey(), HealFixtures.newKey()};
        for (SigningKey key : throwaway) {
          heartbeat(meta, key);
        }
        for (int i = 0; i < 20; i++) {
          BatchRef batch = manifest.batches().get(i % manifest.batches().size());
          report(meta, throwaway[i % 2], honest, batch.id());
        }
      } finally {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      }
      assertEquals(20, cluster.meta().auditCounters().reportsIgnored());
      cluster.meta().auditOnce();
      NodeInfo after = info(cluster, honest);
      assertEquals(NodeInfo.SCORE_PERFECT, after.score(), "reports moved nothing");
      assertEquals(1, after.auditsPassed());

      cluster.stopServer(1); // the other two holders stop answering
      cluster.stopServer(2);
      try (ConnectionPool pool = new ConnectionPool(HealFixtures.TIMEOUT);
          FetchScheduler fetcher = new FetchScheduler(pool,
              FetchOptions.defaults().withCallTimeout(HealFixtures.TIMEOUT),
              (holder, id, why) -> { })) {
        HolderDirectory directory = new HolderDirectory(
            new MetaClient(pool, List.of(cluster.metaAddress()), HealFixtures.TIMEOUT));
        List<ContentId> ids = manifest.batches().stream().map(BatchRef::id).toList();
        var holders = directory.holders(3, ids);
        for (BatchRef batch : manifest.batches()) {
          assertTrue(holders.get(batch.id()).contains(honest.address()),
              "the reported donor is still offered to readers");
          byte[] blob = fetcher.fetchOne(new FetchRequest(batch.id(), batch.byteSize(),
              holders.get(batch.id())));
          assertEquals(batch.id(), ContentId.of(blob));
        }
      }
    }
  }

  private static void heartbeat(RpcConnection meta, SigningKey key) {
    byte[] nodeKey = key.publicKey().toBytes();
    long now = System.currentTimeMillis();
    String address = "127.0.0.1:9"; // unreachable: a key is all a throwaway identity has
    byte[] signature = key.sign(SignatureDomain.HEARTBEAT,
        Heartbeat.signedMessage(nodeKey, address, 1L << 40, 0, 0, now, List.of(), "throwaway"));
    ByteBuf payload = Unpooled.buffer();
    new Heartbeat(nodeKey, address, 1L << 40, 0, 0, now, List.of(), "throwaway", signature).writeTo(payload);
    Exchanges.HEARTBEAT.call(meta, payload, HealFixtures.TIMEOUT);
  }

  private static void report(RpcConnection meta, SigningKey reporter, StorageServer offender,
      ContentId blob) {
    byte[] r = reporter.publicKey().toBytes();
    byte[] o = offender.nodeKey().toBytes();
    long now = System.currentTimeMillis();
    byte[] signature = reporter.sign(SignatureDomain.BAD_HOLDER,
        BadHolderReport.signedMessage(r, o, blob, now));
    ByteBuf payload = Unpooled.buffer();
    new BadHolderReport(r, o, blob, now, signature).writeTo(payload);
    Exchanges.REPORT_BAD_HOLDER.call(meta, payload, HealFixtures.TIMEOUT);
  }

  /** Overwrites every blob of {@code manifest} on {@code server} with same-size garbage. */
  private static Map<ContentId, byte[]> garble(StorageServer server, Manifest manifest)
      throws Exception {
    Map<ContentId, byte[]> originals = new HashMap<>();
    SecureRandom random = new SecureRandom();
    for (BatchRef batch : manifest.batches()) {
      if (server.store().contains(batch.id())) {
        Path file = server.store().file(batch.id());
        byte[] original = Files.readAllBytes(file);
        byte[] garbage = new byte[original.length];
        random.nextBytes(garbage);
        HealFixtures.overwriteKeepingStat(file, garbage);
        originals.put(batch.id(), original);
      }
    }
    return originals;
  }

  private static int indexHoldingMost(LocalCluster cluster, Manifest manifest) {
    int best = 0;
    long bestCount = -1;
    for (int i = 0; i < cluster.servers().size(); i++) {
      StorageServer server = cluster.servers().get(i);
      long count = manifest.batches().stream().filter(b -> server.store().contains(b.id()))
          .count();
      if (count > bestCount) {
        best = i;
        bestCount = count;
      }
    }
    return best;
  }

  private static NodeInfo info(LocalCluster cluster, StorageServer server) {
    try (ConnectionPool pool = new ConnectionPool(HealFixtures.TIMEOUT)) {
      for (NodeInfo node : new MetaClient(pool, List.of(cluster.metaAddress()),
          HealFixtures.TIMEOUT).nodes()) {
        if (Arrays.equals(node.nodeKey(), server.nodeKey().toBytes())) {
          return node;
        }
      }
    }
    throw new AssertionError("node " + server.address() + " is not listed");
  }

  private static List<List<byte[]>> metaHolderKeys(LocalCluster cluster, Manifest manifest) {
    try (ConnectionPool pool = new ConnectionPool(HealFixtures.TIMEOUT)) {
      MetaClient meta = new MetaClient(pool, List.of(cluster.metaAddress()),
          HealFixtures.TIMEOUT);
      List<ContentId> ids = manifest.batches().stream().map(BatchRef::id).toList();
      List<List<byte[]>> out = new ArrayList<>();
      meta.placement(3, ids).forEach(p -> out.add(p.holders()));
      return out;
    }
  }

  private static String run(String... args) {
    return CliRun.output(args);
  }
}
