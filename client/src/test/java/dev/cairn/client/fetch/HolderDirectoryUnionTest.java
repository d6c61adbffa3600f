package dev.cairn.client.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cairn.client.UnawareServiceCluster;
import dev.cairn.server.StorageServer;
import dev.cairn.wire.message.MetaMessages.BlobPlacement;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
  @TempDir Path dir;

  @Test
  void holdersAreFoundThroughEveryServicesNodeList() throws Exception {
    try (UnawareServiceCluster both = UnawareServiceCluster.start(dir, 3)) {
      HolderDirectory directory = new HolderDirectory(both.client(both.unawareFirst()));
      List<byte[]> keys = new ArrayList<>();
      Set<InetSocketAddress> donors = both.cluster.servers().stream()
          .map(StorageServer::address).collect(Collectors.toSet());
      both.cluster.servers().forEach(s -> keys.add(s.nodeKey().toBytes()));

      assertEquals(3, directory.nodes().size(), "every donor, from the second service");
      List<InetSocketAddress> holders = directory.addresses(new BlobPlacement(List.of(), keys));
      assertEquals(donors, Set.copyOf(holders));
    }
  }
}
