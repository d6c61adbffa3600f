package dev.cairn.cli;

import dev.cairn.cluster.LocalCluster;
import dev.cairn.cli.demo.TpchDemo;
import dev.cairn.cli.demo.TpchDemo.PublishedTable;
import dev.cairn.server.StorageServer;
import dev.cairn.tpchdata.TpchTable;
import dev.cairn.wire.crypto.KeyFiles;
import dev.cairn.wire.crypto.SigningKey;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * A whole Cairn in one process with TPC-H loaded, then the SQL shell on it. With {@code -e} the
 * start-up report goes to stderr so that stdout holds only the statement's result.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Start a local cluster (1 metadata service, 3 storage servers), publish TPC-H "
        + "as schema tpch and open a SQL shell on it (or run one statement with -e).")
final class DemoCommand implements Callable<Integer> {
  static final int STORAGE_SERVERS = 3;
  static final int REPLICAS = 3;
  private static final String KEY_FILE = "demo-writer.key";

  @Spec CommandSpec spec;

  @Option(names = "--dir", paramLabel = "DIR",
      description = "Keep the cluster's data and the CSV files here (default: a temporary "
          + "directory deleted at exit).")
  Path dir;

  @Option(names = "--scale", paramLabel = "SF", defaultValue = "0.01",
      description = "TPC-H scale factor (default: ${DEFAULT-VALUE}; 1 is about 6 million "
          + "lineitem rows).")
  double scale;

  @Option(names = "-e", paramLabel = "SQL",
      description = "Run this statement, print its result as a table and exit.")
  String statement;

  @Option(names = "--log-level", paramLabel = "LEVEL",
      description = "Log level of the cluster's servers: error, warn, info, debug or trace "
          + "(default: warn; the demo's own report says what matters).")
  String logLevel;

  @Override
  public Integer call() throws Exception {
    Level level;
    try {
      level = logLevel == null ? Level.WARNING : Logging.parse(logLevel);
    } catch (dev.cairn.wire.CairnException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    if (!(scale > 0 && scale <= 1000)) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "--scale must be above 0 and at most 1000, got " + scale);
    }
    PrintStream report = statement == null ? System.out : System.err;
    // The servers' INFO lines are for operators; the demo's own report says what matters.
    Logger rootLogger = Logger.getLogger("");
    Level levelBefore = rootLogger.getLevel();
    rootLogger.setLevel(level);
    Path root = dir == null ? Files.createTempDirectory("cairn-demo-") : dir;
    Thread cleanup = dir == null ? new Thread(() -> deleteTree(root)) : null;
    if (cleanup != null) {
      Runtime.getRuntime().addShutdownHook(cleanup); // also on Ctrl-C during start-up
    }
    try (LocalCluster cluster = LocalCluster.start(root.resolve("cluster"),
        LocalCluster.Options.of(STORAGE_SERVERS))) {
      String url = loadTpch(cluster, root, report);
      report.println("JDBC URL   " + url);
      if (statement == null) {
        printSuggestions(report);
      }
      return SqlShell.run(url, statement);
    } finally {
      rootLogger.setLevel(levelBefore);
      if (cleanup != null) {
        Runtime.getRuntime().removeShutdownHook(cleanup);
        deleteTree(root);
      }
    }
  }

  /** Generates and publishes TPC-H, reporting as it goes; returns the JDBC URL of schema tpch. */
  private String loadTpch(LocalCluster cluster, Path root, PrintStream report)
      throws IOException {
    report.println("cairn demo: a local cluster with TPC-H at scale " + scale);
    report.println("  metadata service  " + cluster.metaHostPort());
    report.println("  storage servers   " + cluster.servers().stream()
        .map(StorageServer::address).map(a -> a.getHostString() + ":" + a.getPort())
        .collect(Collectors.joining(", ")));
    report.println("  data              " + root + (dir == null ? " (deleted at exit)" : ""));
    long startNanos = System.nanoTime();
    Map<TpchTable, Path> files = TpchDemo.generate(root.resolve("tpch-csv"), scale);
    double generated = (System.nanoTime() - startNanos) / 1e9;
    startNanos = System.nanoTime();
    List<PublishedTable> tables = TpchDemo.publish(List.of(cluster.metaAddress()),
        demoKey(root), files, REPLICAS);
    double published = (System.nanoTime() - startNanos) / 1e9;
    report.printf(Locale.ROOT, "generated TPC-H CSV in %.1f s; published %d tables as schema %s"
        + " (%d copies of every batch) in %.1f s:%n", generated, tables.size(), TpchDemo.SCHEMA,
        REPLICAS, published);
    for (PublishedTable table : tables) {
      report.printf(Locale.ROOT, "  %-9s %9d rows  version %d%n", table.table().tableName(),
          table.rows(), table.version());
    }
    return "jdbc:cairn://" + cluster.metaHostPort() + "/" + TpchDemo.SCHEMA;
  }

  /** The demo's writer key: kept in DIR so that a second run can publish the next versions. */
  private static SigningKey demoKey(Path root) {
    Path file = root.resolve(KEY_FILE);
    if (Files.exists(file)) {
      return KeyFiles.readSecretKey(file);
    }
    SigningKey key = SigningKey.generate(new SecureRandom());
    KeyFiles.writeSecretKey(file, key);
    return key;
  }

  private static void printSuggestions(PrintStream report) {
    report.println("Try:");
    report.println("  select * from cairn.tables;");
    report.println("  select l_returnflag, l_linestatus, sum(l_quantity) as sum_qty,"
        + " avg(l_extendedprice) as avg_price, count(*) as count_order from lineitem"
        + " where l_shipdate <= date '1998-09-02' group by l_returnflag, l_linestatus"
        + " order by l_returnflag, l_linestatus;");
    report.println("  select n_name, count(*) as customers from customer join nation"
        + " on c_nationkey = n_nationkey group by n_name order by customers desc limit 5;");
    report.println("(!tables lists tables, !quit or Ctrl-D leaves; the cluster stops with it)");
  }

  private static void deleteTree(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      System.err.println("cairn: could not delete " + root + ": " + e.getMessage());
    }
  }
}
