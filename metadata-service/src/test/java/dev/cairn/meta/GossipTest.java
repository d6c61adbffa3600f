package dev.cairn.meta;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.wire.CairnException;
import dev.cairn.wire.ErrorCode;
import dev.cairn.wire.crypto.SigningKey;
import dev.cairn.wire.frame.FrameType;
import dev.cairn.wire.frame.Hello;
import dev.cairn.wire.frame.PeerRole;
import dev.cairn.wire.manifest.SignedManifest;
import dev.cairn.wire.message.MetaMessages.GetHead;
import dev.cairn.wire.message.MetaMessages.Heads;
import dev.cairn.wire.message.MetaMessages.TableHead;
import dev.cairn.wire.rpc.RpcServer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Several metadata services pulling heads from each other over real connections. */
class GossipTest {
  private static final Duration INTERVAL = Duration.ofMillis(100);
  private static final Duration PATIENCE = Duration.ofSeconds(20);

  @TempDir Path dirA;
  @TempDir Path dirB;

  private static MetadataService start(Path dir, List<InetSocketAddress> peers) {
    return MetadataService.start(MetadataServiceConfig.of("127.0.0.1", 0, dir)
        .withPeers(peers).withGossipInterval(INTERVAL));
  }

  @Test
  void aHeadPublishedToOneServiceReachesItsPeerAndAStalePeerCatchesUp() throws Exception {
    SigningKey writer = TestData.newKey();
    SignedManifest v1 = TestData.manifest(writer, "t", 1, null);
    SignedManifest v2 = TestData.manifest(writer, "t", 2, v1);
    SignedManifest v3 = TestData.manifest(writer, "t", 3, v2);
    try (MetadataService a = start(dirA, List.of(deadAddress()));
        MetaServiceProbe toA = new MetaServiceProbe(a.address())) {
      toA.claim(writer, "acme");
      toA.publish(v1);
      toA.publish(v2);
      try (MetadataService b = start(dirB, List.of(a.address()));
          MetaServiceProbe toB = new MetaServiceProbe(b.address())) {
        assertTrue(TestData.eventually(PATIENCE, () -> headVersion(toB) == 2), "B caught up");
        assertArrayEquals(v2.encoded(),
            HeadRulesTest.single(toB.head("acme", "t", 0)).manifest());
        assertEquals(2, toB.versions("acme", "t").heads().size());
        MetaServiceProbe.expect(ErrorCode.NAME_TAKEN, () -> toB.claim(TestData.newKey(), "acme"));
      }
      toA.publish(v3); // while B is down: B restarts stale
      try (MetadataService b = start(dirB, List.of(a.address()));
          MetaServiceProbe toB = new MetaServiceProbe(b.address())) {
        assertTrue(headVersion(toB) <= 3);
        assertTrue(TestData.eventually(PATIENCE, () -> headVersion(toB) == 3), "B caught up");
        assertEquals(3, toB.versions("acme", "t").heads().size());
      }
      assertEquals(3, headVersion(toA), "a dead peer never stopped A");
    }
  }

  /**
   * Found by the issue-19 soak: a peer named in a config file or by {@code cairn meta --peer}
   * is kept unresolved, and the pulls failed with UnresolvedAddressException forever, so
   * services started from the CLI never exchanged a head.
   */
  @Test
  void aPeerNamedByHostAndPortAsTheCliGivesItIsPulledFrom() {
    SigningKey writer = TestData.newKey();
    SignedManifest v1 = TestData.manifest(writer, "t", 1, null);
    try (MetadataService a = start(dirA, List.of());
        MetaServiceProbe toA = new MetaServiceProbe(a.address())) {
      java.util.Properties flags = new java.util.Properties();
      flags.setProperty(MetadataServiceConfig.LISTEN, "127.0.0.1:0");
      flags.setProperty(MetadataServiceConfig.DATA, dirB.toString());
      flags.setProperty(MetadataServiceConfig.PEER, "127.0.0.1:" + a.address().getPort());
      flags.setProperty(MetadataServiceConfig.GOSSIP_INTERVAL, INTERVAL.toMillis() + "ms");
      MetadataServiceConfig config = MetadataServiceConfig.load(null, flags);
      assertTrue(config.peers().get(0).isUnresolved(), "the peer is kept by name");
      try (MetadataService b = MetadataService.start(config);
          MetaServiceProbe toB = new MetaServiceProbe(b.address())) {
        toA.claim(writer, "acme");
        toA.publish(v1);
        assertTrue(TestData.eventually(PATIENCE, () -> headVersion(toB) == 1),
            "B pulled the head from the peer it was given by name");
      }
    }
  }

  @Test
  void servicesPeeringBothWaysConvergeOnTheHighestVersion() {
    SigningKey writer = TestData.newKey();
    SignedManifest v1 = TestData.manifest(writer, "t", 1, null);
    SignedManifest v2 = TestData.manifest(writer, "t", 2, v1);
    try (MetadataService a = start(dirA, List.of());
        MetadataService b = start(dirB, List.of(a.address()));
        MetaServiceProbe toA = new MetaServiceProbe(a.address());
        MetaServiceProbe toB = new MetaServiceProbe(b.address())) {
      toA.claim(writer, "acme");
      toA.publish(v1);
      assertTrue(TestData.eventually(PATIENCE, () -> headVersion(toB) == 1));
      toB.publish(v2); // B is newer now; A does not pull, B must not regress
      toA.publish(v2);
      assertEquals(2, headVersion(toB));
      MetaServiceProbe.expect(ErrorCode.STALE_VERSION, () -> toB.publish(v1));
    }
  }

  @Test
  void servicesThatMeetAForkKeepBothServeNeitherAsNewestUntilASuccessorResolvesIt()
      throws Exception {
    SigningKey writer = TestData.newKey();
    SignedManifest v1 = TestData.manifest(writer, "t", 1, null);
    SignedManifest onA = TestData.manifest(writer, "t", 2, v1);
    SignedManifest onB = TestData.manifest(writer, "t", 2, v1);
    try (MetadataService a = start(dirA, List.of());
        MetadataService b = start(dirB, List.of());
        MetaServiceProbe toA = new MetaServiceProbe(a.address());
        MetaServiceProbe toB = new MetaServiceProbe(b.address())) {
      for (MetaServiceProbe probe : List.of(toA, toB)) {
        probe.claim(writer, "acme");
        probe.publish(v1);
      }
      toA.publish(onA); // the writer's key signed two different versions 2
      toB.publish(onB);
      MetaServiceProbe.expect(ErrorCode.STALE_VERSION, () -> toA.publish(onB));
    }
    InetSocketAddress aAddress = deadAddress();
    InetSocketAddress bAddress = deadAddress();
    try (MetadataService a = start(dirA, aAddress, List.of(bAddress));
        MetadataService b = start(dirB, bAddress, List.of(aAddress));
        MetaServiceProbe toA = new MetaServiceProbe(a.address());
        MetaServiceProbe toB = new MetaServiceProbe(b.address())) {
      for (MetaServiceProbe probe : List.of(toA, toB)) {
        assertTrue(TestData.eventually(PATIENCE,
            () -> probe.head("acme", "t", 0).heads().size() == 2), "both heads kept");
        assertEquals(3, probe.versions("acme", "t").heads().size());
        assertEquals(2, probe.tables().heads().size(), "listed with both heads, neither newest");
      }
      SignedManifest v3 = TestData.manifest(writer, "t", 3, onB);
      toB.publish(v3); // a successor of one branch resolves the fork
      for (MetaServiceProbe probe : List.of(toA, toB)) {
        assertTrue(TestData.eventually(PATIENCE,
            () -> probe.head("acme", "t", 0).heads().size() == 1 && headVersion(probe) == 3),
            "resolved");
        assertArrayEquals(v3.encoded(), HeadRulesTest.single(probe.head("acme", "t", 0))
            .manifest());
        assertEquals(2, probe.head("acme", "t", 2).heads().size(), "history keeps the proof");
      }
    }
    try (MetadataService a = start(dirA, List.of());
        MetaServiceProbe toA = new MetaServiceProbe(a.address())) {
      assertEquals(4, toA.versions("acme", "t").heads().size(), "the fork was on disk");
      assertEquals(3, headVersion(toA));
    }
  }

  private static MetadataService start(Path dir, InetSocketAddress listen,
      List<InetSocketAddress> peers) {
    return MetadataService.start(MetadataServiceConfig.of("127.0.0.1", listen.getPort(), dir)
        .withPeers(peers).withGossipInterval(INTERVAL));
  }

  @Test
  void aLyingPeerCannotPlantHeads() throws Exception {
    SigningKey writer = TestData.newKey();
    SigningKey impostor = TestData.newKey();
    SignedManifest honest = TestData.manifest(writer, "t", 1, null);
    byte[] tampered = honest.encoded();
    tampered[tampered.length - 1] ^= 1;
    // a valid manifest with a name claim signed by somebody else, and a broken signature
    Heads offered = new Heads(List.of(
        new TableHead("acme", impostor.sign(dev.cairn.wire.crypto.SignatureDomain.CLAIM_NAME,
            "acme".getBytes()), honest.encoded()),
        new TableHead("beta", writer.sign(dev.cairn.wire.crypto.SignatureDomain.CLAIM_NAME,
            "beta".getBytes()), tampered)));
    AtomicInteger lists = new AtomicInteger();
    RpcServer liar = RpcServer.start("127.0.0.1", 0,
        new Hello(PeerRole.METADATA_SERVICE, TestData.newKey().publicKey().toBytes()),
        (request, responder) -> {
          if (request.type() == FrameType.LIST_TABLES) {
            lists.incrementAndGet();
          }
          ByteBuf payload = Unpooled.buffer();
          if (request.type() == FrameType.LIST_TABLES) {
            offered.writeTo(payload);
            responder.reply(FrameType.TABLES_RESULT, payload);
            return;
          }
          String schema = GetHead.decode(request.payload()).schema();
          new Heads(offered.heads().stream().filter(h -> h.schema().equals(schema)).toList())
              .writeTo(payload);
          responder.reply(FrameType.VERSIONS_RESULT, payload);
        }, RpcServer.Options.defaults());
    try (liar;
        MetadataService b = start(dirB, List.of(liar.address()));
        MetaServiceProbe toB = new MetaServiceProbe(b.address())) {
      assertTrue(TestData.eventually(PATIENCE, () -> lists.get() >= 3), "B keeps asking");
      assertEquals(0, toB.tables().heads().size(), "nothing planted");
      toB.claim(writer, "acme"); // the name was not taken by the forged claim
    }
  }

  private static long headVersion(MetaServiceProbe client) {
    try {
      TableHead head = HeadRulesTest.single(client.head("acme", "t", 0));
      return dev.cairn.wire.manifest.ManifestCodec.decode(head.manifest()).manifest().version();
    } catch (CairnException e) {
      if (e.code() == ErrorCode.NOT_FOUND) {
        return 0;
      }
      throw e;
    }
  }

  /** An address nothing listens on: a port that was free a moment ago. */
  private static InetSocketAddress deadAddress() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return new InetSocketAddress("127.0.0.1", socket.getLocalPort());
    }
  }
}
