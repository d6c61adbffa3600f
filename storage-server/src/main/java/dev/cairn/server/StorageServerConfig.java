package dev.cairn.server;

import static java.util.Objects.requireNonNull;

import dev.cairn.server.heal.HealConfig;
import dev.cairn.server.social.ReaderPolicy;
import dev.cairn.wire.CairnException;
import dev.cairn.wire.ConfigLayers;
import dev.cairn.wire.ErrorCode;
import dev.cairn.wire.HostPort;
import dev.cairn.wire.MetaDefault;
import dev.cairn.wire.Units;
import dev.cairn.wire.Zone;
import dev.cairn.wire.crypto.Fingerprint;
import dev.cairn.wire.rpc.RpcServer;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.StringJoiner;
import java.util.function.Supplier;

/**
 * Everything a donor admin decides, as one immutable value (docs/operations.md, "Running a
 * donor").
 *
 * <p>Two ways to build one: {@link #defaults(Path)} and the {@code with…} methods, or {@link
 * #load(Path, Properties)} / {@link #fromProperties(Properties)} from the keys of a config file
 * ({@link #KEYS}), where command line flags given as the same keys override the file ({@link
 * ConfigLayers}: flag given, then file, then the default here). Sizes and rates are written as
 * {@link Units} parses them ({@code 10GiB}, {@code 20MiB/s}).
 *
 * @param listenHost interface to bind; {@value #DEFAULT_HOST} unless the operator names one
 *     ({@code 0.0.0.0} for all)
 * @param listenPort port to bind; 0 picks a free one (tests)
 * @param dataDirectory holds {@code node.key}, {@code ledger.log} and {@code store/}
 * @param metaServices metadata services to send heartbeats to; may be empty
 * @param capacityBytes most blob bytes stored; {@link #CAPACITY_AUTO} means min(10 GiB, the
 *     free disk space plus what the store already holds), decided at start
 * @param defaultQuotaBytes quota of any writer key not listed in {@code quotaBytesByKey}
 * @param quotaBytesByKey quotas by writer key fingerprint; 0 refuses that key
 * @param uploadBytesPerSecond limit on bytes received, server-wide; 0 unlimited
 * @param downloadBytesPerSecond limit on bytes sent, server-wide; 0 unlimited
 * @param connectionsMax open connections allowed; more are refused with BUSY
 * @param heartbeatInterval time between heartbeats to each metadata service
 * @param advertisedAddress {@code host:port} others should connect to, or null for the bound
 *     address (set it when binding a wildcard or behind NAT)
 * @param zone failure domain declared to metadata services ({@link Zone}), or null for the
 *     default derived from the advertised address at start ({@link Zone#defaultFor})
 * @param heal anti-entropy, scrubbing and version-keeping policy
 * @param connectionsPerAddressMax open connections allowed from one remote IP address; more
 *     are refused with BUSY (docs/operations.md, "Admission")
 * @param metrics address of the read-only HTTP endpoint serving {@code /metrics} and the status
 *     page, or null for none (the default: nothing is served unless asked)
 * @param readers whom blobs are served to ({@link ReaderPolicy}; default {@code any})
 */
public record StorageServerConfig(String listenHost, int listenPort, Path dataDirectory,
    List<InetSocketAddress> metaServices, long capacityBytes, long defaultQuotaBytes,
    Map<String, Long> quotaBytesByKey, long uploadBytesPerSecond, long downloadBytesPerSecond,
    int connectionsMax, Duration heartbeatInterval, String advertisedAddress, String zone,
    HealConfig heal, int connectionsPerAddressMax, HostPort metrics, ReaderPolicy readers) {
  /** How settings errors name this server. */
  private static final String SERVER = "storage server";

  /** Interface a donor binds unless told otherwise: loopback, so nothing is exposed by accident. */
  public static final String DEFAULT_HOST = "127.0.0.1";
  /** Port a donor listens on unless told otherwise. */
  public static final int DEFAULT_PORT = 7470;
  /** Marks a capacity to be decided from the disk at start. */
  public static final long CAPACITY_AUTO = 0;
  /** Upper bound of the automatic capacity: a donor gives 10 GiB unless told more. */
  public static final long DEFAULT_CAPACITY_BYTES_MAX = 10L << 30;
  /** Quota of a writer key nobody configured: enough for a few modest tables. */
  public static final long DEFAULT_QUOTA_BYTES = 1L << 30;
  public static final int DEFAULT_CONNECTIONS_MAX = RpcServer.Options.CONNECTIONS_MAX_DEFAULT;
  public static final int DEFAULT_CONNECTIONS_PER_ADDRESS_MAX =
      RpcServer.Options.CONNECTIONS_PER_ADDRESS_MAX_DEFAULT;
  public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofSeconds(2);

  /** Config keys. {@code quota.FINGERPRINT} keys set per-key quotas. */
  public static final String DATA = "data";
  public static final String LISTEN = "listen";
  public static final String ADVERTISE = "advertise";
  public static final String META = "meta";
  public static final String CAPACITY = "capacity";
  public static final String DEFAULT_QUOTA = "default-quota";
  public static final String QUOTA_PREFIX = "quota.";
  public static final String UPLOAD_LIMIT = "upload-limit";
  public static final String DOWNLOAD_LIMIT = "download-limit";
  public static final String CONNECTIONS_MAX = "connections-max";
  public static final String CONNECTIONS_PER_ADDRESS_MAX = "connections-per-address-max";
  public static final String HEARTBEAT_INTERVAL = "heartbeat-interval";
  public static final String ZONE = "zone";
  public static final String REPAIR_INTERVAL = "repair-interval";
  public static final String REPAIR_LIMIT = "repair-limit";
  public static final String SCRUB_INTERVAL = "scrub-interval";
  public static final String SCRUB_RATE = "scrub-rate";
  public static final String AUDIT_INTERVAL = "audit-interval";
  /** How long an unreferenced blob stays charged after upload (or a writer's last HAS). */
  public static final String ORPHAN_GRACE = "orphan-grace";
  /** {@code host:port} of the metrics endpoint and status page; absent means none. */
  public static final String METRICS = "metrics";
  /** Whom blobs are served to: {@code any}, {@code members}, {@code contributors[:RATIO]}. */
  public static final String READERS = "readers";
  /** Port of the metrics endpoint when {@code metrics} names a host only. */
  public static final int DEFAULT_METRICS_PORT = 9470;
  /** {@code keep-versions.FINGERPRINT=N}: keep only the newest N versions of that key's tables. */
  public static final String KEEP_VERSIONS_PREFIX = "keep-versions.";
  /** Prefixes of the per-key settings ({@code quota.FINGERPRINT}, {@code keep-versions.…}). */
  public static final Set<String> KEY_PREFIXES = Set.of(QUOTA_PREFIX, KEEP_VERSIONS_PREFIX);
  /** Every key accepted besides the prefixed ones; any other key is an error (a typo). */
  public static final Set<String> KEYS = Set.of(DATA, LISTEN, ADVERTISE, META, CAPACITY,
      DEFAULT_QUOTA, UPLOAD_LIMIT, DOWNLOAD_LIMIT, CONNECTIONS_MAX, CONNECTIONS_PER_ADDRESS_MAX,
      HEARTBEAT_INTERVAL, ZONE,
      REPAIR_INTERVAL, REPAIR_LIMIT, SCRUB_INTERVAL, SCRUB_RATE, AUDIT_INTERVAL, ORPHAN_GRACE,
      METRICS, READERS);

  /** Validates and copies. */
  public StorageServerConfig {
    requireNonNull(listenHost, "listenHost");
    requireNonNull(dataDirectory, "dataDirectory");
    metaServices = List.copyOf(metaServices);
    quotaBytesByKey = Map.copyOf(quotaBytesByKey);
    requireNonNull(heartbeatInterval, "heartbeatInterval");
    requireNonNull(heal, "heal");
    readers = readers == null ? ReaderPolicy.any() : readers;
    require(listenPort >= 0 && listenPort <= 65_535, "listen port must be 0..65535");
    require(capacityBytes >= 0, "capacity must be >= 0 (0 = automatic)");
    require(defaultQuotaBytes >= 0, "default quota must be >= 0");
    require(uploadBytesPerSecond >= 0 && downloadBytesPerSecond >= 0, "limits must be >= 0");
    require(connectionsMax >= 1, "connections-max must be >= 1");
    require(connectionsPerAddressMax >= 1, "connections-per-address-max must be >= 1");
    require(!heartbeatInterval.isNegative() && !heartbeatInterval.isZero(),
        "heartbeat interval must be > 0");
    if (zone != null) {
      ConfigLayers.parsed(SERVER, ZONE, () -> Zone.check(zone));
    }
    for (Map.Entry<String, Long> quota : quotaBytesByKey.entrySet()) {
      Fingerprint.parse(quota.getKey()); // BAD_FORMAT names a mistyped fingerprint
      require(quota.getValue() >= 0, "quota of " + quota.getKey() + " must be >= 0");
    }
  }

  private static void require(boolean condition, String problem) {
    if (!condition) {
      throw new CairnException(ErrorCode.BAD_FORMAT, "storage server config: " + problem);
    }
  }

  /** Returns the defaults: loopback, port {@value #DEFAULT_PORT}, no metadata service. */
  public static StorageServerConfig defaults(Path dataDirectory) {
    return new StorageServerConfig(DEFAULT_HOST, DEFAULT_PORT, dataDirectory, List.of(),
        CAPACITY_AUTO, DEFAULT_QUOTA_BYTES, Map.of(), 0, 0, DEFAULT_CONNECTIONS_MAX,
        DEFAULT_HEARTBEAT_INTERVAL, null, null, HealConfig.defaults(),
        DEFAULT_CONNECTIONS_PER_ADDRESS_MAX, null, null);
  }

  /**
   * Reads {@code configFile} (Properties syntax; null for none) and lays {@code flagsGiven}
   * (the command line flags the operator gave, as the same keys; never flag defaults) over it.
   */
  public static StorageServerConfig load(Path configFile, Properties flagsGiven) {
    return fromProperties(ConfigLayers.merge(configFile, flagsGiven));
  }

  /**
   * Builds a config from keys ({@link #KEYS}, {@code quota.FINGERPRINT}); {@code data} is
   * required, every other key has the default of {@link #defaults}. An unknown key or bad value
   * is BAD_FORMAT naming it.
   */
  public static StorageServerConfig fromProperties(Properties properties) {
    ConfigLayers.checkKnown(SERVER, properties, KEYS, KEY_PREFIXES);
    String data = value(properties, DATA);
    if (data == null) {
      throw new CairnException(ErrorCode.BAD_FORMAT,
          SERVER + " setting 'data' (the data directory) is required");
    }
    StorageServerConfig config = defaults(Path.of(data));
    String listen = value(properties, LISTEN);
    if (listen != null) {
      HostPort address = address(LISTEN, () -> HostPort.parseListen(listen, DEFAULT_PORT));
      config = config.withListen(address.host(), address.port());
    }
    return applyLimits(config, properties);
  }

  private static StorageServerConfig applyLimits(StorageServerConfig c, Properties p) {
    List<InetSocketAddress> metas = new ArrayList<>();
    // The one default of every --meta (MetaDefault); defaults() itself names none, for tests.
    String meta = Objects.requireNonNullElse(value(p, META), MetaDefault.ADDRESS);
    for (String part : meta.split(",")) {
      if (!part.isBlank()) {
        metas.add(address(META, () -> HostPort.parse(part.trim())).unresolved());
      }
    }
    Map<String, Long> quotas = new LinkedHashMap<>();
    for (String key : p.stringPropertyNames()) {
      if (key.startsWith(QUOTA_PREFIX)) {
        quotas.put(key.substring(QUOTA_PREFIX.length()), size(p, key, 0));
      }
    }
    return new StorageServerConfig(c.listenHost, c.listenPort, c.dataDirectory, metas,
        size(p, CAPACITY, CAPACITY_AUTO), size(p, DEFAULT_QUOTA, DEFAULT_QUOTA_BYTES), quotas,
        rate(p, UPLOAD_LIMIT), rate(p, DOWNLOAD_LIMIT),
        (int) number(p, CONNECTIONS_MAX, DEFAULT_CONNECTIONS_MAX),
        duration(p, HEARTBEAT_INTERVAL, DEFAULT_HEARTBEAT_INTERVAL), advertised(p),
        value(p, ZONE), heal(p), (int) number(p, CONNECTIONS_PER_ADDRESS_MAX,
            DEFAULT_CONNECTIONS_PER_ADDRESS_MAX), metrics(p), readers(p));
  }

  /** Returns the reader policy, {@code any} when none is set. */
  private static ReaderPolicy readers(Properties p) {
    return ConfigLayers.parsed(SERVER, p, READERS, ReaderPolicy.any(), ReaderPolicy::parse);
  }

  /** Returns the metrics endpoint's address, or null when none is asked for. */
  private static HostPort metrics(Properties p) {
    String text = value(p, METRICS);
    return text == null ? null
        : address(METRICS, () -> HostPort.parseListen(text, DEFAULT_METRICS_PORT));
  }

  /** Returns the advertised address as others will parse it, or null to use the bound one. */
  private static String advertised(Properties p) {
    String text = value(p, ADVERTISE);
    return text == null ? null : address(ADVERTISE, () -> HostPort.parse(text)).toString();
  }

  private static HealConfig heal(Properties p) {
    Map<String, Integer> keep = new LinkedHashMap<>();
    for (String key : p.stringPropertyNames()) {
      if (key.startsWith(KEEP_VERSIONS_PREFIX)) {
        String fingerprint = key.substring(KEEP_VERSIONS_PREFIX.length());
        Fingerprint.parse(fingerprint); // BAD_FORMAT names a mistyped fingerprint
        long versions = number(p, key, 0);
        if (versions < 1) {
          throw new CairnException(ErrorCode.BAD_FORMAT, SERVER + " setting '" + key
              + "': keep at least 1 version: the newest is always kept");
        }
        keep.put(fingerprint, (int) versions);
      }
    }
    HealConfig d = HealConfig.defaults();
    try {
      return new HealConfig(duration(p, REPAIR_INTERVAL, d.repairInterval()),
          rate(p, REPAIR_LIMIT, d.repairBytesPerSecond()),
          duration(p, SCRUB_INTERVAL, d.scrubInterval()),
          rate(p, SCRUB_RATE, d.scrubBytesPerSecond()), keep,
          duration(p, AUDIT_INTERVAL, d.auditInterval()),
          duration(p, ORPHAN_GRACE, d.orphanGrace()));
    } catch (IllegalArgumentException e) {
      throw new CairnException(ErrorCode.BAD_FORMAT, "storage server config: "
          + e.getMessage(), e);
    }
  }

  private static String value(Properties properties, String key) {
    return ConfigLayers.value(properties, key);
  }

  private static long size(Properties properties, String key, long absent) {
    return ConfigLayers.parsed(SERVER, properties, key, absent, Units::parseSize);
  }

  private static long rate(Properties properties, String key) {
    return rate(properties, key, 0);
  }

  private static long rate(Properties properties, String key, long absent) {
    return ConfigLayers.parsed(SERVER, properties, key, absent, Units::parseRate);
  }

  private static long number(Properties properties, String key, long absent) {
    return ConfigLayers.parsed(SERVER, properties, key, absent,
        text -> (long) Integer.parseInt(text));
  }

  private static Duration duration(Properties properties, String key, Duration absent) {
    return ConfigLayers.parsed(SERVER, properties, key, absent, Units::parseDuration);
  }

  /** Parses one address setting with {@code parser}, naming {@code key} in a BAD_FORMAT. */
  private static HostPort address(String key, Supplier<HostPort> parser) {
    return ConfigLayers.parsed(SERVER, key, parser);
  }

  /**
   * Returns every setting as {@code key=value} in the file's spelling, for the one start line
   * that tells an operator what the donor actually runs with; {@code capacity} and {@code
   * zone} are the effective ones (decided at start when left to their defaults).
   */
  public String describe(long effectiveCapacityBytes, String effectiveZone) {
    StringJoiner line = new StringJoiner(", ");
    line.add(LISTEN + "=" + new HostPort(listenHost, listenPort));
    line.add(ADVERTISE + "=" + (advertisedAddress == null ? "(bound address)"
        : advertisedAddress));
    line.add(DATA + "=" + dataDirectory);
    line.add(META + "=" + (metaServices.isEmpty() ? "(none)" : metaServices.stream()
        .map(HostPort::format).toList()));
    line.add(CAPACITY + "=" + Units.formatSize(effectiveCapacityBytes)
        + (capacityBytes == CAPACITY_AUTO ? " (automatic)" : ""));
    line.add(DEFAULT_QUOTA + "=" + Units.formatSize(defaultQuotaBytes));
    quotaBytesByKey.forEach((key, bytes) ->
        line.add(QUOTA_PREFIX + key + "=" + Units.formatSize(bytes)));
    line.add(UPLOAD_LIMIT + "=" + rateText(uploadBytesPerSecond));
    line.add(DOWNLOAD_LIMIT + "=" + rateText(downloadBytesPerSecond));
    line.add(CONNECTIONS_MAX + "=" + connectionsMax);
    line.add(CONNECTIONS_PER_ADDRESS_MAX + "=" + connectionsPerAddressMax);
    line.add(HEARTBEAT_INTERVAL + "=" + heartbeatInterval.toMillis() + "ms");
    line.add(ZONE + "=" + effectiveZone + (zone == null ? " (default)" : ""));
    line.add(REPAIR_INTERVAL + "=" + heal.repairInterval().toMillis() + "ms");
    line.add(REPAIR_LIMIT + "=" + rateText(heal.repairBytesPerSecond()));
    line.add(SCRUB_INTERVAL + "=" + heal.scrubInterval().toMillis() + "ms");
    line.add(SCRUB_RATE + "=" + rateText(heal.scrubBytesPerSecond()));
    line.add(AUDIT_INTERVAL + "=" + heal.auditInterval().toMillis() + "ms");
    line.add(ORPHAN_GRACE + "=" + heal.orphanGrace().toMillis() + "ms");
    heal.keepVersionsByKey().forEach((key, count) ->
        line.add(KEEP_VERSIONS_PREFIX + key + "=" + count));
    line.add(METRICS + "=" + (metrics == null ? "(off)" : metrics));
    line.add(READERS + "=" + readers);
    return line.toString();
  }

  private static String rateText(long bytesPerSecond) {
    return bytesPerSecond == 0 ? "unlimited" : Units.formatSize(bytesPerSecond) + "/s";
  }

  /** Returns this config listening on {@code host:port}. */
  public StorageServerConfig withListen(String host, int port) {
    return new StorageServerConfig(host, port, dataDirectory, metaServices, capacityBytes,
        defaultQuotaBytes, quotaBytesByKey, uploadBytesPerSecond, downloadBytesPerSecond,
        connectionsMax, heartbeatInterval, advertisedAddress, zone, heal,
        connectionsPerAddressMax, metrics, readers);
  }

  /** Returns this config sending heartbeats to {@code services} every {@code interval}. */
  public StorageServerConfig withMetaServices(List<InetSocketAddress> services,
      Duration interval) {
    return new StorageServerConfig(listenHost, listenPort, dataDirectory, services,
        capacityBytes, defaultQuotaBytes, quotaBytesByKey, uploadBytesPerSecond,
        downloadBytesPerSecond, connectionsMax, interval, advertisedAddress, zone, heal,
        connectionsPerAddressMax, metrics, readers);
  }

  /** Returns this config with the given capacity and quotas. */
  public StorageServerConfig withStorage(long capacity, long defaultQuota,
      Map<String, Long> quotas) {
    return new StorageServerConfig(listenHost, listenPort, dataDirectory, metaServices,
        capacity, defaultQuota, quotas, uploadBytesPerSecond, downloadBytesPerSecond,
        connectionsMax, heartbeatInterval, advertisedAddress, zone, heal,
        connectionsPerAddressMax, metrics, readers);
  }

  /** Returns this config with the given bandwidth limits (0 unlimited) and connection limit. */
  public StorageServerConfig withLimits(long uploadPerSecond, long downloadPerSecond,
      int connections) {
    return new StorageServerConfig(listenHost, listenPort, dataDirectory, metaServices,
        capacityBytes, defaultQuotaBytes, quotaBytesByKey, uploadPerSecond, downloadPerSecond,
        connections, heartbeatInterval, advertisedAddress, zone, heal,
        connectionsPerAddressMax, metrics, readers);
  }

  /** Returns this config allowing {@code perAddressMax} connections from one IP address. */
  public StorageServerConfig withConnectionsPerAddress(int perAddressMax) {
    return new StorageServerConfig(listenHost, listenPort, dataDirectory, metaServices,
        capacityBytes, defaultQuotaBytes, quotaBytesByKey, uploadBytesPerSecond,
        downloadBytesPerSecond, connectionsMax, heartbeatInterval, advertisedAddress, zone, heal,
        perAddressMax, metrics, readers);
  }

  /** Returns this config with another anti-entropy, scrub and version-keeping policy. */
  public StorageServerConfig withHeal(HealConfig newHeal) {
    return new StorageServerConfig(listenHost, listenPort, dataDirectory, metaServices,
        capacityBytes, defaultQuotaBytes, quotaBytesByKey, uploadBytesPerSecond,
        downloadBytesPerSecond, connectionsMax, heartbeatInterval, advertisedAddress, zone,
        newHeal, connectionsPerAddressMax, metrics, readers);
  }

  /** Returns this config declaring {@code newZone} (null for the default) as its zone. */
  public StorageServerConfig withZone(String newZone) {
    return new StorageServerConfig(listenHost, listenPort, dataDirectory, metaServices,
        capacityBytes, defaultQuotaBytes, quotaBytesByKey, uploadBytesPerSecond,
        downloadBytesPerSecond, connectionsMax, heartbeatInterval, advertisedAddress, newZone,
        heal,
        connectionsPerAddressMax, metrics, readers);
  }

  /** Returns this config advertising {@code hostAndPort} to metadata services. */
  public StorageServerConfig withAdvertisedAddress(String hostAndPort) {
    return new StorageServerConfig(listenHost, listenPort, dataDirectory, metaServices,
        capacityBytes, defaultQuotaBytes, quotaBytesByKey, uploadBytesPerSecond,
        downloadBytesPerSecond, connectionsMax, heartbeatInterval, hostAndPort, zone, heal,
        connectionsPerAddressMax, metrics, readers);
  }

  /** Returns this config serving blobs to the readers {@code policy} admits. */
  public StorageServerConfig withReaders(ReaderPolicy policy) {
    return new StorageServerConfig(listenHost, listenPort, dataDirectory, metaServices,
        capacityBytes, defaultQuotaBytes, quotaBytesByKey, uploadBytesPerSecond,
        downloadBytesPerSecond, connectionsMax, heartbeatInterval, advertisedAddress, zone, heal,
        connectionsPerAddressMax, metrics, policy);
  }

  /** Returns this config serving metrics and the status page on {@code address} (null: off). */
  public StorageServerConfig withMetrics(HostPort address) {
    return new StorageServerConfig(listenHost, listenPort, dataDirectory, metaServices,
        capacityBytes, defaultQuotaBytes, quotaBytesByKey, uploadBytesPerSecond,
        downloadBytesPerSecond, connectionsMax, heartbeatInterval, advertisedAddress, zone, heal,
        connectionsPerAddressMax, address, readers);
  }
}
