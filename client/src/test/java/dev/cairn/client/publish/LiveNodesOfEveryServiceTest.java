package dev.cairn.client.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.client.net.ConnectionPool;
import dev.cairn.client.net.MetaClient;
import dev.cairn.cluster.LocalCluster;
import dev.cairn.meta.MetadataService;
import dev.cairn.meta.MetadataServiceConfig;
import dev.cairn.wire.crypto.SigningKey;
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
 * Goal: a publish does not fail because the metadata service that answers first has not heard
 * from any donor yet (one just restarted, as in the soak: "need 3 live storage nodes, found
 * 0"). The writer takes the live donors of every service. The service that knows no donor here
 * is one no donor heartbeats to, so it stays that way for the whole test, whatever the timing.
 */
class LiveNodesOfEveryServiceTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(20);

  @TempDir Path dir;

  @Test
  void aPublishSucceedsWhenTheFirstServiceKnowsNoDonor() throws Exception {
    SigningKey writer = SigningKey.generate(new SecureRandom());
    try (LocalCluster cluster = LocalCluster.start(dir.resolve("cluster"),
            LocalCluster.Options.of(3).withHeartbeatInterval(LocalCluster.HEARTBEAT_INTERVAL_QUICK)
                .withCapacity(1L << 30).withQuotas(1L << 30, Map.of()));
        MetadataService unaware = MetadataService.start(MetadataServiceConfig.of("127.0.0.1", 0,
            dir.resolve("unaware")));
        ConnectionPool pool = new ConnectionPool(TIMEOUT)) {
      assertEquals(List.of(), new MetaClient(pool, List.of(unaware.address()), TIMEOUT).nodes(),
          "the first service lists no donor");
      List<InetSocketAddress> metas = List.of(unaware.address(), cluster.metaAddress());
      assertEquals(3, new MetaClient(pool, metas, TIMEOUT).liveNodes().size());
      Path file = dir.resolve("t.csv");
      Files.writeString(file, "n\n1\n2\n3\n");
      PublishResult result = Publisher.publish(PublishRequest.of(metas, writer, "acme", "t",
          List.of(file)).withSchema("n BIGINT NOT NULL").withReplicas(3), ProgressListener.NONE);
      assertEquals(1, result.version());
      assertEquals(3, result.rows());
      assertTrue(result.metaFailures().isEmpty(), result.metaFailures().toString());
    }
  }
}
