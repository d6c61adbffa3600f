package dev.cairn.client.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cairn.client.net.ConnectionPool;
import dev.cairn.client.net.MetaClient;
import dev.cairn.cluster.LocalCluster;
import dev.cairn.meta.MetadataService;
import dev.cairn.meta.MetadataServiceConfig;
import dev.cairn.server.StorageServer;
import dev.cairn.wire.message.MetaMessages.BlobPlacement;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Goal: a reader whose first metadata service knows no donor (just restarted, not yet heard
 * from them) still finds the holders' addresses through the other services' node lists. The
 * unaware service is one no donor heartbeats to, so it stays unaware whatever the timing.
 */
class HolderDirectoryUnionTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(20);

  @TempDir Path dir;

  @Test
  void holdersAreFoundThroughEveryServicesNodeList() throws Exception {
    try (LocalCluster cluster = LocalCluster.start(dir.resolve("cluster"),
            LocalCluster.Options.of(3).withHeartbeatInterval(LocalCluster.HEARTBEAT_INTERVAL_QUICK)
                .withCapacity(1L << 30).withQuotas(1L << 30, Map.of()));
        MetadataService unaware = MetadataService.start(MetadataServiceConfig.of("127.0.0.1", 0,
            dir.resolve("unaware")));
        ConnectionPool pool = new ConnectionPool(TIMEOUT)) {
      List<InetSocketAddress> metas = List.of(unaware.address(), cluster.metaAddress());
      HolderDirectory directory = new HolderDirectory(new MetaClient(pool, metas, TIMEOUT));
      List<byte[]> keys = new ArrayList<>();
      Set<InetSocketAddress> donors = cluster.servers().stream().map(StorageServer::address)
          .collect(Collectors.toSet());
      cluster.servers().forEach(s -> keys.add(s.nodeKey().toBytes()));

      assertEquals(3, directory.nodes().size(), "every donor, from the second service");
      List<InetSocketAddress> holders = directory.addresses(new BlobPlacement(List.of(), keys));
      assertEquals(donors, Set.copyOf(holders));
    }
  }
}
