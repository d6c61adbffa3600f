package dev.cairn.client.publish;

import dev.cairn.client.net.ConnectionPool;
import dev.cairn.client.net.MetaClient;
import dev.cairn.client.net.NodeClient;
import dev.cairn.meta.MetadataService;
import dev.cairn.meta.MetadataServiceConfig;
import dev.cairn.server.StorageServer;
import dev.cairn.server.StorageServerConfig;
import dev.cairn.wire.CairnException;
import dev.cairn.wire.ErrorCode;
import dev.cairn.wire.message.MetaMessages.NodeInfo;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One real metadata service and N real storage servers on loopback, each with its own data
 * directory, heartbeating fast; {@link #start} returns once every node is live.
 */
final class Cluster implements AutoCloseable {
  static final Duration TIMEOUT = Duration.ofSeconds(20);
  private static final Duration HEARTBEAT = Duration.ofMillis(100);
  private static final long CAPACITY_BYTES = 1L << 30;
  private static final long WAIT_STEP_MS = 50;

  final MetadataService meta;
  final List<StorageServer> nodes = new ArrayList<>();
  final ConnectionPool pool = new ConnectionPool(TIMEOUT);

  private Cluster(MetadataService meta) {
    this.meta = meta;
  }

  static Cluster start(Path dir, int nodeCount, long quotaBytes) throws InterruptedException {
    Cluster cluster = new Cluster(MetadataService.start(
        MetadataServiceConfig.of("127.0.0.1", 0, dir.resolve("meta"))));
    try {
      for (int i = 0; i < nodeCount; i++) {
        StorageServerConfig config = StorageServerConfig.defaults(dir.resolve("node" + i))
            .withListen("127.0.0.1", 0)
            .withMetaServices(List.of(cluster.metaAddress()), HEARTBEAT)
            .withStorage(CAPACITY_BYTES, quotaBytes, Map.of());
        cluster.nodes.add(StorageServer.start(config));
      }
      cluster.awaitLive(nodeCount);
      return cluster;
    } catch (RuntimeException | InterruptedException e) {
      cluster.close();
      throw e;
    }
  }

  InetSocketAddress metaAddress() {
    return meta.address();
  }

  MetaClient metaClient() {
    return new MetaClient(pool, List.of(metaAddress()), TIMEOUT);
  }

  NodeClient nodeClient(StorageServer node) {
    return new NodeClient(pool, node.address(), node.nodeKey().toBytes(), TIMEOUT);
  }

  /** Sum of the blob bytes every node received since it started (its STATS, over the wire). */
  long receivedBytes() {
    long total = 0;
    for (StorageServer node : nodes) {
      total += nodeClient(node).stats().receivedBytes();
    }
    return total;
  }

  private void awaitLive(int count) throws InterruptedException {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      long live = metaClient().nodes().stream().filter(NodeInfo::live).count();
      if (live >= count) {
        return;
      }
      Thread.sleep(WAIT_STEP_MS);
    }
    throw new CairnException(ErrorCode.BUSY, "storage nodes did not become live in time");
  }

  @Override
  public void close() {
    pool.close();
    nodes.forEach(StorageServer::close);
    meta.close();
  }
}
