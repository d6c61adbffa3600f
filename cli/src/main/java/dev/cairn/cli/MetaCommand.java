package dev.cairn.cli;

import static dev.cairn.cli.ConfigFlags.put;

import dev.cairn.meta.MetadataService;
import dev.cairn.meta.MetadataServiceConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Runs a metadata service: table heads with history, publisher names, the node registry. Flags
 * are the config file's keys; a flag given overrides the file, which overrides the default
 * ({@link MetadataServiceConfig#load}; no flag has a picocli default).
 */
@Command(name = "meta", mixinStandardHelpOptions = true,
    description = "Run a metadata service: signed table heads, names, live nodes, placement.")
final class MetaCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--listen", paramLabel = "HOST:PORT",
      description = "Address to listen on (default: 127.0.0.1:7460, this machine only; "
          + "0.0.0.0:7460 serves every interface).")
  String listen;

  @Option(names = "--data", paramLabel = "DIR",
      description = "Data directory (head log, node key, audit reputations). Required, here "
          + "or in --config.")
  Path data;

  @Option(names = "--peer", paramLabel = "HOST:PORT",
      description = "Another metadata service to exchange heads with. Repeatable; replaces "
          + "the file's 'peer' list.")
  List<String> peers = new ArrayList<>();

  @Option(names = "--dead-after", paramLabel = "DURATION",
      description = "Silence after which a storage server counts as dead (default: 30s).")
  String deadAfter;

  @Option(names = "--gossip-interval", paramLabel = "DURATION",
      description = "Pause between two pulls from one peer (default: 2s).")
  String gossipInterval;

  @Option(names = "--config", paramLabel = "FILE",
      description = "Properties file with the same keys as these flags; a flag given wins "
          + "over the file, the file over the default.")
  Path config;

  @Option(names = "--credit-period", paramLabel = "DURATION",
      description = "Time one audited byte must be held to earn one byte of reading credit "
          + "(default: 1d; docs/operations.md, \"Join the network\").")
  String creditPeriod;

  @Option(names = "--starter-allowance", paramLabel = "SIZE",
      description = "Reading credit every member has from the start (default: 1GiB).")
  String starterAllowance;

  @Option(names = "--audit-every", paramLabel = "DURATION",
      description = "Pause between audit rounds; each round asks every live storage server "
          + "for one random 64 KiB chunk of a blob it claims (default: 60s).")
  String auditEvery;

  @Option(names = "--connections-max", paramLabel = "N",
      description = "Open connections allowed; when full, connections that made no request "
          + "yet are closed to make room, else newcomers get BUSY (default: 1024).")
  String connectionsMax;

  @Option(names = "--connections-per-address-max", paramLabel = "N",
      description = "Open connections allowed from one IP address (default: 128).")
  String connectionsPerAddressMax;

  @Option(names = "--log-level", paramLabel = "LEVEL", description = Logging.HELP)
  String logLevel;

  @Option(names = "--metrics", paramLabel = "HOST:PORT",
      description = "Serve Prometheus metrics at /metrics and a read-only status page at / on "
          + "this address, e.g. 127.0.0.1:9470 (default: off).")
  String metrics;

  @Override
  public Integer call() throws Exception {
    MetadataServiceConfig serviceConfig = serviceConfig();
    Logging.configure(logLevel());
    StopSignals signals = StopSignals.install();
    try (MetadataService service = MetadataService.start(serviceConfig)) {
      System.out.println("cairn meta listening on " + service.address()
          + ", node " + service.nodeKey().fingerprint()
          + (serviceConfig.peers().isEmpty() ? "" : ", peers " + serviceConfig.peers()));
      signals.onStop(() -> service.shutdown(MetadataService.SHUTDOWN_GRACE));
      service.runUntilShutdown();
    }
    return 0;
  }

  /** Returns the effective config: flags given, then the file, then the defaults. */
  MetadataServiceConfig serviceConfig() {
    Properties flags = new Properties();
    put(flags, MetadataServiceConfig.LISTEN, listen);
    put(flags, MetadataServiceConfig.DATA, data);
    put(flags, MetadataServiceConfig.PEER, peers.isEmpty() ? null : String.join(",", peers));
    put(flags, MetadataServiceConfig.DEAD_AFTER, deadAfter);
    put(flags, MetadataServiceConfig.GOSSIP_INTERVAL, gossipInterval);
    put(flags, MetadataServiceConfig.AUDIT_EVERY, auditEvery);
    put(flags, MetadataServiceConfig.CREDIT_PERIOD, creditPeriod);
    put(flags, MetadataServiceConfig.STARTER_ALLOWANCE, starterAllowance);
    put(flags, MetadataServiceConfig.CONNECTIONS_MAX, connectionsMax);
    put(flags, MetadataServiceConfig.CONNECTIONS_PER_ADDRESS_MAX, connectionsPerAddressMax);
    put(flags, MetadataServiceConfig.METRICS, metrics);
    return ConfigFlags.load(spec, () -> MetadataServiceConfig.load(config, flags));
  }

  /** Returns the log level: the flag given, then the file's {@code log-level}, then info. */
  java.util.logging.Level logLevel() {
    return ConfigFlags.load(spec, () -> Logging.resolve(config, logLevel));
  }
}
