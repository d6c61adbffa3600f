package dev.cairn.server.heal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.server.StorageServer;
import dev.cairn.server.StorageServerConfig;
import dev.cairn.server.heal.ClusterView.Need;
import dev.cairn.server.heal.ClusterView.Peer;
import dev.cairn.server.store.BlobStore;
import dev.cairn.wire.ChunkTree;
import dev.cairn.wire.ContentId;
import dev.cairn.wire.crypto.PublicKey;
import dev.cairn.wire.crypto.SigningKey;
import dev.cairn.wire.frame.Hello;
import dev.cairn.wire.frame.PeerRole;
import dev.cairn.wire.message.MetaMessages.NodeInfo;
import dev.cairn.wire.message.NodeStanding;
import dev.cairn.wire.rpc.ChunkAudit.Result;
import dev.cairn.wire.rpc.ChunkAudit.Verdict;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A donor's audits of a real peer (a StorageServer on loopback): an intact copy passes, a blob
 * file replaced with garbage of the same length fails, is reported, and the peer stops
 * counting as a holder of that blob in this donor's planning.
 */
class PeerAuditorTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(20);
  private static final SecureRandom RANDOM = new SecureRandom();

  @TempDir Path dir;

  private final SigningKey me = SigningKey.generate(RANDOM);
  private final EventLoopGroup group =
      new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private final List<Peer> reported = new ArrayList<>();
  private final HealCounters counters = new HealCounters();
  private StorageServer peerServer;
  private BlobStore ours;
  private PeerPuller puller;
  private PeerAuditor auditor;

  @BeforeEach
  void start() throws Exception {
    peerServer = StorageServer.start(StorageServerConfig.defaults(dir.resolve("peer"))
        .withListen("127.0.0.1", 0).withStorage(64L << 20, 64L << 20, Map.of()));
    ours = BlobStore.open(dir.resolve("ours"), 64L << 20);
    puller = new PeerPuller(group, new Hello(PeerRole.STORAGE_NODE, me.publicKey().toBytes()),
        TIMEOUT, new RateLimiter(0), null);
    auditor = new PeerAuditor(me.publicKey(), ours, puller,
        (offender, id) -> reported.add(offender), counters, Duration.ofHours(1));
  }

  @AfterEach
  void stop() {
    auditor.close();
    puller.close();
    peerServer.close();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  private byte[] blobOnBoth(int size) throws Exception {
    byte[] blob = new byte[size];
    RANDOM.nextBytes(blob);
    ContentId id = ContentId.of(blob);
    ours.put(id, ByteBuffer.wrap(blob));
    peerServer.store().put(id, ByteBuffer.wrap(blob));
    return blob;
  }

  private Peer peer() {
    return new Peer(peerServer.nodeKey(), "127.0.0.1:" + peerServer.address().getPort(),
        1 << 20, NodeInfo.SCORE_PERFECT, NodeStanding.ACTIVE, "zone-peer");
  }

  private ClusterView view(byte[] blob, ContentId chunkRoot) {
    ContentId id = ContentId.of(blob);
    PublicKey other = peerServer.nodeKey();
    Need need = new Need(id, "writer", 2, blob.length, chunkRoot);
    return new ClusterView(Map.of(id, need), Set.of(),
        Map.of(other, peer(), me.publicKey(), new Peer(me.publicKey(), "127.0.0.1:1", 1,
            NodeInfo.SCORE_PERFECT, NodeStanding.ACTIVE, "zone-me")),
        Map.of(id, List.of(other, me.publicKey())));
  }

  @Test
  void anIntactPeerPassesAndNothingIsReported() throws Exception {
    byte[] blob = blobOnBoth(3 * ChunkTree.CHUNK_BYTES + 17);
    auditor.offer(view(blob, ChunkTree.root(blob)), ours::contains);
    assertEquals(1, auditor.candidateCount());
    for (int i = 0; i < 5; i++) {
      Result result = auditor.auditOnce();
      assertEquals(Verdict.PASSED, result.verdict(), result.detail());
    }
    assertEquals(5, counters.auditsPassed());
    assertTrue(reported.isEmpty());
    assertFalse(auditor.distrusts(ContentId.of(blob), peerServer.nodeKey()));
  }

  @Test
  void garbageOfTheSameLengthIsCaughtReportedAndNotCountedAsAHolder() throws Exception {
    byte[] blob = blobOnBoth(2 * ChunkTree.CHUNK_BYTES + 5);
    ContentId id = ContentId.of(blob);
    byte[] garbage = new byte[blob.length];
    RANDOM.nextBytes(garbage);
    Files.write(peerServer.store().file(id), garbage);
    ClusterView view = view(blob, ChunkTree.root(blob));
    auditor.offer(view, ours::contains);

    Result result = auditor.auditOnce();
    assertEquals(Verdict.FAILED, result.verdict(), result.detail());
    assertEquals(1, counters.auditsFailed());
    assertEquals(List.of(peer()), reported);
    assertTrue(auditor.distrusts(id, peerServer.nodeKey()));
    assertEquals(List.of(me.publicKey()),
        auditor.withoutDistrusted(view).holders().get(id), "only this donor still counts");
  }

  @Test
  void aWrongRootInTheManifestBlamesNobodyAndIsNotAuditedAgain() throws Exception {
    byte[] blob = blobOnBoth(ChunkTree.CHUNK_BYTES + 1);
    ClusterView lying = view(blob, ChunkTree.root(new byte[] {1}));
    auditor.offer(lying, ours::contains);
    Result result = auditor.auditOnce();
    assertEquals(Verdict.MANIFEST_WRONG, result.verdict(), result.detail());
    assertTrue(reported.isEmpty());
    assertEquals(1, counters.auditsManifestWrong());
    auditor.offer(lying, ours::contains);
    assertNull(auditor.auditOnce(), "nothing left to audit");
  }

  @Test
  void aPeerWithoutTheBlobIsMissingAndAnUnreachableOneIsNoAnswer() throws Exception {
    byte[] blob = blobOnBoth(100);
    ContentId id = ContentId.of(blob);
    peerServer.store().delete(id);
    auditor.offer(view(blob, ChunkTree.root(blob)), ours::contains);
    assertEquals(Verdict.MISSING, auditor.auditOnce().verdict());
    assertEquals(1, reported.size());

    peerServer.close();
    assertEquals(Verdict.NO_ANSWER, auditor.auditOnce().verdict());
    assertEquals(1, counters.auditsUnanswered());
    assertEquals(1, reported.size(), "silence is not reported");
  }

  @Test
  void blobsWithoutARootOrNotHeldHereAreNotAudited() throws Exception {
    byte[] blob = blobOnBoth(100);
    auditor.offer(view(blob, null), ours::contains);
    assertEquals(0, auditor.candidateCount());
    auditor.offer(view(blob, ChunkTree.root(blob)), id -> false);
    assertEquals(0, auditor.candidateCount());
    assertNull(auditor.auditOnce());
  }

  /**
   * Another writer's 1 + 1 stripe of a 20 MiB batch has 20 MiB shards, over what an audit reads
   * whole: they are counted as unauditable, not offered; a 16 MiB one is offered.
   */
  @Test
  void shardsOverSixteenMebibytesAreCountedUnauditableAndNotOffered() {
    List<ContentId> shards = List.of(ContentId.of(new byte[] {1}), ContentId.of(new byte[] {2}));
    Peer other = peer();
    Map<ContentId, List<PublicKey>> holders = Map.of(shards.get(0), List.of(me.publicKey()),
        shards.get(1), List.of(other.key()));
    Map<PublicKey, Peer> live = Map.of(other.key(), other);
    long tooBig = dev.cairn.wire.erasure.Stripe.AUDITED_SHARD_BYTES_MAX + 1L;
    StripeRepair.StripeNeed big = new StripeRepair.StripeNeed(new dev.cairn.wire.manifest
        .BatchRef(ContentId.of(new byte[] {3}), tooBig, 10, null, List.of(), shards), "writer",
        1, 1);
    auditor.offerShards(List.of(big), holders, live, shards.get(0)::equals);
    assertEquals(0, auditor.candidateCount(), "nothing offered");
    assertEquals(2, counters.unauditableShards(), "both shards named unauditable");

    StripeRepair.StripeNeed fits = new StripeRepair.StripeNeed(new dev.cairn.wire.manifest
        .BatchRef(ContentId.of(new byte[] {3}), tooBig - 1, 10, null, List.of(), shards),
        "writer", 1, 1);
    auditor.offerShards(List.of(fits), holders, live, shards.get(0)::equals);
    assertEquals(1, auditor.candidateCount(), "the other holder's shard is offered");
    assertEquals(0, counters.unauditableShards());
  }
}
