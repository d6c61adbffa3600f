package dev.cairn.client.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cairn.client.net.ConnectionPool;
import dev.cairn.client.net.MetaClient;
import dev.cairn.cluster.Await;
import dev.cairn.cluster.LocalCluster;
import dev.cairn.server.StorageServer;
import dev.cairn.wire.crypto.SigningKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Goal: a batch that runs short of donors asks the services for their node lists again before
 * failing, so a donor that registered after the writer listed the donors takes the copy. Here
 * donor 0 is stopped while the service still lists it live, so at R = 3 over the 3 listed
 * donors one copy fails; donor 3 starts (and is listed live) after the writer took its list,
 * when the publish starts reading, so only a second look can find it.
 */
class RelistShortBatchTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(20);

  @TempDir Path dir;

  @Test
  void aShortBatchFindsADonorThatRegisteredAfterTheWriterListedThem() throws Exception {
    SigningKey writer = SigningKey.generate(new SecureRandom());
    try (LocalCluster cluster = LocalCluster.start(dir.resolve("cluster"),
            LocalCluster.Options.of(3).withHeartbeatInterval(LocalCluster.HEARTBEAT_INTERVAL_QUICK)
                .withCapacity(1L << 30).withQuotas(1L << 30, Map.of()));
        ConnectionPool pool = new ConnectionPool(TIMEOUT)) {
      cluster.stopServer(0); // listed live for deadAfter (30 s) more: its upload fails
      MetaClient meta = new MetaClient(pool, cluster.metaAddresses(), TIMEOUT);
      int[] late = {-1};
      ProgressListener startLateDonor = new ProgressListener() {
        @Override
        public void started(long totalInputBytes) {
          late[0] = cluster.addServer(config -> config);
          String key = cluster.servers().get(late[0]).nodeKey().toHex();
          Await.until(TIMEOUT, "the late donor is listed live", () -> meta.nodes().toString(),
              () -> meta.liveNodes().stream()
                  .anyMatch(n -> HexFormat.of().formatHex(n.nodeKey()).equals(key)));
        }
      };
      Path file = dir.resolve("t.csv");
      Files.writeString(file, "n\n1\n2\n3\n");
      PublishResult result = Publisher.publish(PublishRequest.of(cluster.metaAddresses(),
          writer, "acme", "t", List.of(file)).withSchema("n BIGINT NOT NULL").withReplicas(3),
          startLateDonor);
      assertEquals(1, result.version());
      StorageServer lateDonor = cluster.servers().get(late[0]);
      assertEquals(1, lateDonor.store().count(), "the late donor took the third copy");
    }
  }
}
