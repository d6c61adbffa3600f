package dev.cairn.meta;

import static java.util.Objects.requireNonNull;

import dev.cairn.wire.rpc.RpcServer;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * How to run one metadata service.
 *
 * @param host address to listen on, e.g. {@code 0.0.0.0} or {@code 127.0.0.1}
 * @param port port to listen on; 0 picks a free one (tests)
 * @param dataDir directory holding {@code node.key} and {@code heads.log}; created if absent
 * @param peers other metadata services to pull heads from; may be empty, may name this one
 * @param deadAfter how long a donor may stay silent before it counts as dead (default 30 s)
 * @param gossipInterval pause between two pulls from one peer (default 2 s)
 * @param connectionsMax open connections at most (0: the default, 1024)
 * @param connectionsPerAddressMax open connections from one IP address at most (0: the
 *     default, 128); see docs/operations.md, "Admission"
 */
public record MetadataServiceConfig(String host, int port, Path dataDir,
    List<InetSocketAddress> peers, Duration deadAfter, Duration gossipInterval,
    int connectionsMax, int connectionsPerAddressMax) {
  /** Default for {@link #deadAfter}. */
  public static final Duration DEAD_AFTER_DEFAULT = Duration.ofSeconds(30);
  /** Default for {@link #gossipInterval}. */
  public static final Duration GOSSIP_INTERVAL_DEFAULT = Duration.ofSeconds(2);

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
    return new MetadataServiceConfig(host, port, dataDir, List.of(), null, null, 0, 0);
  }

  /** Returns a copy with other peers. */
  public MetadataServiceConfig withPeers(List<InetSocketAddress> newPeers) {
    return new MetadataServiceConfig(host, port, dataDir, newPeers, deadAfter, gossipInterval,
        connectionsMax, connectionsPerAddressMax);
  }

  /** Returns a copy with another dead-after time. */
  public MetadataServiceConfig withDeadAfter(Duration newDeadAfter) {
    return new MetadataServiceConfig(host, port, dataDir, peers, newDeadAfter, gossipInterval,
        connectionsMax, connectionsPerAddressMax);
  }

  /** Returns a copy with another gossip interval. */
  public MetadataServiceConfig withGossipInterval(Duration newGossipInterval) {
    return new MetadataServiceConfig(host, port, dataDir, peers, deadAfter, newGossipInterval,
        connectionsMax, connectionsPerAddressMax);
  }

  /** Returns a copy with other connection limits (docs/operations.md, "Admission"). */
  public MetadataServiceConfig withConnections(int max, int perAddressMax) {
    return new MetadataServiceConfig(host, port, dataDir, peers, deadAfter, gossipInterval,
        max, perAddressMax);
  }
}
