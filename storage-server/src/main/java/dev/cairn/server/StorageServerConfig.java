package dev.cairn.server;

import static java.util.Objects.requireNonNull;

import dev.cairn.server.heal.HealConfig;
import dev.cairn.wire.CairnException;
import dev.cairn.wire.ErrorCode;
import dev.cairn.wire.HostPort;
import dev.cairn.wire.Units;
import dev.cairn.wire.crypto.Fingerprint;
import dev.cairn.wire.rpc.RpcServer;
import java.io.IOException;
import java.io.Reader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Everything a donor admin decides, as one immutable value (docs/operations.md, "Running a
 * donor").
 *
 * <p>Two ways to build one: {@link #defaults(Path)} and the {@code with…} methods, or {@link
 * #load(Path, Properties)} / {@link #fromProperties(Properties)} from the keys of a config file
 * ({@link #KEYS}), where command line flags given as the same keys override the file. Sizes and
 * rates are written as {@link Units} parses them ({@code 10GiB}, {@code 20MiB/s}).
 *
 * @param listenHost interface to bind; {@code 0.0.0.0} for all
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
 * @param heal anti-entropy, scrubbing and version-keeping policy
 * @param connectionsPerAddressMax open connections allowed from one remote IP address; more
 *     are refused with BUSY (docs/operations.md, "Admission")
 */
public record StorageServerConfig(String listenHost, int listenPort, Path dataDirectory,
    List<InetSocketAddress> metaServices, long capacityBytes, long defaultQuotaBytes,
    Map<String, Long> quotaBytesByKey, long uploadBytesPerSecond, long downloadBytesPerSecond,
    int connectionsMax, Duration heartbeatInterval, String advertisedAddress, HealConfig heal,
    int connectionsPerAddressMax) {

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
  public static final String REPAIR_INTERVAL = "repair-interval";
  public static final String REPAIR_LIMIT = "repair-limit";
  public static final String SCRUB_INTERVAL = "scrub-interval";
  public static final String SCRUB_RATE = "scrub-rate";
  /** {@code keep-versions.FINGERPRINT=N}: keep only the newest N versions of that key's tables. */
  public static final String KEEP_VERSIONS_PREFIX = "keep-versions.";
  /** Every key accepted besides the prefixed ones; any other key is an error (a typo). */
  public static final Set<String> KEYS = Set.of(DATA, LISTEN, ADVERTISE, META, CAPACITY,
      DEFAULT_QUOTA, UPLOAD_LIMIT, DOWNLOAD_LIMIT, CONNECTIONS_MAX, CONNECTIONS_PER_ADDRESS_MAX,
      HEARTBEAT_INTERVAL,
      REPAIR_INTERVAL, REPAIR_LIMIT, SCRUB_INTERVAL, SCRUB_RATE);

  /** Validates and copies. */
  public StorageServerConfig {
    requireNonNull(listenHost, "listenHost");
    requireNonNull(dataDirectory, "dataDirectory");
    metaServices = List.copyOf(metaServices);
    quotaBytesByKey = Map.copyOf(quotaBytesByKey);
    requireNonNull(heartbeatInterval, "heartbeatInterval");
    requireNonNull(heal, "heal");
    require(listenPort >= 0 && listenPort <= 65_535, "listen port must be 0..65535");
    require(capacityBytes >= 0, "capacity must be >= 0 (0 = automatic)");
    require(defaultQuotaBytes >= 0, "default quota must be >= 0");
    require(uploadBytesPerSecond >= 0 && downloadBytesPerSecond >= 0, "limits must be >= 0");
    require(connectionsMax >= 1, "connections-max must be >= 1");
    require(connectionsPerAddressMax >= 1, "connections-per-address-max must be >= 1");
    require(!heartbeatInterval.isNegative() && !heartbeatInterval.isZero(),
        "heartbeat interval must be > 0");
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

  /** Returns the defaults: all interfaces, port {@value #DEFAULT_PORT}, no metadata service. */
  public static StorageServerConfig defaults(Path dataDirectory) {
    return new StorageServerConfig("0.0.0.0", DEFAULT_PORT, dataDirectory, List.of(),
        CAPACITY_AUTO, DEFAULT_QUOTA_BYTES, Map.of(), 0, 0, DEFAULT_CONNECTIONS_MAX,
        DEFAULT_HEARTBEAT_INTERVAL, null, HealConfig.defaults(),
        DEFAULT_CONNECTIONS_PER_ADDRESS_MAX);
  }

  /**
   * Reads {@code configFile} (Properties syntax; null for none) and lays {@code overrides}
   * (typically the command line flags, as the same keys) over it.
   */
  public static StorageServerConfig load(Path configFile, Properties overrides) {
    Properties merged = new Properties();
    if (configFile != null) {
      try (Reader reader = Files.newBufferedReader(configFile, StandardCharsets.UTF_8)) {
        merged.load(reader);
      } catch (IOException e) {
        throw new CairnException(ErrorCode.IO_ERROR,
            "cannot read config file " + configFile + ": " + e.getMessage(), e);
      }
    }
    if (overrides != null) {
      merged.putAll(overrides);
    }
    return fromProperties(merged);
  }

  /**
   * Builds a config from keys ({@link #KEYS}, {@code quota.FINGERPRINT}); {@code data} is
   * required, every other key has the default of {@link #defaults}. An unknown key or bad value
   * is BAD_FORMAT naming it.
   */
  public static StorageServerConfig fromProperties(Properties properties) {
    for (String key : properties.stringPropertyNames()) {
      if (!KEYS.contains(key) && !key.startsWith(QUOTA_PREFIX)
          && !key.startsWith(KEEP_VERSIONS_PREFIX)) {
        throw new CairnException(ErrorCode.BAD_FORMAT, "unknown storage server setting '"
            + key + "'; known: " + KEYS + ", quota.FINGERPRINT and keep-versions.FINGERPRINT");
      }
    }
    String data = value(properties, DATA);
    if (data == null) {
      throw new CairnException(ErrorCode.BAD_FORMAT,
          "storage server setting 'data' (the data directory) is required");
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
    String meta = value(p, META);
    if (meta != null) {
      for (String part : meta.split(",")) {
        if (!part.isBlank()) {
          metas.add(address(META, () -> HostPort.parse(part.trim())).unresolved());
        }
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
        heal(p), (int) number(p, CONNECTIONS_PER_ADDRESS_MAX,
            DEFAULT_CONNECTIONS_PER_ADDRESS_MAX));
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
          throw badValue(key, new IllegalArgumentException(
              "keep at least 1 version: the newest is always kept"));
        }
        keep.put(fingerprint, (int) versions);
      }
    }
    HealConfig d = HealConfig.defaults();
    try {
      return new HealConfig(duration(p, REPAIR_INTERVAL, d.repairInterval()),
          rate(p, REPAIR_LIMIT, d.repairBytesPerSecond()),
          duration(p, SCRUB_INTERVAL, d.scrubInterval()),
          rate(p, SCRUB_RATE, d.scrubBytesPerSecond()), keep);
    } catch (IllegalArgumentException e) {
      throw new CairnException(ErrorCode.BAD_FORMAT, "storage server config: "
          + e.getMessage(), e);
    }
  }

  private static String value(Properties properties, String key) {
    String value = properties.getProperty(key);
    return value == null || value.isBlank() ? null : value.trim();
  }

  private static long size(Properties properties, String key, long absent) {
    String text = value(properties, key);
    try {
      return text == null ? absent : Units.parseSize(text);
    } catch (IllegalArgumentException e) {
      throw badValue(key, e);
    }
  }

  private static long rate(Properties properties, String key) {
    return rate(properties, key, 0);
  }

  private static long rate(Properties properties, String key, long absent) {
    String text = value(properties, key);
    try {
      return text == null ? absent : Units.parseRate(text);
    } catch (IllegalArgumentException e) {
      throw badValue(key, e);
    }
  }

  private static long number(Properties properties, String key, long absent) {
    String text = value(properties, key);
    try {
      return text == null ? absent : Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw badValue(key, e);
    }
  }

  private static Duration duration(Properties properties, String key, Duration absent) {
    String text = value(properties, key);
    try {
      return text == null ? absent : Units.parseDuration(text);
    } catch (IllegalArgumentException e) {
      throw badValue(key, e);
    }
  }

  private static CairnException badValue(String key, Exception cause) {
    return new CairnException(ErrorCode.BAD_FORMAT,
        "storage server setting '" + key + "': " + cause.getMessage(), cause);
  }

  /** Parses one address setting with {@code parser}, naming {@code key} in a BAD_FORMAT. */
  private static HostPort address(String key, Supplier<HostPort> parser) {
    try {
      return parser.get();
    } catch (CairnException e) {
      throw new CairnException(ErrorCode.BAD_FORMAT, "storage server setting '" + key + "': "
          + e.detail(), e);
    }
  }

  /** Returns this config listening on {@code host:port}. */
  public StorageServerConfig withListen(String host, int port) {
    return new StorageServerConfig(host, port, dataDirectory, metaServices, capacityBytes,
        defaultQuotaBytes, quotaBytesByKey, uploadBytesPerSecond, downloadBytesPerSecond,
        connectionsMax, heartbeatInterval, advertisedAddress, heal,
        connectionsPerAddressMax);
  }

  /** Returns this config sending heartbeats to {@code services} every {@code interval}. */
  public StorageServerConfig withMetaServices(List<InetSocketAddress> services,
      Duration interval) {
    return new StorageServerConfig(listenHost, listenPort, dataDirectory, services,
        capacityBytes, defaultQuotaBytes, quotaBytesByKey, uploadBytesPerSecond,
        downloadBytesPerSecond, connectionsMax, interval, advertisedAddress, heal,
        connectionsPerAddressMax);
  }

  /** Returns this config with the given capacity and quotas. */
  public StorageServerConfig withStorage(long capacity, long defaultQuota,
      Map<String, Long> quotas) {
    return new StorageServerConfig(listenHost, listenPort, dataDirectory, metaServices,
        capacity, defaultQuota, quotas, uploadBytesPerSecond, downloadBytesPerSecond,
        connectionsMax, heartbeatInterval, advertisedAddress, heal,
        connectionsPerAddressMax);
  }

  /** Returns this config with the given bandwidth limits (0 unlimited) and connection limit. */
  public StorageServerConfig withLimits(long uploadPerSecond, long downloadPerSecond,
      int connections) {
    return new StorageServerConfig(listenHost, listenPort, dataDirectory, metaServices,
        capacityBytes, defaultQuotaBytes, quotaBytesByKey, uploadPerSecond, downloadPerSecond,
        connections, heartbeatInterval, advertisedAddress, heal,
        connectionsPerAddressMax);
  }

  /** Returns this config allowing {@code perAddressMax} connections from one IP address. */
  public StorageServerConfig withConnectionsPerAddress(int perAddressMax) {
    return new StorageServerConfig(listenHost, listenPort, dataDirectory, metaServices,
        capacityBytes, defaultQuotaBytes, quotaBytesByKey, uploadBytesPerSecond,
        downloadBytesPerSecond, connectionsMax, heartbeatInterval, advertisedAddress, heal,
        perAddressMax);
  }

  /** Returns this config with another anti-entropy, scrub and version-keeping policy. */
  public StorageServerConfig withHeal(HealConfig newHeal) {
    return new StorageServerConfig(listenHost, listenPort, dataDirectory, metaServices,
        capacityBytes, defaultQuotaBytes, quotaBytesByKey, uploadBytesPerSecond,
        downloadBytesPerSecond, connectionsMax, heartbeatInterval, advertisedAddress, newHeal,
        connectionsPerAddressMax);
  }

  /** Returns this config advertising {@code hostAndPort} to metadata services. */
  public StorageServerConfig withAdvertisedAddress(String hostAndPort) {
    return new StorageServerConfig(listenHost, listenPort, dataDirectory, metaServices,
        capacityBytes, defaultQuotaBytes, quotaBytesByKey, uploadBytesPerSecond,
        downloadBytesPerSecond, connectionsMax, heartbeatInterval, hostAndPort, heal,
        connectionsPerAddressMax);
  }
}
