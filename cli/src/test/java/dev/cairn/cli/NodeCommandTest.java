package dev.cairn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.client.net.ConnectionPool;
import dev.cairn.client.net.MetaClient;
import dev.cairn.cluster.Await;
import dev.cairn.cluster.LocalCluster;
import dev.cairn.meta.MetadataService;
import dev.cairn.wire.crypto.PublicKey;
import dev.cairn.wire.message.MetaMessages.NodeInfo;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Goal (issue 15): {@code cairn node list} shows each metadata service's donors; {@code cairn
 * node forget} removes a dead donor from every service named, refuses a live one with
 * UNAUTHORIZED unless forced with the service's own key, answers NOT_FOUND for an unknown one;
 * a forgotten donor that heartbeats again registers anew.
 */
class NodeCommandTest {
  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir Path dir;

  @Test
  void listForgetAndComeBack() throws Exception {
    try (LocalCluster cluster = LocalCluster.start(dir, LocalCluster.Options.of(2)
        .withMetadataServices(2).withDeadAfter(Duration.ofSeconds(2)))) {
      cluster.awaitLiveNodes(2);
      String metas = String.join(",", cluster.metaAddresses().stream()
          .map(a -> "127.0.0.1:" + a.getPort()).toList());
      String kept = fingerprint(cluster.servers().get(0).nodeKey());
      String gone = fingerprint(cluster.servers().get(1).nodeKey());

      CliRun list = CliRun.of("node", "list", "--meta", metas);
      assertEquals(0, list.exit(), list.err());
      assertEquals(2, count(list.out(), ": 2 nodes"), list.out());
      assertEquals(2, count(list.out(), kept), list.out());
      assertEquals(2, count(list.out(), gone), list.out());

      CliRun live = CliRun.of("node", "forget", gone, "--meta", metas);
      assertEquals(Main.EXIT_FAILED, live.exit());
      assertTrue(live.err().contains("UNAUTHORIZED") && live.err().contains("is live"),
          live.err());

      int port = cluster.servers().get(1).address().getPort();
      cluster.stopServer(1);
      for (MetadataService meta : cluster.metas()) {
        Await.until(WAIT, gone + " dead at " + meta.address(),
            () -> node(meta, gone).map(n -> !n.live()).orElse(false));
      }
      CliRun forget = CliRun.of("node", "forget", gone, "--meta", metas);
      assertEquals(0, forget.exit(), forget.err());
      assertEquals(2, count(forget.out(), "forgot node " + gone), forget.out());
      for (MetadataService meta : cluster.metas()) {
        assertTrue(node(meta, gone).isEmpty(), "forgotten at " + meta.address());
      }
      CliRun again = CliRun.of("node", "forget", gone, "--meta", metas);
      assertEquals(Main.EXIT_FAILED, again.exit());
      assertTrue(again.err().contains("NOT_FOUND"), again.err());

      cluster.restartServer(1, port);
      Await.until(WAIT, gone + " registers again",
          () -> node(cluster.meta(), gone).map(NodeInfo::live).orElse(false));

      String firstMeta = "127.0.0.1:" + cluster.metaAddress().getPort();
      Path otherKey = dir.resolve("meta-1").resolve(MetadataService.NODE_KEY_FILE);
      CliRun wrongKey = CliRun.of("node", "forget", kept, "--meta", firstMeta, "--force",
          "--service-key", otherKey.toString());
      assertEquals(Main.EXIT_FAILED, wrongKey.exit());
      assertTrue(wrongKey.err().contains("UNAUTHORIZED"), wrongKey.err());
      Path ownKey = dir.resolve("meta").resolve(MetadataService.NODE_KEY_FILE);
      CliRun forced = CliRun.of("node", "forget", kept, "--meta", firstMeta, "--force",
          "--service-key", ownKey.toString());
      assertEquals(0, forced.exit(), forced.err());
      assertTrue(forced.out().contains("it was live"), forced.out());
      Await.until(WAIT, kept + " registers again after a forced forget",
          () -> node(cluster.meta(), kept).map(NodeInfo::live).orElse(false));
      assertFalse(CliRun.of("node", "list", "--meta", firstMeta).out().isEmpty());
    }
  }

  private static String fingerprint(PublicKey key) {
    return key.fingerprint().toString();
  }

  private static Optional<NodeInfo> node(MetadataService meta, String fingerprint) {
    try (ConnectionPool pool = new ConnectionPool(ClusterFixtures.TIMEOUT)) {
      MetaClient client = new MetaClient(pool, List.of(meta.address()), ClusterFixtures.TIMEOUT);
      return client.nodes().stream().filter(n -> PublicKey.fromBytes(n.nodeKey()).fingerprint()
          .toString().equals(fingerprint)).findFirst();
    }
  }

  private static int count(String text, String part) {
    int found = 0;
    for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
      found++;
    }
    return found;
  }
}
