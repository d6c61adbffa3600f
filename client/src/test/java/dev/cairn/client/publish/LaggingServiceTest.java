package dev.cairn.client.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.client.net.ConnectionPool;
import dev.cairn.client.net.MetaClient;
import dev.cairn.client.net.VerifiedHead;
import dev.cairn.cluster.Await;
import dev.cairn.cluster.LocalCluster;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Goal: a metadata service that was down while versions were published elsewhere can take the
 * next version even when the only service holding those versions is down in turn (the soak's
 * "parent ... is not the head ... (version 13)"). The writer hands it the signed versions it
 * lacks from its head record, oldest first, each checked by the service as an ordinary publish.
 */
class LaggingServiceTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(20);

  @TempDir Path dir;
  private final dev.cairn.wire.crypto.SigningKey key =
      dev.cairn.wire.crypto.SigningKey.generate(new SecureRandom());
  private int files;

  private PublishResult publish(List<InetSocketAddress> metas) throws IOException {
    return publish(metas, ProgressListener.NONE);
  }

  private PublishResult publish(List<InetSocketAddress> metas, ProgressListener progress)
      throws IOException {
    Path file = dir.resolve("input" + files + ".csv");
    Files.writeString(file, "n\n" + files++ + "\n");
    return Publisher.publish(PublishRequest.of(metas, key, "alice", "t", List.of(file))
        .withSchema("n BIGINT NOT NULL").withReplicas(1)
        .withHeadRecord(dir.resolve("alice.heads")), progress);
  }

  private static LocalCluster twoServicesOneDonor(Path root) throws IOException {
    return LocalCluster.start(root, LocalCluster.Options.of(1).withMetadataServices(2)
        .withHeartbeatInterval(LocalCluster.HEARTBEAT_INTERVAL_QUICK)
        .withCapacity(1L << 30).withQuotas(1L << 30, Map.of()));
  }

  @Test
  void aServiceThatMissedVersionsTakesThemFromTheWritersRecordBeforeTheNextOne()
      throws Exception {
    try (LocalCluster cluster = twoServicesOneDonor(dir.resolve("cluster"));
        ConnectionPool pool = new ConnectionPool(TIMEOUT)) {
      List<InetSocketAddress> metas = cluster.metaAddresses();
      InetSocketAddress lagging = metas.get(1);
      publish(metas);
      cluster.stopMeta(1);
      PublishResult v2 = publish(metas);
      PublishResult v3 = publish(metas);
      assertEquals(3, v3.version());
      cluster.stopMeta(0);
      cluster.startMeta(1);
      MetaClient laggingClient = new MetaClient(pool, List.of(lagging), TIMEOUT);
      assertEquals(1, laggingClient.head("alice", "t").orElseThrow().version());
      Await.until(Duration.ofSeconds(60), "the donor heartbeats to the restarted service",
          () -> laggingClient.liveNodes().size() == 1);

      PublishResult v4 = publish(metas);

      assertEquals(4, v4.version());
      List<VerifiedHead> versions = laggingClient.versions("alice", "t");
      assertEquals(List.of(1L, 2L, 3L, 4L),
          versions.stream().map(VerifiedHead::version).toList());
      assertEquals(v2.manifestId(), versions.get(1).id(), "the writer's own v2");
      assertEquals(v3.manifestId(), versions.get(2).id(), "the writer's own v3");
      assertEquals(v4.manifestId(), versions.get(3).id());
      assertTrue(v4.metaFailures().containsKey(metas.get(0)), v4.metaFailures().toString());
    }
  }

  /**
   * The soak's later case: the lagging service comes back only after the writer checked the
   * services (here: while its input is read), and the service that held the versions goes
   * down then. Every service refuses the new version, the lagging one as stale; the writer
   * restores the versions it lacks and publishes again.
   */
  @Test
  void aServiceThatComesBackBehindDuringAPublishIsRestoredAndTakesIt() throws Exception {
    try (LocalCluster cluster = twoServicesOneDonor(dir.resolve("cluster"));
        ConnectionPool pool = new ConnectionPool(TIMEOUT)) {
      List<InetSocketAddress> metas = cluster.metaAddresses();
      publish(metas);
      cluster.stopMeta(1);
      publish(metas);
      PublishResult v3 = publish(metas);
      ProgressListener swapServices = new ProgressListener() {
        @Override
        public void started(long totalInputBytes) {
          cluster.stopMeta(0);
          cluster.startMeta(1);
        }
      };

      PublishResult v4 = publish(metas, swapServices);

      assertEquals(4, v4.version());
      List<VerifiedHead> versions = new MetaClient(pool, List.of(metas.get(1)), TIMEOUT)
          .versions("alice", "t");
      assertEquals(List.of(1L, 2L, 3L, 4L),
          versions.stream().map(VerifiedHead::version).toList());
      assertEquals(v3.manifestId(), versions.get(2).id(), "the writer's own v3");
      assertEquals(v4.manifestId(), versions.get(3).id());
    }
  }
}
