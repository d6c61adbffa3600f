package dev.cairn.meta;

import static dev.cairn.meta.MetaServiceProbe.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.wire.ContentId;
import dev.cairn.wire.ErrorCode;
import dev.cairn.wire.crypto.SigningKey;
import dev.cairn.wire.message.MetaMessages.NodeInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Goal: a restarted metadata service still lists the donors it heard from (not live, with
 * their addresses), so a writer can try one whose next heartbeat has not arrived yet; places
 * nothing on them until they heartbeat; and starts whatever its {@code nodes.txt} holds.
 */
class KnownNodesTest {

  @TempDir Path dir;

  private MetadataService start() {
    return MetadataService.start(MetadataServiceConfig.of("127.0.0.1", 0, dir)
        .withDeadAfter(Duration.ofMinutes(10)));
  }

  @Test
  void aRestartedServiceListsItsDonorsAsNotLiveUntilTheyHeartbeat() {
    SigningKey a = TestData.newKey();
    SigningKey b = TestData.newKey();
    long beatA = System.currentTimeMillis();
    try (MetadataService service = start();
        MetaServiceProbe probe = new MetaServiceProbe(service.address())) {
      probe.heartbeat(TestData.heartbeat(a, "127.0.0.1:7001", beatA, List.of(), "zone-a"));
      probe.heartbeat(TestData.heartbeat(b, "127.0.0.1:7002", beatA, List.of(), "zone-b"));
      assertEquals(2, service.liveNodeCount());
    }
    try (MetadataService service = start();
        MetaServiceProbe probe = new MetaServiceProbe(service.address())) {
      List<NodeInfo> listed = probe.nodes().nodes();
      assertEquals(2, listed.size(), "both donors are remembered: " + listed);
      for (NodeInfo info : listed) {
        assertFalse(info.live(), "not live before it heartbeats here: " + info);
        boolean isA = info.address().equals("127.0.0.1:7001");
        assertEquals(isA ? "zone-a" : "zone-b", info.zone());
        assertEquals(hex(isA ? a : b), HexFormat.of().formatHex(info.nodeKey()));
        assertEquals(1L << 40, info.capacityBytes(), "the last reported capacity");
      }
      ContentId id = TestData.randomId();
      assertEquals(List.of(), probe.placement(1, List.of(id)).blobs().get(0).placed(),
          "nothing is placed on a node not heard from since the restart");

      expect(ErrorCode.STALE_VERSION, () -> probe.heartbeat(
          TestData.heartbeat(a, "127.0.0.1:7001", beatA - 1, List.of(), "zone-a")));
      assertTrue(probe.heartbeat(TestData.heartbeat(a, "127.0.0.1:7001", beatA + 1, null,
          "zone-a")).wantHoldings(), "holdings are still unknown after a restart");
      assertEquals(1, service.liveNodeCount());
      assertEquals(1, probe.placement(2, List.of(id)).blobs().get(0).placed().size(),
          "only the node that heartbeated is placed on");
    }
  }

  @Test
  void aCorruptLineIsSkippedAndAnExpiredNodeForgotten() throws IOException {
    SigningKey kept = TestData.newKey();
    long now = System.currentTimeMillis();
    String longAddress = "a".repeat(300);
    Files.writeString(dir.resolve(KnownNodesFile.FILE_NAME), String.join("\n",
        "# cairn known nodes v1",
        line(kept, now - 1_000, "127.0.0.1%3A7001", "z"),
        "not a node line at all",
        line(TestData.newKey(), now, longAddress, "z"),
        line(TestData.newKey(), now, "127.0.0.1%3A7003", "bad%20zone"),
        line(TestData.newKey(), -5, "127.0.0.1:7004", "z").replace(" -5 ", " x "),
        line(TestData.newKey(), now - Duration.ofDays(8).toMillis(), "127.0.0.1%3A7005", "z"),
        ""));
    try (MetadataService service = start();
        MetaServiceProbe probe = new MetaServiceProbe(service.address())) {
      List<NodeInfo> listed = probe.nodes().nodes();
      assertEquals(1, listed.size(), "only the intact, recent line: " + listed);
      assertEquals("127.0.0.1:7001", listed.get(0).address());
      assertFalse(listed.get(0).live());
      assertTrue(listed.get(0).silenceMillis() >= 1_000,
          "silence counts from the recorded last heartbeat: " + listed.get(0));
    }
  }

  @Test
  void anOversizedFileIsIgnoredAndReplaced() throws IOException {
    Path file = dir.resolve(KnownNodesFile.FILE_NAME);
    Files.write(file, new byte[(int) KnownNodesFile.FILE_BYTES_MAX + 1]);
    SigningKey a = TestData.newKey();
    try (MetadataService service = start();
        MetaServiceProbe probe = new MetaServiceProbe(service.address())) {
      assertEquals(List.of(), probe.nodes().nodes(), "the file is ignored, the service runs");
      probe.heartbeat(TestData.heartbeat(a, "127.0.0.1:7001", System.currentTimeMillis(),
          List.of()));
    }
    assertTrue(Files.size(file) < 1_000, "replaced by the nodes known now");
    try (MetadataService service = start();
        MetaServiceProbe probe = new MetaServiceProbe(service.address())) {
      assertEquals(1, probe.nodes().nodes().size());
    }
  }

  private static String line(SigningKey key, long lastHeardMillis, String address,
      String zone) {
    return key.publicKey().toHex() + " " + lastHeardMillis + " " + lastHeardMillis + " 100 10 1 "
        + address + " " + zone;
  }

  private static String hex(SigningKey key) {
    return key.publicKey().toHex();
  }
}
