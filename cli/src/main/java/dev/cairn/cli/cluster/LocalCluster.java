package dev.cairn.cli.cluster;

import static java.util.Objects.requireNonNull;

import dev.cairn.meta.MetadataService;
import dev.cairn.meta.MetadataServiceConfig;
import dev.cairn.server.StorageServer;
import dev.cairn.server.StorageServerConfig;
import dev.cairn.server.heal.HealConfig;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * A whole Cairn on one machine: one metadata service and N storage servers on free loopback
 * ports, each with its own directory under {@code root}. Used by {@code cairn demo} and by tests;
 * every part is the real server, started in this JVM.
 */
public final class LocalCluster implements AutoCloseable {
  /** How often the local donors heartbeat: quick, so a fresh cluster is usable at once. */
  public static final Duration HEARTBEAT_INTERVAL = Duration.ofMillis(250);
  /** Bounded wait for every donor to be registered as live. */
  public static final Duration READY_TIMEOUT = Duration.ofSeconds(30);

  /**
   * What to start; {@code storageConfig} adjusts each donor's config (quotas, limits, and the
   * anti-entropy and scrub schedule in {@code heal}).
   */
  public record Options(int storageServers, Duration deadAfter, long capacityBytes,
      long defaultQuotaBytes, Map<String, Long> quotaBytesByKey, long downloadBytesPerSecond,
      HealConfig heal) {
    /** Returns {@code storageServers} donors with 4 GiB each, quotas of 4 GiB, no limits. */
    public static Options of(int storageServers) {
      return new Options(storageServers, Duration.ofSeconds(30), 4L << 30, 4L << 30, Map.of(), 0,
          HealConfig.defaults());
    }

    public Options withQuotas(long defaultQuota, Map<String, Long> perKey) {
      return new Options(storageServers, deadAfter, capacityBytes, defaultQuota, perKey,
          downloadBytesPerSecond, heal);
    }

    public Options withDownloadLimit(long bytesPerSecond) {
      return new Options(storageServers, deadAfter, capacityBytes, defaultQuotaBytes,
          quotaBytesByKey, bytesPerSecond, heal);
    }

    public Options withDeadAfter(Duration duration) {
      return new Options(storageServers, duration, capacityBytes, defaultQuotaBytes,
          quotaBytesByKey, downloadBytesPerSecond, heal);
    }

    /** Returns these options with another anti-entropy and scrub policy for every donor. */
    public Options withHeal(HealConfig healConfig) {
      return new Options(storageServers, deadAfter, capacityBytes, defaultQuotaBytes,
          quotaBytesByKey, downloadBytesPerSecond, healConfig);
    }
  }

  private final Path root;
  private final Options options;
  private final MetadataService meta;
  private final List<StorageServer> servers = new ArrayList<>();

  private LocalCluster(Path root, Options options, MetadataService meta) {
    this.root = root;
    this.options = options;
    this.meta = meta;
  }

  /** Starts the cluster under {@code root} and waits until every donor is live. */
  public static LocalCluster start(Path root, Options options) throws Exception {
    requireNonNull(root, "root");
    Files.createDirectories(root);
    MetadataService meta = MetadataService.start(
        MetadataServiceConfig.of("127.0.0.1", 0, root.resolve("meta"))
            .withDeadAfter(options.deadAfter()));
    LocalCluster cluster = new LocalCluster(root, options, meta);
    try {
      for (int i = 0; i < options.storageServers(); i++) {
        cluster.servers.add(StorageServer.start(cluster.storageConfig(i, 0)));
      }
      cluster.awaitLiveNodes(options.storageServers());
      return cluster;
    } catch (Exception | Error e) {
      cluster.close();
      throw e;
    }
  }

  /** Returns the config of donor {@code index}, on {@code port} (0 = any free port). */
  public StorageServerConfig storageConfig(int index, int port) {
    return StorageServerConfig.defaults(root.resolve("server-" + index))
        .withListen("127.0.0.1", port)
        .withMetaServices(List.of(meta.address()), HEARTBEAT_INTERVAL)
        .withStorage(options.capacityBytes(), options.defaultQuotaBytes(),
            options.quotaBytesByKey())
        .withLimits(0, options.downloadBytesPerSecond(), StorageServerConfig.DEFAULT_CONNECTIONS_MAX)
        .withHeal(options.heal());
  }

  /** Waits, bounded by {@link #READY_TIMEOUT}, until the service counts {@code count} live donors. */
  public void awaitLiveNodes(int count) throws InterruptedException {
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    while (meta.liveNodeCount() < count) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("only " + meta.liveNodeCount() + " of " + count
            + " storage servers registered within " + READY_TIMEOUT.toSeconds() + " s");
      }
      Thread.sleep(50);
    }
  }

  public MetadataService meta() {
    return meta;
  }

  public InetSocketAddress metaAddress() {
    return meta.address();
  }

  /** Returns {@code host:port} of the metadata service, as the CLI and JDBC URLs take it. */
  public String metaHostPort() {
    return meta.address().getHostString() + ":" + meta.address().getPort();
  }

  public List<StorageServer> servers() {
    return List.copyOf(servers);
  }

  public Path root() {
    return root;
  }

  /** Stops donor {@code index} (as a crash would, minus the kill) and returns its config. */
  public StorageServerConfig stopServer(int index) {
    StorageServer server = servers.get(index);
    StorageServerConfig config = server.config();
    server.close();
    return config;
  }

  /**
   * Starts one more donor, in directory {@code server-N} (N its index, returned), with the
   * cluster's config changed by {@code adjust} (e.g. a tiny capacity).
   */
  public synchronized int addServer(UnaryOperator<StorageServerConfig> adjust) {
    int index = servers.size();
    servers.add(StorageServer.start(adjust.apply(storageConfig(index, 0))));
    return index;
  }

  /** Starts donor {@code index} again on its old directory and port. */
  public StorageServer restartServer(int index, int port) {
    StorageServer server = StorageServer.start(storageConfig(index, port));
    servers.set(index, server);
    return server;
  }

  @Override
  public void close() {
    for (StorageServer server : servers) {
      server.close(); // closing a stopped donor again is a no-op
    }
    meta.close();
  }

  @Override
  public String toString() {
    return "LocalCluster[meta " + metaHostPort() + ", servers " + servers.stream()
        .map(s -> s.address().toString()).collect(Collectors.joining(", ")) + "]";
  }
}
