package dev.cairn.client.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.client.net.ConnectionPool;
import dev.cairn.client.net.MetaClient;
import dev.cairn.cluster.Await;
import dev.cairn.cluster.LocalCluster;
import dev.cairn.server.StorageServer;
import dev.cairn.wire.HostPort;
import dev.cairn.wire.crypto.SigningKey;
import dev.cairn.wire.message.MetaMessages.NodeInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Goal: a metadata service that restarts still lists the donors it heard from (not live, with
 * their addresses) until they heartbeat, so a writer can put a copy on a donor that is up but
 * whose next heartbeat has not arrived yet. The soak's failure: a restarted service knew 4 of 5
 * donors, one was down, and R = 3 failed although the fifth was running.
 */
class RememberedDonorsTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(20);
  /** A heartbeat interval no test outlives: such a donor heartbeats once, at start. */
  private static final Duration HEARTBEAT_ONCE = Duration.ofHours(1);

  @TempDir Path dir;

  private static LocalCluster.Options options(int donors) {
    return LocalCluster.Options.of(donors)
        .withHeartbeatInterval(LocalCluster.HEARTBEAT_INTERVAL_QUICK)
        .withCapacity(1L << 30).withQuotas(1L << 30, Map.of());
  }

  @Test
  void aServiceRestartedWhileDonorsAreStoppedListsThemUntilTheyHeartbeat() throws Exception {
    try (LocalCluster cluster = LocalCluster.start(dir.resolve("cluster"), options(3));
        ConnectionPool pool = new ConnectionPool(TIMEOUT)) {
      StorageServer stopped = cluster.servers().get(0);
      String stoppedAddress = HostPort.format(stopped.address());
      cluster.stopServer(0);
      cluster.stopServer(1);
      cluster.stopMeta(0);
      cluster.startMeta(0);
      MetaClient meta = new MetaClient(pool, cluster.metaAddresses(), TIMEOUT);

      List<NodeInfo> listed = meta.nodes();
      assertEquals(3, listed.size(), "every donor heard from before the restart: " + listed);
      NodeInfo first = find(listed, stopped).orElseThrow();
      assertFalse(first.live(), "a stopped donor is listed, not live: " + first);
      assertEquals(stoppedAddress, first.address(), "with the address it advertised");
      assertFalse(find(listed, cluster.servers().get(1)).orElseThrow().live());
      Await.until(TIMEOUT, "the running donor heartbeats to the restarted service",
          () -> meta.nodes().toString(),
          () -> find(meta.nodes(), cluster.servers().get(2)).orElseThrow().live());

      StorageServer back = cluster.restartServer(0, stopped.address().getPort());
      Await.until(TIMEOUT, "the restarted donor is live again", () -> meta.nodes().toString(),
          () -> find(meta.nodes(), back).orElseThrow().live());
      assertFalse(find(meta.nodes(), cluster.servers().get(1)).orElseThrow().live(),
          "the donor still stopped stays not live");
    }
  }

  /**
   * The soak's case, made deterministic: donor 3 heartbeats once an hour, so after the service
   * restarts it is running but not heard from; donor 0 is really down. Two donors are live and
   * R = 3: the third copy must go to donor 3, which the service lists only from its file.
   */
  @Test
  void aPublishUsesARunningDonorTheRestartedServiceHasNotHeardFromYet() throws Exception {
    SigningKey writer = SigningKey.generate(new SecureRandom());
    try (LocalCluster cluster = LocalCluster.start(dir.resolve("cluster"), options(3));
        ConnectionPool pool = new ConnectionPool(TIMEOUT)) {
      int quiet = cluster.addServer(
          config -> config.withMetaServices(cluster.metaAddresses(), HEARTBEAT_ONCE));
      cluster.awaitLiveNodes(4);
      cluster.stopServer(0);
      cluster.stopMeta(0);
      cluster.startMeta(0);
      MetaClient meta = new MetaClient(pool, cluster.metaAddresses(), TIMEOUT);
      Await.until(TIMEOUT, "donors 1 and 2 heartbeat to the restarted service",
          () -> meta.nodes().toString(), () -> meta.liveNodes().size() == 2);
      StorageServer quietDonor = cluster.servers().get(quiet);
      assertFalse(find(meta.nodes(), quietDonor).orElseThrow().live(),
          "the quiet donor is listed, not live");

      Path file = dir.resolve("t.csv");
      Files.writeString(file, "n\n1\n2\n3\n");
      PublishResult result = Publisher.publish(PublishRequest.of(cluster.metaAddresses(),
          writer, "acme", "t", List.of(file)).withSchema("n BIGINT NOT NULL").withReplicas(3),
          ProgressListener.NONE);
      assertEquals(1, result.version());
      assertEquals(1, result.batches());
      assertEquals(1, quietDonor.store().count(), "the quiet donor took the third copy");
      assertTrue(result.metaFailures().isEmpty(), result.metaFailures().toString());
    }
  }

  private static Optional<NodeInfo> find(List<NodeInfo> listed, StorageServer donor) {
    String key = donor.nodeKey().toHex();
    return listed.stream().filter(n -> HexFormat.of().formatHex(n.nodeKey()).equals(key))
        .findFirst();
  }
}
