package dev.cairn.cli;

import dev.cairn.meta.MetadataService;
import dev.cairn.meta.MetadataServiceConfig;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Runs a metadata service: table heads with history, publisher names, the node registry. */
@Command(name = "meta", mixinStandardHelpOptions = true,
    description = "Run a metadata service: signed table heads, names, live nodes, placement.")
final class MetaCommand implements Callable<Integer> {
  @Option(names = "--listen", paramLabel = "HOST:PORT", defaultValue = "0.0.0.0:7460",
      converter = Converters.ListenAddress.class,
      description = "Address to listen on (default: ${DEFAULT-VALUE}).")
  InetSocketAddress listen;

  @Option(names = "--data", required = true, paramLabel = "DIR",
      description = "Data directory (head log, node key).")
  Path data;

  @Option(names = "--peer", paramLabel = "HOST:PORT", converter = Converters.Address.class,
      description = "Another metadata service to exchange heads with. Repeatable.")
  List<InetSocketAddress> peers = new ArrayList<>();

  @Option(names = "--dead-after", paramLabel = "DURATION", defaultValue = "30s",
      converter = Converters.Time.class,
      description = "Silence after which a storage server counts as dead (default: ${DEFAULT-VALUE}).")
  Duration deadAfter;

  @Option(names = "--connections-max", paramLabel = "N", defaultValue = "1024",
      description = "Open connections allowed; when full, connections that made no request "
          + "yet are closed to make room, else newcomers get BUSY (default: ${DEFAULT-VALUE}).")
  int connectionsMax;

  @Option(names = "--connections-per-address-max", paramLabel = "N", defaultValue = "128",
      description = "Open connections allowed from one IP address (default: ${DEFAULT-VALUE}).")
  int connectionsPerAddressMax;

  @Override
  public Integer call() throws Exception {
    MetadataServiceConfig config = MetadataServiceConfig
        .of(listen.getHostString(), listen.getPort(), data)
        .withPeers(peers)
        .withDeadAfter(deadAfter)
        .withConnections(connectionsMax, connectionsPerAddressMax);
    try (MetadataService service = MetadataService.start(config)) {
      System.out.println("cairn meta listening on " + service.address()
          + ", node " + service.nodeKey().fingerprint()
          + (peers.isEmpty() ? "" : ", peers " + peers));
      service.runUntilShutdown();
    }
    return 0;
  }
}
