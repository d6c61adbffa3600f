package dev.cairn.cli;

import static dev.cairn.cli.ConfigFlags.put;

import dev.cairn.client.net.ConnectionPool;
import dev.cairn.client.net.MetaClient;
import dev.cairn.cluster.Await;
import dev.cairn.server.StorageServer;
import dev.cairn.server.StorageServerConfig;
import dev.cairn.wire.CairnException;
import dev.cairn.wire.ErrorCode;
import dev.cairn.wire.HostPort;
import dev.cairn.wire.Units;
import dev.cairn.wire.message.MetaMessages.NodeInfo;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Makes this machine a member in one command (docs/operations.md, "Join the network"): the
 * node key, a donor giving {@code --give} of disk and the bandwidth limits, registration with
 * the metadata services, and then a SQL shell (or, with {@code --serve-jdbc}, a JDBC URL kept
 * serving) whose reads are made under this node's identity. The donor's blobs, the node key,
 * the reader's cache and the one config file {@code cairn.properties} all live in {@code
 * --data}: the first join writes the file from its flags, later joins read it (flags given
 * still win, as for {@code cairn server}).
 */
@Command(name = "join", mixinStandardHelpOptions = true,
    description = {
        "Join a Cairn network: give disk space and bandwidth, and read its tables in return.",
        "",
        "Starts a storage server (donor) that keeps blobs for the network within --give, "
            + "registers it with the metadata services, and opens a SQL shell whose reads are "
            + "made as this node. Donors that serve only contributors (cairn server --readers) "
            + "serve you as long as the space you give, proved by audits, covers what you read. "
            + "Everything lives in --data: node.key (your identity: keep it), the donor's "
            + "blobs, the reader's cache, and cairn.properties (written by the first join, "
            + "read by the next). The donor runs while the shell is open; with --serve-jdbc it "
            + "keeps running and prints the JDBC URL for your tools (stop it with Ctrl-C).",
        "",
        "Example: cairn join --data ~/cairn --meta meta.example.org:7460 --give 50GiB "
            + "--up 10MiB/s --down 50MiB/s --listen 0.0.0.0:7470 "
            + "--advertise myhost.example.org:7470",
        ""})
final class JoinCommand implements Callable<Integer> {
  /** Name of the config file in the data directory. */
  static final String CONFIG_FILE = "cairn.properties";
  /** Sub-directory of the reader's verified batch cache. */
  static final String CACHE_DIR = "reader-cache";
  /** How long the metadata services may take to list this node as live. */
  static final Duration REGISTER_TIMEOUT = Duration.ofSeconds(30);
  /** Called with the running donor; tests use it to watch and stop a join. */
  static volatile Consumer<StorageServer> onStarted = server -> { };

  @Spec CommandSpec spec;

  @Option(names = "--data", paramLabel = "DIR", required = true,
      description = "The one directory of this member: node key, donor blobs, reader cache and "
          + CONFIG_FILE + ". Created if missing.")
  Path data;

  @Option(names = "--meta", paramLabel = "HOST:PORT[,HOST:PORT...]",
      description = "Metadata services of the network (default: from " + CONFIG_FILE + ", else "
          + dev.cairn.wire.MetaDefault.ADDRESS + ").")
  String meta;

  @Option(names = "--give", paramLabel = "SIZE",
      description = "Disk space to give the network, e.g. 50GiB (default: from " + CONFIG_FILE
          + ", else free space, at most 10GiB).")
  String give;

  @Option(names = "--up", paramLabel = "RATE",
      description = "Most bytes per second the donor sends, e.g. 10MiB/s (default: unlimited).")
  String up;

  @Option(names = "--down", paramLabel = "RATE",
      description = "Most bytes per second the donor receives, e.g. 50MiB/s (default: "
          + "unlimited).")
  String down;

  @Option(names = "--listen", paramLabel = "HOST:PORT",
      description = "Address the donor listens on (default: 127.0.0.1:7470, this machine only; "
          + "use 0.0.0.0:7470 with --advertise so that others can reach it).")
  String listen;

  @Option(names = "--advertise", paramLabel = "HOST:PORT",
      description = "Address others reach the donor at (default: the listen address).")
  String advertise;

  @Option(names = "--readers", paramLabel = "POLICY",
      description = "Whom your donor serves: any (default), members or contributors[:RATIO], as "
          + "for cairn server.")
  String readers;

  @Option(names = "--schema", paramLabel = "SCHEMA",
      description = "Default schema of the SQL shell and the JDBC URL (a publisher name).")
  String schema;

  @Option(names = "--serve-jdbc",
      description = "Keep the donor running and print the JDBC URL to use from tools, instead "
          + "of opening a shell; stop with Ctrl-C or SIGTERM.")
  boolean serveJdbc;

  @Option(names = "-e", paramLabel = "SQL",
      description = "Run this statement as this node, print its result and exit.")
  String statement;

  @Option(names = "--log-level", paramLabel = "LEVEL", description = Logging.HELP)
  String logLevel;

  @Override
  public Integer call() throws Exception {
    if (serveJdbc && statement != null) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "--serve-jdbc keeps running; -e runs one statement: give one of them");
    }
    Files.createDirectories(data);
    Path configFile = data.resolve(CONFIG_FILE);
    StorageServerConfig config = config(configFile);
    Logging.configure(Logging.resolve(null, logLevel == null
        ? (serveJdbc ? "info" : "warn") : logLevel));
    StopSignals signals = StopSignals.install();
    try (StorageServer server = StorageServer.start(config)) {
      writeConfigOnce(configFile);
      awaitRegistered(server, config);
      String url = jdbcUrl(config);
      System.out.println("cairn join: node " + server.nodeKey().fingerprint() + " gives "
          + Units.formatSize(server.store().capacityBytes()) + " at " + server.address()
          + " to " + metaList(config) + " (readers " + config.readers() + ")");
      System.out.println("JDBC URL: " + url);
      onStarted.accept(server);
      if (serveJdbc) {
        signals.onStop(() -> server.shutdown(StorageServer.SHUTDOWN_GRACE));
        server.runUntilShutdown();
        return 0;
      }
      return SqlShell.run(url, statement);
    }
  }

  /** Returns the donor config: flags given, then cairn.properties, then the defaults. */
  private StorageServerConfig config(Path configFile) {
    return ConfigFlags.load(spec, () -> StorageServerConfig.load(
        Files.exists(configFile) ? configFile : null, flags()));
  }

  private Properties flags() {
    Properties p = new Properties();
    p.setProperty(StorageServerConfig.DATA, data.toString());
    put(p, StorageServerConfig.META, meta);
    put(p, StorageServerConfig.CAPACITY, give);
    put(p, StorageServerConfig.UPLOAD_LIMIT, down);
    put(p, StorageServerConfig.DOWNLOAD_LIMIT, up);
    put(p, StorageServerConfig.LISTEN, listen);
    put(p, StorageServerConfig.ADVERTISE, advertise);
    put(p, StorageServerConfig.READERS, readers);
    return p;
  }

  /**
   * Writes the flags of the first join to cairn.properties, so that the next join (or {@code
   * cairn server --config}) runs the same donor; an existing file is never changed.
   */
  private void writeConfigOnce(Path configFile) throws IOException {
    if (Files.exists(configFile)) {
      return;
    }
    Properties p = flags();
    p.remove(StorageServerConfig.DATA);
    p.setProperty(StorageServerConfig.DATA, data.toAbsolutePath().toString());
    try (Writer out = Files.newBufferedWriter(configFile, StandardCharsets.UTF_8)) {
      p.store(out, "Cairn member settings, written by the first 'cairn join'; "
          + "cairn join --data " + data + " reads them (flags given still win)");
    }
  }

  /** Waits until a metadata service lists this node as live; IO_ERROR at the timeout. */
  private static void awaitRegistered(StorageServer server, StorageServerConfig config) {
    byte[] key = server.nodeKey().toBytes();
    try (ConnectionPool pool = new ConnectionPool(Duration.ofSeconds(5))) {
      MetaClient client = new MetaClient(pool, config.metaServices(), Duration.ofSeconds(5));
      boolean registered = Await.eventually(REGISTER_TIMEOUT, () -> {
        try {
          return client.nodes().stream().anyMatch(node -> live(node, key));
        } catch (CairnException e) {
          return false;
        }
      });
      if (!registered) {
        throw new CairnException(ErrorCode.IO_ERROR, "no metadata service of "
            + metaList(config) + " lists this node as live after "
            + REGISTER_TIMEOUT.toSeconds() + " s; check --meta and that they can reach "
            + server.address() + " (set --listen and --advertise)");
      }
    }
  }

  private static boolean live(NodeInfo node, byte[] key) {
    return node.live() && Arrays.equals(node.nodeKey(), key);
  }

  private static String metaList(StorageServerConfig config) {
    return config.metaServices().stream().map(HostPort::format)
        .collect(Collectors.joining(","));
  }

  /** Returns the JDBC URL reading as this node, with its cache in the data directory. */
  private String jdbcUrl(StorageServerConfig config) {
    return "jdbc:cairn://" + metaList(config) + (schema == null ? "" : "/" + schema)
        + "?node.key=" + data.toAbsolutePath().resolve("node.key")
        + "&cache.dir=" + data.toAbsolutePath().resolve(CACHE_DIR);
  }
}
