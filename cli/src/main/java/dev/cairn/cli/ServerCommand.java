package dev.cairn.cli;

import static dev.cairn.cli.ConfigFlags.put;

import dev.cairn.server.StorageServer;
import dev.cairn.server.StorageServerConfig;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Runs a donor. Flags are the config file's keys (docs/operations.md); a flag given overrides
 * the same key in {@code --config}, which overrides the default. No flag has a picocli default,
 * so only flags the operator typed reach {@link StorageServerConfig#load}; the defaults live
 * there alone. Values are checked by the server's own config parser so that the file and the
 * flags accept exactly the same spellings.
 */
@Command(name = "server", mixinStandardHelpOptions = true,
    subcommands = ServerUsageCommand.class,
    description = "Run a storage server (donor): keeps blobs for writers within the limits you "
        + "set. 'cairn server usage' shows what it stores per writer key.")
final class ServerCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--listen", paramLabel = "HOST:PORT",
      description = "Address to listen on (default: 127.0.0.1:7470, this machine only; "
          + "0.0.0.0:7470 serves every interface).")
  String listen;

  @Option(names = "--data", paramLabel = "DIR", description = "Data directory (blobs, node key).")
  Path data;

  @Option(names = "--meta", paramLabel = "HOST:PORT[,HOST:PORT...]",
      description = "Metadata services to register with and heartbeat to (default: "
          + dev.cairn.wire.MetaDefault.ADDRESS + ", a 'cairn meta' on this machine).")
  String meta;

  @Option(names = "--capacity", paramLabel = "SIZE",
      description = "Disk space to give, e.g. 10GiB (default: free space, at most 10GiB).")
  String capacity;

  @Option(names = "--default-quota", paramLabel = "SIZE",
      description = "Quota of any writer key not named by --quota (default: 1GiB).")
  String defaultQuota;

  @Option(names = "--quota", paramLabel = "FINGERPRINT=SIZE",
      description = "Quota of one writer key; 0 refuses it. Repeatable.")
  Map<String, String> quotas = new LinkedHashMap<>();

  @Option(names = "--upload-limit", paramLabel = "RATE",
      description = "Limit on bytes received, e.g. 20MiB/s (default: none).")
  String uploadLimit;

  @Option(names = "--download-limit", paramLabel = "RATE",
      description = "Limit on bytes served, e.g. 20MiB/s (default: none).")
  String downloadLimit;

  @Option(names = "--connections-max", paramLabel = "N",
      description = "Open connections allowed; when full, connections that made no request "
          + "yet are closed to make room, else newcomers get BUSY (default: 1024).")
  Integer connectionsMax;

  @Option(names = "--heartbeat-interval", paramLabel = "DURATION",
      description = "Time between heartbeats to each metadata service (default: 2s).")
  String heartbeatInterval;

  @Option(names = "--zone", paramLabel = "NAME",
      description = "Failure domain (building, power feed, ISP): no two copies of a batch go to "
          + "one zone while enough zones are live. 1-64 of a-z A-Z 0-9 . - _ : / [ ] "
          + "(default: the advertised address's /24 or /48 network; on loopback, the "
          + "address with its port).")
  String zone;

  @Option(names = "--connections-per-address-max", paramLabel = "N",
      description = "Open connections allowed from one IP address (default: 128).")
  Integer connectionsPerAddressMax;

  @Option(names = "--advertise", paramLabel = "HOST:PORT",
      description = "Address others should use to reach this server (default: the bound one).")
  String advertise;

  @Option(names = "--repair-interval", paramLabel = "DURATION",
      description = "Pause between anti-entropy rounds (default: 30s).")
  String repairInterval;

  @Option(names = "--repair-limit", paramLabel = "RATE",
      description = "Limit on bytes pulled from peers to restore copies (default: 100MiB/s).")
  String repairLimit;

  @Option(names = "--scrub-interval", paramLabel = "DURATION",
      description = "Re-hash every held blob this often (default: 1h).")
  String scrubInterval;

  @Option(names = "--scrub-rate", paramLabel = "RATE",
      description = "Limit on bytes the scrubber reads (default: 50MiB/s).")
  String scrubRate;

  @Option(names = "--audit-interval", paramLabel = "DURATION",
      description = "Mean pause between two chunk audits of a peer sharing a blob with this "
          + "donor; each pause is random within ±50% (default: 10s).")
  String auditInterval;

  @Option(names = "--orphan-grace", paramLabel = "DURATION",
      description = "Drop a blob that no signed manifest names this long after its upload "
          + "(or a writer's last check of it), releasing its quota charge; a publish must "
          + "finish, or be resumed, within it (default: 24h).")
  String orphanGrace;

  @Option(names = "--readers", paramLabel = "POLICY",
      description = "Whom this donor serves blobs to: any (default), members (readers proving "
          + "a node key the metadata services know in good standing), or contributors[:RATIO] "
          + "(members whose audited credit plus the starter allowance is at least RATIO times "
          + "what they read; RATIO 1 if omitted, e.g. contributors:0.5). Repair and audits "
          + "between nodes are never refused; see docs/operations.md, \"Join the network\".")
  String readers;

  @Option(names = "--keep-versions", paramLabel = "FINGERPRINT=N",
      description = "Keep only the newest N versions of that writer key's tables (default: all "
          + "versions). Repeatable.")
  Map<String, String> keepVersions = new LinkedHashMap<>();

  @Option(names = "--metrics", paramLabel = "HOST:PORT",
      description = "Serve Prometheus metrics at /metrics and a read-only status page at / on "
          + "this address, e.g. 127.0.0.1:9470 (default: off).")
  String metrics;

  @Option(names = "--config", paramLabel = "FILE",
      description = "Properties file with the same keys as these flags; a flag given wins "
          + "over the file, the file over the default.")
  Path config;

  @Option(names = "--log-level", paramLabel = "LEVEL", description = Logging.HELP)
  String logLevel;

  @Override
  public Integer call() throws Exception {
    StorageServerConfig serverConfig = serverConfig();
    Logging.configure(logLevel());
    StopSignals signals = StopSignals.install();
    try (StorageServer server = StorageServer.start(serverConfig)) {
      System.out.println("cairn server listening on " + server.address()
          + ", node " + server.nodeKey().fingerprint()
          + ", capacity " + dev.cairn.wire.Units.formatSize(server.store().capacityBytes()));
      signals.onStop(() -> server.shutdown(StorageServer.SHUTDOWN_GRACE));
      server.runUntilShutdown();
    }
    return 0;
  }

  /** Returns the effective config: flags given, then the file, then the defaults. */
  StorageServerConfig serverConfig() {
    return ConfigFlags.load(spec, () -> StorageServerConfig.load(config, flags()));
  }

  /** Returns the log level: the flag given, then the file's {@code log-level}, then info. */
  java.util.logging.Level logLevel() {
    return ConfigFlags.load(spec, () -> Logging.resolve(config, logLevel));
  }

  private Properties flags() {
    Properties p = new Properties();
    put(p, StorageServerConfig.LISTEN, listen);
    put(p, StorageServerConfig.DATA, data);
    put(p, StorageServerConfig.META, meta);
    put(p, StorageServerConfig.CAPACITY, capacity);
    put(p, StorageServerConfig.DEFAULT_QUOTA, defaultQuota);
    put(p, StorageServerConfig.UPLOAD_LIMIT, uploadLimit);
    put(p, StorageServerConfig.DOWNLOAD_LIMIT, downloadLimit);
    put(p, StorageServerConfig.CONNECTIONS_MAX, connectionsMax);
    put(p, StorageServerConfig.HEARTBEAT_INTERVAL, heartbeatInterval);
    put(p, StorageServerConfig.CONNECTIONS_PER_ADDRESS_MAX, connectionsPerAddressMax);
    put(p, StorageServerConfig.ADVERTISE, advertise);
    put(p, StorageServerConfig.ZONE, zone);
    put(p, StorageServerConfig.REPAIR_INTERVAL, repairInterval);
    put(p, StorageServerConfig.REPAIR_LIMIT, repairLimit);
    put(p, StorageServerConfig.SCRUB_INTERVAL, scrubInterval);
    put(p, StorageServerConfig.SCRUB_RATE, scrubRate);
    put(p, StorageServerConfig.AUDIT_INTERVAL, auditInterval);
    put(p, StorageServerConfig.ORPHAN_GRACE, orphanGrace);
    put(p, StorageServerConfig.METRICS, metrics);
    put(p, StorageServerConfig.READERS, readers);
    quotas.forEach((fingerprint, size) ->
        p.setProperty(StorageServerConfig.QUOTA_PREFIX + fingerprint, size));
    keepVersions.forEach((fingerprint, count) ->
        p.setProperty(StorageServerConfig.KEEP_VERSIONS_PREFIX + fingerprint, count));
    return p;
  }
}
