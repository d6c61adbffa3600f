package dev.cairn.client.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.client.net.ConnectionPool;
import dev.cairn.client.net.MetaClient;
import dev.cairn.client.net.NodeClient;
import dev.cairn.client.net.VerifiedHead;
import dev.cairn.cluster.Await;
import dev.cairn.cluster.LocalCluster;
import dev.cairn.server.StorageServer;
import dev.cairn.wire.crypto.SigningKey;
import dev.cairn.wire.manifest.BatchRef;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Goal: a donor killed a moment ago, still listed live by the metadata service, costs a
 * publish one attempt, not one per batch, and its copies go to the next donor in rank (the
 * soak: "batch ... is on only 2 of 3 storage nodes"). The dead donor's port is taken by a
 * listener that accepts and closes every connection and counts them: attempts, not time.
 */
class UnreachableDonorTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(20);
  private static final int BATCHES_AT_LEAST = 30;

  @TempDir Path dir;

  @Test
  void aDonorThatCannotBeReachedIsTriedOnceAndItsCopiesGoToTheNextInRank() throws Exception {
    SigningKey writer = SigningKey.generate(new SecureRandom());
    try (LocalCluster cluster = LocalCluster.start(dir.resolve("cluster"),
            LocalCluster.Options.of(4).withHeartbeatInterval(LocalCluster.HEARTBEAT_INTERVAL_QUICK)
                .withDeadAfter(Duration.ofMinutes(10))
                .withCapacity(1L << 30).withQuotas(1L << 30, Map.of()));
        ConnectionPool pool = new ConnectionPool(TIMEOUT)) {
      InetSocketAddress dead = cluster.servers().get(3).address();
      cluster.stopServer(3);
      AtomicInteger connections = new AtomicInteger();
      try (ServerSocket closer = new ServerSocket(dead.getPort(), 50,
          InetAddress.getLoopbackAddress())) {
        Thread acceptor = new Thread(() -> {
          while (!closer.isClosed()) {
            try (Socket s = closer.accept()) {
              connections.incrementAndGet();
            } catch (IOException e) {
              return; // closed at the end of the test
            }
          }
        });
        acceptor.setDaemon(true);
        acceptor.start();
        MetaClient meta = new MetaClient(pool, List.of(cluster.metaAddress()), TIMEOUT);
        assertEquals(4, meta.liveNodes().size(), "the stopped donor is still listed live");
        StringBuilder csv = new StringBuilder("n\n");
        for (int i = 0; i < 30_000; i++) {
          csv.append(i).append('\n');
        }
        Path file = dir.resolve("t.csv");
        Files.writeString(file, csv);

        PublishResult result = Publisher.publish(PublishRequest.of(List.of(cluster.metaAddress()),
                writer, "acme", "t", List.of(file)).withSchema("n BIGINT NOT NULL")
            .withReplicas(3).withParallelism(1).withBatchTargetBytes(4096),
            ProgressListener.NONE);

        assertTrue(result.batches() >= BATCHES_AT_LEAST, result.batches() + " batches");
        int limit = BatchPipeline.GROUPS_PER_WORKER + 1; // batches already under way
        assertTrue(connections.get() <= limit, connections.get()
            + " connections to the unreachable donor for " + result.batches() + " batches");
        VerifiedHead head = meta.head("acme", "t").orElseThrow();
        List<BatchRef> batches = head.signed().manifest().batches();
        List<dev.cairn.wire.ContentId> ids = batches.stream().map(BatchRef::id).toList();
        for (int donor = 0; donor < 3; donor++) {
          StorageServer server = cluster.servers().get(donor);
          NodeClient client = new NodeClient(pool, server.address(),
              server.nodeKey().toBytes(), TIMEOUT);
          assertEquals(ids.size(), client.has(ids).stream().filter(b -> b).count(),
              "every batch on each of the three reachable donors");
        }
      }
    }
  }

  /**
   * A donor the service lists as not live but that is up (here: it heartbeats every ten
   * minutes, so after its first heartbeat it looks dead; in the soak: restarted and not yet
   * heard from) takes the copies when the live donors are too few, after the publish waited
   * for live ones.
   */
  @Test
  void aDonorListedDeadButUpTakesTheCopyTheLiveOnesCannot() throws Exception {
    SigningKey writer = SigningKey.generate(new SecureRandom());
    try (LocalCluster cluster = LocalCluster.start(dir.resolve("cluster"),
            LocalCluster.Options.of(2).withHeartbeatInterval(LocalCluster.HEARTBEAT_INTERVAL_QUICK)
                .withDeadAfter(Duration.ofSeconds(3))
                .withCapacity(1L << 30).withQuotas(1L << 30, Map.of()));
        ConnectionPool pool = new ConnectionPool(TIMEOUT)) {
      int quiet = cluster.addServer(config -> config.withMetaServices(
          cluster.metaAddresses(), Duration.ofMinutes(10)));
      MetaClient meta = new MetaClient(pool, List.of(cluster.metaAddress()), TIMEOUT);
      Await.until(Duration.ofSeconds(60), "the quiet donor is listed, as not live",
          () -> meta.everyNode().stream().filter(n -> !n.live()).count() == 1
              && meta.liveNodes().size() == 2);
      Path file = dir.resolve("t.csv");
      Files.writeString(file, "n\n1\n2\n3\n");

      PublishResult result = Publisher.publish(PublishRequest.of(List.of(cluster.metaAddress()),
              writer, "acme", "t", List.of(file)).withSchema("n BIGINT NOT NULL")
          .withReplicas(3), ProgressListener.NONE);

      assertEquals(1, result.version());
      StorageServer server = cluster.servers().get(quiet);
      VerifiedHead head = meta.head("acme", "t").orElseThrow();
      List<dev.cairn.wire.ContentId> ids = head.signed().manifest().batches().stream()
          .map(BatchRef::id).toList();
      assertEquals(List.of(true), new NodeClient(pool, server.address(),
          server.nodeKey().toBytes(), TIMEOUT).has(ids).stream().distinct().toList());
    }
  }
}
