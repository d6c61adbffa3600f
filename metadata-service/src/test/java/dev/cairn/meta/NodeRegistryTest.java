package dev.cairn.meta;

import static dev.cairn.meta.MetaServiceProbe.expect;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.wire.ContentId;
import dev.cairn.wire.ErrorCode;
import dev.cairn.wire.Placement;
import dev.cairn.wire.crypto.SigningKey;
import dev.cairn.wire.message.MetaMessages.BlobPlacement;
import dev.cairn.wire.message.MetaMessages.Heartbeat;
import dev.cairn.wire.message.MetaMessages.NodeInfo;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Heartbeats, liveness and placement against a real service. */
class NodeRegistryTest {

  @TempDir Path dir;
  private MetadataService service;
  private MetaServiceProbe client;

  private void start(Duration deadAfter) {
    service = MetadataService.start(
        MetadataServiceConfig.of("127.0.0.1", 0, dir).withDeadAfter(deadAfter));
    client = new MetaServiceProbe(service.address());
  }

  @AfterEach
  void stop() {
    client.close();
    service.close();
  }

  @Test
  void aSignedHeartbeatRegistersTheNodeAndAsksForHoldings() {
    start(Duration.ofMinutes(5));
    SigningKey node = TestData.newKey();
    assertTrue(client.heartbeat(TestData.heartbeat(node, "10.0.0.1:7500", 1000, null))
        .wantHoldings(), "no holdings known yet");
    assertFalse(client.heartbeat(TestData.heartbeat(node, "10.0.0.1:7500", 2000, List.of()))
        .wantHoldings());
    assertFalse(client.heartbeat(TestData.heartbeat(node, "10.0.0.1:7500", 3000, null))
        .wantHoldings(), "holdings are remembered between heartbeats");

    NodeInfo info = single(client.nodes().nodes());
    assertArrayEquals(node.publicKey().toBytes(), info.nodeKey());
    assertEquals("10.0.0.1:7500", info.address());
    assertTrue(info.live());
    assertEquals(1L << 40, info.capacityBytes());
    assertEquals(1L << 20, info.usedBytes());
    assertEquals(3, info.blobCount());
    assertEquals(NodeInfo.SCORE_PERFECT, info.score(), "a new node starts with a clean record");
    assertEquals(dev.cairn.wire.message.NodeStanding.VETTING, info.standing());
    assertEquals(0, info.auditsPassed() + info.auditsFailed() + info.auditsUnanswered());
  }

  @Test
  void forgedAndReplayedHeartbeatsAreRefused() {
    start(Duration.ofMinutes(5));
    SigningKey node = TestData.newKey();
    Heartbeat good = TestData.heartbeat(node, "h:1", 5000, null);
    Heartbeat forged = new Heartbeat(good.nodeKey(), "evil:1", good.capacityBytes(),
        good.usedBytes(), good.blobCount(), good.timestampMillis(), null, good.zone(),
        good.signature());
    expect(ErrorCode.BAD_SIGNATURE, () -> client.heartbeat(forged));
    assertEquals(0, client.nodes().nodes().size(), "a forged heartbeat registers nothing");
    Heartbeat otherSigner = TestData.heartbeat(TestData.newKey(), "h:1", 5000, null);
    expect(ErrorCode.BAD_SIGNATURE, () -> client.heartbeat(new Heartbeat(good.nodeKey(),
        "h:1", good.capacityBytes(), good.usedBytes(), good.blobCount(), 5000, null,
        good.zone(), otherSigner.signature())));
    Heartbeat otherZone = new Heartbeat(good.nodeKey(), good.address(), good.capacityBytes(),
        good.usedBytes(), good.blobCount(), good.timestampMillis(), null, "elsewhere",
        good.signature());
    expect(ErrorCode.BAD_SIGNATURE, () -> client.heartbeat(otherZone));

    client.heartbeat(good);
    expect(ErrorCode.STALE_VERSION, () -> client.heartbeat(good));
    expect(ErrorCode.STALE_VERSION,
        () -> client.heartbeat(TestData.heartbeat(node, "h:1", 4000, null)));
    assertEquals("h:1", single(client.nodes().nodes()).address());
  }

  @Test
  void aSilentNodeGoesDeadAndLeavesPlacement() {
    start(Duration.ofMillis(300));
    SigningKey quiet = TestData.newKey();
    client.heartbeat(TestData.heartbeat(quiet, "q:1", 1, null));
    assertTrue(single(client.nodes().nodes()).live(), "live right after its heartbeat");
    assertTrue(TestData.eventually(Duration.ofSeconds(10),
        () -> !single(client.nodes().nodes()).live()), "dead after a silence of deadAfter");
    NodeInfo dead = single(client.nodes().nodes());
    assertTrue(dead.silenceMillis() >= 300, "silence " + dead.silenceMillis());
    assertEquals(0, client.placement(1, List.of(TestData.randomId())).blobs().get(0)
        .placed().size(), "a dead node is placed nothing");
    client.heartbeat(TestData.heartbeat(quiet, "q:1", 2, null));
    assertTrue(single(client.nodes().nodes()).live(), "a heartbeat brings it back");
  }

  @Test
  void placementFollowsRendezvousOverLiveNodesAndListsHolders() {
    start(Duration.ofMinutes(5));
    List<ContentId> ids = List.of(TestData.randomId(), TestData.randomId(),
        TestData.randomId());
    List<byte[]> keys = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      SigningKey node = TestData.newKey();
      keys.add(node.publicKey().toBytes());
      List<ContentId> holdings = i < 2 ? List.of(ids.get(0)) : List.of();
      client.heartbeat(TestData.heartbeat(node, "n" + i + ":1", 100, holdings));
    }
    List<BlobPlacement> blobs = client.placement(3, ids).blobs();
    assertEquals(ids.size(), blobs.size());
    for (int i = 0; i < ids.size(); i++) {
      assertKeys(Placement.choose(ids.get(i), keys, 3), blobs.get(i).placed());
    }
    List<byte[]> holders = new ArrayList<>(keys.subList(0, 2));
    holders.sort(java.util.Arrays::compareUnsigned);
    assertKeys(holders, blobs.get(0).holders());
    assertEquals(0, blobs.get(1).holders().size());
  }

  @Test
  void placementPutsCopiesInDistinctZonesAndListsEachNodesZone() {
    start(Duration.ofMinutes(5));
    List<ContentId> ids = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      ids.add(TestData.randomId());
    }
    SigningKey loner = TestData.newKey();
    client.heartbeat(TestData.heartbeat(loner, "alone:1", 100, List.of(), "alone"));
    for (int i = 0; i < 4; i++) {
      client.heartbeat(TestData.heartbeat(TestData.newKey(), "n" + i + ":1", 100, List.of(),
          "crowd"));
    }
    byte[] lonerKey = loner.publicKey().toBytes();
    for (BlobPlacement blob : client.placement(2, ids).blobs()) {
      assertTrue(blob.placed().stream().anyMatch(k -> java.util.Arrays.equals(k, lonerKey)),
          "one of two copies in zone 'alone', the other in 'crowd'");
    }
    assertEquals(java.util.Set.of("crowd", "alone"), new java.util.HashSet<>(
        client.nodes().nodes().stream().map(NodeInfo::zone).toList()));
  }

  @Test
  void aHeartbeatWithABadZoneIsRefusedByNameAndTheServiceGoesOn() {
    start(Duration.ofMinutes(5));
    Heartbeat good = TestData.heartbeat(TestData.newKey(), "h:1", 1, null, "zone-1");
    io.netty.buffer.ByteBuf bytes = io.netty.buffer.Unpooled.buffer();
    good.writeTo(bytes);
    byte[] payload = new byte[bytes.readableBytes()];
    bytes.readBytes(payload);
    bytes.release();
    payload[payload.length - 64 - 1] = ' '; // the zone's last character, before the signature
    String message = expect(ErrorCode.BAD_FORMAT, () -> client.call(
        dev.cairn.wire.frame.FrameType.HEARTBEAT, buffer -> buffer.writeBytes(payload))
        .release()).getMessage();
    assertTrue(message.contains("zone"), message);
    assertEquals(0, client.nodes().nodes().size(), "nothing registered");
    client.heartbeat(good);
    assertEquals("zone-1", single(client.nodes().nodes()).zone());
  }

  @Test
  void newHoldingsReplaceTheOldOnes() {
    start(Duration.ofMinutes(5));
    SigningKey node = TestData.newKey();
    ContentId a = TestData.randomId();
    ContentId b = TestData.randomId();
    client.heartbeat(TestData.heartbeat(node, "n:1", 1, List.of(a)));
    client.heartbeat(TestData.heartbeat(node, "n:1", 2, List.of(b)));
    List<BlobPlacement> blobs = client.placement(1, List.of(a, b)).blobs();
    assertEquals(0, blobs.get(0).holders().size(), "a was dropped");
    assertKeys(List.of(node.publicKey().toBytes()), blobs.get(1).holders());
  }

  private static void assertKeys(List<byte[]> expected, List<byte[]> actual) {
    assertEquals(expected.size(), actual.size());
    for (int i = 0; i < expected.size(); i++) {
      assertArrayEquals(expected.get(i), actual.get(i), "key " + i);
    }
  }

  private static NodeInfo single(List<NodeInfo> nodes) {
    assertEquals(1, nodes.size());
    return nodes.get(0);
  }
}
