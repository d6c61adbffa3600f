package dev.cairn.cli;

import dev.cairn.meta.AuditSchedule;
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
      description = "Data directory (head log, node key, audit reputations).")
  Path data;

  @Option(names = "--peer", paramLabel = "HOST:PORT", converter = Converters.Address.class,
      description = "Another metadata service to exchange heads with. Repeatable.")
  List<InetSocketAddress> peers = new ArrayList<>();

  @Option(names = "--dead-after", paramLabel = "DURATION", defaultValue = "30s",
      converter = Converters.Time.class,
      description = "Silence after which a storage server counts as dead (default: ${DEFAULT-VALUE}).")
  Duration deadAfter;

  @Option(names = "--audit-every", paramLabel = "DURATION", defaultValue = "60s",
      converter = Converters.Time.class,
      description = "Pause between audit rounds; each round asks every live storage server "
          + "for one random 64 KiB chunk of a blob it claims (default: ${DEFAULT-VALUE}).")
  Duration auditEvery;

  @Override
  public Integer call() throws Exception {
    MetadataServiceConfig config = MetadataServiceConfig
        .of(listen.getHostString(), listen.getPort(), data)
        .withPeers(peers)
        .withDeadAfter(deadAfter)
        .withAudit(new AuditSchedule(auditEvery, AuditSchedule.HINT_DELAY_DEFAULT,
            AuditSchedule.TIMEOUT_DEFAULT, AuditSchedule.CONCURRENCY_DEFAULT));
    try (MetadataService service = MetadataService.start(config)) {
      System.out.println("cairn meta listening on " + service.address()
          + ", node " + service.nodeKey().fingerprint()
          + (peers.isEmpty() ? "" : ", peers " + peers));
      service.runUntilShutdown();
    }
    return 0;
  }
}
