package dev.cairn.meta;

import static java.util.Objects.requireNonNull;

import dev.cairn.wire.CairnException;
import dev.cairn.wire.ConfigLayers;
import dev.cairn.wire.ErrorCode;
import dev.cairn.wire.HostPort;
import dev.cairn.wire.Units;
import dev.cairn.wire.rpc.RpcServer;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;

/**
 * How to run one metadata service, built in code ({@link #of} and the {@code with…} methods)
 * or from the keys of a config file ({@link #KEYS}) with the flags given laid over it ({@link
 * #load}; {@link ConfigLayers}: flag given, then file, then the default here).
 *
 * @param host address to listen on; {@value #DEFAULT_HOST} unless the operator names one
 * @param port port to listen on; 0 picks a free one (tests)
 * @param dataDir directory holding {@code node.key} and {@code heads.log}; created if absent
 * @param peers other metadata services to pull heads from; may be empty, may name this one
 * @param deadAfter how long a donor may stay silent before it counts as dead (default 30 s)
 * @param gossipInterval pause between two pulls from one peer (default 2 s)
 * @param audit how the service audits storage nodes (default {@link AuditSchedule#defaults})
 * @param connectionsMax open connections at most (0: the default, 1024)
 * @param connectionsPerAddressMax open connections from one IP address at most (0: the
 *     default, 128); see docs/operations.md, "Admission"
 * @param metrics address of the read-only HTTP endpoint serving {@code /metrics} and the status
 *     page, or null for none (the default)
 * @param ledger how the contribution ledger counts credit (default {@link
 *     LedgerSettings#defaults})
 */
public record MetadataServiceConfig(String host, int port, Path dataDir,
    List<InetSocketAddress> peers, Duration deadAfter, Duration gossipInterval,
    AuditSchedule audit, int connectionsMax, int connectionsPerAddressMax, HostPort metrics,
    LedgerSettings ledger) {
  /** How settings errors name this server. */
  private static final String SERVER = "metadata service";

  /** Interface bound unless told otherwise: loopback, so nothing is exposed by accident. */
  public static final String DEFAULT_HOST = "127.0.0.1";
  /** Port a metadata service listens on unless told otherwise. */
  public static final int DEFAULT_PORT = 7460;
  /** Default for {@link #deadAfter}. */
  public static final Duration DEAD_AFTER_DEFAULT = Duration.ofSeconds(30);
  /** Default for {@link #gossipInterval}. */
  public static final Duration GOSSIP_INTERVAL_DEFAULT = Duration.ofSeconds(2);

  /** Config keys, spelled as the flags of {@code cairn meta} without their dashes. */
  public static final String DATA = "data";
  public static final String LISTEN = "listen";
  /** Comma-separated {@code host:port} list; the flag {@code --peer} is repeatable. */
  public static final String PEER = "peer";
  public static final String DEAD_AFTER = "dead-after";
  public static final String GOSSIP_INTERVAL = "gossip-interval";
  /** Pause between two audit rounds ({@link AuditSchedule}). */
  public static final String AUDIT_EVERY = "audit-every";
  /** Time one audited byte must be held to earn one byte of credit ({@link LedgerSettings}). */
  public static final String CREDIT_PERIOD = "credit-period";
  /** Credit every member has from the start ({@link LedgerSettings}). */
  public static final String STARTER_ALLOWANCE = "starter-allowance";
  public static final String CONNECTIONS_MAX = "connections-max";
  public static final String CONNECTIONS_PER_ADDRESS_MAX = "connections-per-address-max";
  /** {@code host:port} of the metrics endpoint and status page; absent means none. */
  public static final String METRICS = "metrics";
  /** Port of the metrics endpoint when {@code metrics} names a host only. */
  public static final int DEFAULT_METRICS_PORT = 9470;
  /** Every key accepted; any other key is an error (a typo). */
  public static final Set<String> KEYS = Set.of(DATA, LISTEN, PEER, DEAD_AFTER,
      GOSSIP_INTERVAL, AUDIT_EVERY, CONNECTIONS_MAX, CONNECTIONS_PER_ADDRESS_MAX, METRICS,
      CREDIT_PERIOD, STARTER_ALLOWANCE);

  /** Fills in defaults for null durations and peers, and checks the rest. */
  public MetadataServiceConfig {
    requireNonNull(host, "host");
    requireNonNull(dataDir, "dataDir");
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("port must be 0..65535, not " + port);
    }
    peers = peers == null ? List.of() : List.copyOf(peers);
    deadAfter = deadAfter == null ? DEAD_AFTER_DEFAULT : deadAfter;
    gossipInterval = gossipInterval == null ? GOSSIP_INTERVAL_DEFAULT : gossipInterval;
    audit = audit == null ? AuditSchedule.defaults() : audit;
    ledger = ledger == null ? LedgerSettings.defaults() : ledger;
    connectionsMax = connectionsMax == 0 ? RpcServer.Options.CONNECTIONS_MAX_DEFAULT
        : connectionsMax;
    connectionsPerAddressMax = connectionsPerAddressMax == 0
        ? RpcServer.Options.CONNECTIONS_PER_ADDRESS_MAX_DEFAULT : connectionsPerAddressMax;
    if (connectionsMax < 1 || connectionsPerAddressMax < 1) {
      throw new IllegalArgumentException("connection limits must be positive, not "
          + connectionsMax + " and " + connectionsPerAddressMax);
    }
    if (deadAfter.isNegative() || deadAfter.isZero()) {
      throw new IllegalArgumentException("deadAfter must be positive, not " + deadAfter);
    }
    if (gossipInterval.isNegative() || gossipInterval.isZero()) {
      throw new IllegalArgumentException("gossipInterval must be positive, not "
          + gossipInterval);
    }
  }

  /** Returns a configuration with no peers and default timings. */
  public static MetadataServiceConfig of(String host, int port, Path dataDir) {
    return new MetadataServiceConfig(host, port, dataDir, List.of(), null, null, null, 0, 0,
        null, null);
  }

  /**
   * Reads {@code configFile} (Properties syntax; null for none), lays {@code flagsGiven} (the
   * flags the operator gave, as the same keys; never flag defaults) over it and builds the
   * config. BAD_FORMAT naming the key for an unknown key or a bad value.
   */
  public static MetadataServiceConfig load(Path configFile, Properties flagsGiven) {
    return fromProperties(ConfigLayers.merge(configFile, flagsGiven));
  }

  /** Builds a config from {@link #KEYS}; {@code data} is required, the rest have defaults. */
  public static MetadataServiceConfig fromProperties(Properties properties) {
    ConfigLayers.checkKnown(SERVER, properties, KEYS, Set.of());
    String data = ConfigLayers.value(properties, DATA);
    if (data == null) {
      throw new CairnException(ErrorCode.BAD_FORMAT,
          SERVER + " setting 'data' (the data directory) is required");
    }
    String listenText = ConfigLayers.value(properties, LISTEN);
    HostPort listen = listenText == null ? new HostPort(DEFAULT_HOST, DEFAULT_PORT)
        : parsed(LISTEN, () -> HostPort.parseListen(listenText, DEFAULT_PORT));
    List<InetSocketAddress> peers = new ArrayList<>();
    String peerText = ConfigLayers.value(properties, PEER);
    if (peerText != null) {
      for (String part : peerText.split(",")) {
        if (!part.isBlank()) {
          peers.add(parsed(PEER, () -> HostPort.parse(part.trim())).unresolved());
        }
      }
    }
    Duration deadAfter = duration(properties, DEAD_AFTER, DEAD_AFTER_DEFAULT);
    Duration gossip = duration(properties, GOSSIP_INTERVAL, GOSSIP_INTERVAL_DEFAULT);
    Duration auditEvery = duration(properties, AUDIT_EVERY, AuditSchedule.INTERVAL_DEFAULT);
    String metricsText = ConfigLayers.value(properties, METRICS);
    HostPort metrics = metricsText == null ? null
        : parsed(METRICS, () -> HostPort.parseListen(metricsText, DEFAULT_METRICS_PORT));
    return parsed("data", () -> new MetadataServiceConfig(listen.host(), listen.port(),
        Path.of(data), peers, deadAfter, gossip, new AuditSchedule(auditEvery,
            AuditSchedule.HINT_DELAY_DEFAULT, AuditSchedule.TIMEOUT_DEFAULT,
            AuditSchedule.CONCURRENCY_DEFAULT), count(properties, CONNECTIONS_MAX),
        count(properties, CONNECTIONS_PER_ADDRESS_MAX), metrics, ledger(properties)));
  }

  /** Reads the ledger settings; absent keys keep {@link LedgerSettings#defaults}. */
  private static LedgerSettings ledger(Properties properties) {
    LedgerSettings d = LedgerSettings.defaults();
    Duration period = duration(properties, CREDIT_PERIOD, d.creditPeriod());
    String allowance = ConfigLayers.value(properties, STARTER_ALLOWANCE);
    long allowanceBytes = allowance == null ? d.starterAllowanceBytes()
        : parsed(STARTER_ALLOWANCE, () -> Units.parseSize(allowance));
    return parsed(CREDIT_PERIOD, () -> new LedgerSettings(period, allowanceBytes,
        d.accrualInterval()));
  }

  /** Reads a positive count; absent is 0, which the constructor turns into the default. */
  private static int count(Properties properties, String key) {
    return ConfigLayers.parsed(SERVER, properties, key, 0, text -> {
      int n = Integer.parseInt(text.trim());
      if (n < 1) {
        throw new IllegalArgumentException("must be at least 1, not " + n);
      }
      return n;
    });
  }

  private static Duration duration(Properties properties, String key, Duration absent) {
    return ConfigLayers.parsed(SERVER, properties, key, absent, Units::parseDuration);
  }

  /** Runs {@code parser}, turning its complaint into BAD_FORMAT naming {@code key}. */
  private static <T> T parsed(String key, java.util.function.Supplier<T> parser) {
    return ConfigLayers.parsed(SERVER, key, parser);
  }

  /** Returns every setting as {@code key=value}, for the one start line an operator reads. */
  public String describe() {
    return LISTEN + "=" + new HostPort(host, port) + ", " + DATA + "=" + dataDir + ", "
        + PEER + "=" + (peers.isEmpty() ? "(none)" : peers.stream().map(HostPort::format)
            .toList()) + ", " + DEAD_AFTER + "=" + deadAfter.toMillis() + "ms, "
        + GOSSIP_INTERVAL + "=" + gossipInterval.toMillis() + "ms, " + AUDIT_EVERY + "="
        + (audit.scheduled() ? audit.interval().toMillis() + "ms" : "(on request only)") + ", "
        + CONNECTIONS_MAX + "=" + connectionsMax + ", " + CONNECTIONS_PER_ADDRESS_MAX + "="
        + connectionsPerAddressMax + ", " + METRICS + "="
        + (metrics == null ? "(off)" : metrics) + ", ledger=" + ledger;
  }

  /** Returns a copy with other peers. */
  public MetadataServiceConfig withPeers(List<InetSocketAddress> newPeers) {
    return new MetadataServiceConfig(host, port, dataDir, newPeers, deadAfter, gossipInterval,
        audit, connectionsMax, connectionsPerAddressMax, metrics, ledger);
  }

  /** Returns a copy with another dead-after time. */
  public MetadataServiceConfig withDeadAfter(Duration newDeadAfter) {
    return new MetadataServiceConfig(host, port, dataDir, peers, newDeadAfter, gossipInterval,
        audit, connectionsMax, connectionsPerAddressMax, metrics, ledger);
  }

  /** Returns a copy with another gossip interval. */
  public MetadataServiceConfig withGossipInterval(Duration newGossipInterval) {
    return new MetadataServiceConfig(host, port, dataDir, peers, deadAfter, newGossipInterval,
        audit, connectionsMax, connectionsPerAddressMax, metrics, ledger);
  }

  /** Returns a copy with another audit schedule. */
  public MetadataServiceConfig withAudit(AuditSchedule newAudit) {
    return new MetadataServiceConfig(host, port, dataDir, peers, deadAfter, gossipInterval,
        newAudit, connectionsMax, connectionsPerAddressMax, metrics, ledger);
  }

  /** Returns a copy with other connection limits (docs/operations.md, "Admission"). */
  public MetadataServiceConfig withConnections(int max, int perAddressMax) {
    return new MetadataServiceConfig(host, port, dataDir, peers, deadAfter, gossipInterval,
        audit, max, perAddressMax, metrics, ledger);
  }

  /** Returns a copy with other contribution ledger settings. */
  public MetadataServiceConfig withLedger(LedgerSettings newLedger) {
    return new MetadataServiceConfig(host, port, dataDir, peers, deadAfter, gossipInterval,
        audit, connectionsMax, connectionsPerAddressMax, metrics, newLedger);
  }

  /** Returns a copy serving metrics and the status page on {@code address} (null: off). */
  public MetadataServiceConfig withMetrics(HostPort address) {
    return new MetadataServiceConfig(host, port, dataDir, peers, deadAfter, gossipInterval,
        audit, connectionsMax, connectionsPerAddressMax, address, ledger);
  }
}
