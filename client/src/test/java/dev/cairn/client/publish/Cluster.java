package dev.cairn.client.publish;

import dev.cairn.client.net.ConnectionPool;
import dev.cairn.client.net.MetaClient;
import dev.cairn.client.net.NodeClient;
import dev.cairn.cluster.LocalCluster;
import dev.cairn.meta.MetadataService;
import dev.cairn.server.StorageServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A {@link LocalCluster} (one metadata service, N donors heartbeating fast, live on return)
 * with the client-side handles these tests use: a connection pool and clients of it.
 */
final class Cluster implements AutoCloseable {
  static final Duration TIMEOUT = Duration.ofSeconds(20);
  private static final long CAPACITY_BYTES = 1L << 30;

  private final LocalCluster local;
  final MetadataService meta;
  final List<StorageServer> nodes;
  final ConnectionPool pool = new ConnectionPool(TIMEOUT);

  private Cluster(LocalCluster local) {
    this.local = local;
    this.meta = local.meta();
    this.nodes = local.servers();
  }

  static Cluster start(Path dir, int nodeCount, long quotaBytes) throws IOException {
    return new Cluster(LocalCluster.start(dir, LocalCluster.Options.of(nodeCount)
        .withHeartbeatInterval(LocalCluster.HEARTBEAT_INTERVAL_QUICK)
        .withCapacity(CAPACITY_BYTES).withQuotas(quotaBytes, Map.of())));
  }

  /** Starts {@code nodeCount} donors that keep their share healthy as {@code heal} says. */
  static Cluster start(Path dir, int nodeCount, dev.cairn.server.heal.HealConfig heal)
      throws IOException {
    return new Cluster(LocalCluster.start(dir, LocalCluster.Options.of(nodeCount)
        .withHeartbeatInterval(LocalCluster.HEARTBEAT_INTERVAL_QUICK)
        .withCapacity(CAPACITY_BYTES).withQuotas(CAPACITY_BYTES, Map.of()).withHeal(heal)));
  }

  /**
   * Starts {@code openCount} donors with {@code quotaBytes} for every key, then {@code
   * strictCount} more with {@code default-quota = 0}, which refuse every writer; the strict
   * ones are the last in {@link #nodes}.
   */
  static Cluster startWithStrict(Path dir, int openCount, int strictCount, long quotaBytes)
      throws IOException {
    LocalCluster local = LocalCluster.start(dir, LocalCluster.Options.of(openCount)
        .withHeartbeatInterval(LocalCluster.HEARTBEAT_INTERVAL_QUICK)
        .withCapacity(CAPACITY_BYTES).withQuotas(quotaBytes, Map.of()));
    try {
      for (int i = 0; i < strictCount; i++) {
        local.addServer(config -> config.withStorage(CAPACITY_BYTES, 0, Map.of()));
      }
      local.awaitLiveNodes(openCount + strictCount);
    } catch (RuntimeException e) {
      local.close();
      throw e;
    }
    return new Cluster(local);
  }

  /** Starts one more donor like the others (it heartbeats at once). */
  void addDonor() {
    local.addServer(config -> config);
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

  @Override
  public void close() {
    pool.close();
    local.close();
  }
}
