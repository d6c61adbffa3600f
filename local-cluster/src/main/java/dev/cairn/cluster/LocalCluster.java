package dev.cairn.cluster;

import static java.util.Objects.requireNonNull;

import dev.cairn.meta.AuditSchedule;
import dev.cairn.meta.LedgerSettings;
import dev.cairn.meta.MetadataService;
import dev.cairn.meta.MetadataServiceConfig;
import dev.cairn.server.StorageServer;
import dev.cairn.server.StorageServerConfig;
import dev.cairn.server.heal.HealConfig;
import dev.cairn.wire.HostPort;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * A whole Cairn on one machine: one metadata service (or a few that do not gossip) and N storage
 * servers on free loopback ports, each with its own directory under {@code root}, every donor
 * heartbeating to every service. Used by {@code cairn demo} and by the tests of every module
 * above the servers; every part is the real server, started in this JVM.
 */
public final class LocalCluster implements AutoCloseable {
  /** How often the local donors heartbeat: quick, so a fresh cluster is usable at once. */
  public static final Duration HEARTBEAT_INTERVAL = Duration.ofMillis(250);
  /** A quicker heartbeat for tests that wait for holdings to be reported. */
  public static final Duration HEARTBEAT_INTERVAL_QUICK = Duration.ofMillis(100);
  /**
   * Connections one address may open to a local service: every donor, reader and writer of a
   * local cluster connects from 127.0.0.1, so the per-address limit is the total one here.
   */
  public static final int LOOPBACK_CONNECTIONS_PER_ADDRESS_MAX =
      StorageServerConfig.DEFAULT_CONNECTIONS_MAX;
  /** Bounded wait for every donor to be registered as live. */
  public static final Duration READY_TIMEOUT = Duration.ofSeconds(30);

  /**
   * What to start; {@code storageConfig} adjusts each donor's config (quotas, limits, and the
   * anti-entropy and scrub schedule in {@code heal}). {@code zones} names donor i's zone at
   * index i; donors past its end (all, when empty) keep the default zone, which on loopback is
   * each donor's own address. {@code audit} is every metadata service's audit schedule.
   */
  public record Options(int metadataServices, int storageServers, Duration deadAfter,
      Duration heartbeatInterval, long capacityBytes, long defaultQuotaBytes,
      Map<String, Long> quotaBytesByKey, long downloadBytesPerSecond, HealConfig heal,
      List<String> zones, AuditSchedule audit, LedgerSettings ledger) {
    /** Copies the zones. */
    public Options {
      zones = List.copyOf(zones);
      requireNonNull(audit, "audit");
      ledger = ledger == null ? LedgerSettings.defaults() : ledger;
    }

    /** Returns one service and {@code storageServers} donors of 4 GiB, quotas 4 GiB, no limits. */
    public static Options of(int storageServers) {
      return new Options(1, storageServers, Duration.ofSeconds(30), HEARTBEAT_INTERVAL,
          4L << 30, 4L << 30, Map.of(), 0, HealConfig.defaults(), List.of(),
          AuditSchedule.defaults(), null);
    }

    /** Returns these options with donor i in {@code zonesByDonor.get(i)}. */
    public Options withZones(List<String> zonesByDonor) {
      return new Options(metadataServices, storageServers, deadAfter, heartbeatInterval,
          capacityBytes, defaultQuotaBytes, quotaBytesByKey, downloadBytesPerSecond, heal,
          zonesByDonor, audit, ledger);
    }

    /** Returns these options with another audit schedule for every metadata service. */
    public Options withAudit(AuditSchedule schedule) {
      return new Options(metadataServices, storageServers, deadAfter, heartbeatInterval,
          capacityBytes, defaultQuotaBytes, quotaBytesByKey, downloadBytesPerSecond, heal,
          zones, schedule, ledger);
    }

    /** Returns these options with {@code count} metadata services, each told of every donor. */
    public Options withMetadataServices(int count) {
      return new Options(count, storageServers, deadAfter, heartbeatInterval, capacityBytes,
          defaultQuotaBytes, quotaBytesByKey, downloadBytesPerSecond, heal, zones, audit, ledger);
    }

    public Options withHeartbeatInterval(Duration interval) {
      return new Options(metadataServices, storageServers, deadAfter, interval, capacityBytes,
          defaultQuotaBytes, quotaBytesByKey, downloadBytesPerSecond, heal, zones, audit, ledger);
    }

    /** Returns these options with each donor giving {@code capacity} bytes in all. */
    public Options withCapacity(long capacity) {
      return new Options(metadataServices, storageServers, deadAfter, heartbeatInterval,
          capacity, defaultQuotaBytes, quotaBytesByKey, downloadBytesPerSecond, heal, zones, audit,
          ledger);
    }

    public Options withQuotas(long defaultQuota, Map<String, Long> perKey) {
      return new Options(metadataServices, storageServers, deadAfter, heartbeatInterval,
          capacityBytes, defaultQuota, perKey, downloadBytesPerSecond, heal, zones, audit, ledger);
    }

    public Options withDownloadLimit(long bytesPerSecond) {
      return new Options(metadataServices, storageServers, deadAfter, heartbeatInterval,
          capacityBytes, defaultQuotaBytes, quotaBytesByKey, bytesPerSecond, heal, zones, audit,
          ledger);
    }

    public Options withDeadAfter(Duration duration) {
      return new Options(metadataServices, storageServers, duration, heartbeatInterval,
          capacityBytes, defaultQuotaBytes, quotaBytesByKey, downloadBytesPerSecond, heal,
          zones, audit, ledger);
    }

    /** Returns these options with other contribution ledger settings for every service. */
    public Options withLedger(LedgerSettings settings) {
      return new Options(metadataServices, storageServers, deadAfter, heartbeatInterval,
          capacityBytes, defaultQuotaBytes, quotaBytesByKey, downloadBytesPerSecond, heal,
          zones, audit, settings);
    }

    /** Returns these options with another anti-entropy and scrub policy for every donor. */
    public Options withHeal(HealConfig healConfig) {
      return new Options(metadataServices, storageServers, deadAfter, heartbeatInterval,
          capacityBytes, defaultQuotaBytes, quotaBytesByKey, downloadBytesPerSecond, healConfig,
          zones, audit, ledger);
    }
  }

  private final Path root;
  private final Options options;
  private final List<MetadataService> metas = new ArrayList<>();
  private final List<StorageServer> servers = new ArrayList<>();
  /** The ports of metadata services {@link #stopMeta} stopped, by index, to start them on. */
  private final Map<Integer, Integer> stoppedMetaPorts = new HashMap<>();

  private LocalCluster(Path root, Options options) {
    this.root = root;
    this.options = options;
  }

  /**
   * Starts the cluster under {@code root} and waits until every service counts every donor
   * live. The first service keeps its data in {@code meta}, further ones in {@code meta-1}...
   */
  public static LocalCluster start(Path root, Options options) throws IOException {
    requireNonNull(root, "root");
    if (options.metadataServices() < 1) {
      throw new IllegalArgumentException("a cluster needs a metadata service");
    }
    Files.createDirectories(root);
    LocalCluster cluster = new LocalCluster(root, options);
    try {
      for (int i = 0; i < options.metadataServices(); i++) {
        cluster.metas.add(MetadataService.start(cluster.metaConfig(i, 0)));
      }
      for (int i = 0; i < options.storageServers(); i++) {
        cluster.servers.add(StorageServer.start(cluster.storageConfig(i, 0)));
      }
      cluster.awaitLiveNodes(options.storageServers());
      return cluster;
    } catch (RuntimeException | Error e) {
      cluster.close();
      throw e;
    }
  }

  /** Returns the config of donor {@code index}, on {@code port} (0 = any free port). */
  public StorageServerConfig storageConfig(int index, int port) {
    return StorageServerConfig.defaults(root.resolve("server-" + index))
        .withListen("127.0.0.1", port)
        .withMetaServices(metaAddresses(), options.heartbeatInterval())
        .withStorage(options.capacityBytes(), options.defaultQuotaBytes(),
            options.quotaBytesByKey())
        .withLimits(0, options.downloadBytesPerSecond(), StorageServerConfig.DEFAULT_CONNECTIONS_MAX)
        .withConnectionsPerAddress(LOOPBACK_CONNECTIONS_PER_ADDRESS_MAX)
        .withHeal(options.heal())
        .withZone(index < options.zones().size() ? options.zones().get(index) : null);
  }

  /**
   * Waits, bounded by {@link #READY_TIMEOUT}, until every service counts at least {@code count}
   * live donors; IllegalStateException naming the counts otherwise.
   */
  public void awaitLiveNodes(int count) {
    Await.until(READY_TIMEOUT, count + " storage servers registered",
        () -> "live per metadata service " + metas.stream()
            .map(MetadataService::liveNodeCount).toList(),
        () -> metas.stream().allMatch(service -> service.liveNodeCount() >= count));
  }

  /** Returns the first metadata service. */
  public MetadataService meta() {
    return metas.get(0);
  }

  /** Returns every metadata service, the first one first. */
  public List<MetadataService> metas() {
    return List.copyOf(metas);
  }

  public InetSocketAddress metaAddress() {
    return meta().address();
  }

  /** Returns the address of every metadata service, the first one first. */
  public List<InetSocketAddress> metaAddresses() {
    return metas.stream().map(MetadataService::address).toList();
  }

  /** Returns {@code host:port} of the first metadata service, as CLI and JDBC URLs take it. */
  public String metaHostPort() {
    return HostPort.format(metaAddress());
  }

  public List<StorageServer> servers() {
    return List.copyOf(servers);
  }

  public Path root() {
    return root;
  }

  /**
   * Stops metadata service {@code index}, runs {@code whileStopped} on its data directory (to
   * restore an old {@code heads.log}, say), starts it again on the same directory and port,
   * and waits until every donor heartbeats to it again.
   */
  public synchronized MetadataService restartMeta(int index, Consumer<Path> whileStopped) {
    MetadataService old = metas.get(index);
    InetSocketAddress address = old.address();
    old.close();
    MetadataServiceConfig config = metaConfig(index, address.getPort());
    whileStopped.accept(config.dataDir());
    MetadataService restarted = MetadataService.start(config);
    metas.set(index, restarted);
    awaitLiveNodes(servers.size());
    return restarted;
  }

  /**
   * Stops metadata service {@code index} (as a crash would, minus the kill), leaving its data
   * directory; {@link #startMeta} brings it back.
   */
  public synchronized void stopMeta(int index) {
    MetadataService service = metas.get(index);
    stoppedMetaPorts.put(index, service.address().getPort());
    service.close();
  }

  /**
   * Starts stopped metadata service {@code index} again on its directory and port, without
   * waiting for donors: it knows none until their next heartbeats, as after a real restart.
   */
  public synchronized MetadataService startMeta(int index) {
    Integer port = stoppedMetaPorts.remove(index);
    if (port == null) {
      throw new IllegalStateException("metadata service " + index + " is not stopped");
    }
    MetadataService restarted = MetadataService.start(metaConfig(index, port));
    metas.set(index, restarted);
    return restarted;
  }

  /**
   * Returns metadata service {@code index}'s config on {@code port} (0: a free one): the same
   * for its first start and every restart, so a restart keeps its audit schedule and limits.
   */
  private MetadataServiceConfig metaConfig(int index, int port) {
    return MetadataServiceConfig.of("127.0.0.1", port,
            root.resolve(index == 0 ? "meta" : "meta-" + index))
        .withDeadAfter(options.deadAfter())
        .withAudit(options.audit())
        .withLedger(options.ledger())
        .withConnections(0, LOOPBACK_CONNECTIONS_PER_ADDRESS_MAX);
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
    metas.forEach(MetadataService::close);
  }

  @Override
  public String toString() {
    return "LocalCluster[meta " + metaHostPort() + ", servers " + servers.stream()
        .map(s -> s.address().toString()).collect(Collectors.joining(", ")) + "]";
  }
}
