package dev.cairn.client;

import dev.cairn.client.net.ConnectionPool;
import dev.cairn.client.net.MetaClient;
import dev.cairn.cluster.LocalCluster;
import dev.cairn.meta.MetadataService;
import dev.cairn.meta.MetadataServiceConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A local cluster plus a metadata service no donor heartbeats to, asked first: it stands for a
 * service that just restarted and has heard from no donor yet, and stays that way whatever the
 * timing, so tests of "the first service knows nothing" are deterministic.
 */
public final class UnawareServiceCluster implements AutoCloseable {
  public static final Duration TIMEOUT = Duration.ofSeconds(20);

  public final LocalCluster cluster;
  public final MetadataService unaware;
  public final ConnectionPool pool;

  private UnawareServiceCluster(LocalCluster cluster, MetadataService unaware,
      ConnectionPool pool) {
    this.cluster = cluster;
    this.unaware = unaware;
    this.pool = pool;
  }

  /** Starts {@code donors} donors with 1 GiB each and quick heartbeats, and the unaware one. */
  public static UnawareServiceCluster start(Path dir, int donors) throws IOException {
    LocalCluster cluster = LocalCluster.start(dir.resolve("cluster"),
        LocalCluster.Options.of(donors).withHeartbeatInterval(
            LocalCluster.HEARTBEAT_INTERVAL_QUICK).withCapacity(1L << 30)
            .withQuotas(1L << 30, Map.of()));
    try {
      MetadataService unaware = MetadataService.start(MetadataServiceConfig.of("127.0.0.1", 0,
          dir.resolve("unaware")));
      return new UnawareServiceCluster(cluster, unaware, new ConnectionPool(TIMEOUT));
    } catch (RuntimeException e) {
      cluster.close();
      throw e;
    }
  }

  /** Returns the unaware service, then the cluster's. */
  public List<InetSocketAddress> unawareFirst() {
    return List.of(unaware.address(), cluster.metaAddress());
  }

  /** Returns a client of the services {@code services}, in that order. */
  public MetaClient client(List<InetSocketAddress> services) {
    return new MetaClient(pool, services, TIMEOUT);
  }

  @Override
  public void close() {
    pool.close();
    unaware.close();
    cluster.close();
  }
}
