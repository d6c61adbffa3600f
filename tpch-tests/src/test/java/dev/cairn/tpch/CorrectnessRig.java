package dev.cairn.tpch;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.fail;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.cairn.cluster.LocalCluster;
import dev.cairn.tpch.bench.DeleteTree;
import dev.cairn.tpchdata.ReferenceResult;
import dev.cairn.tpchdata.ResultMatch;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * What the benchmark correctness tests share: a temporary folder, 3 real storage servers, an
 * in-memory DuckDB as the reference, a HikariCP pool of jdbc:cairn connections, and the check
 * that Cairn answers a query as DuckDB does.
 */
final class CorrectnessRig implements AutoCloseable {
  private static final int SERVERS = 3;

  private final Path dir;
  private final LocalCluster cluster;
  private final Connection duckdb;
  private HikariDataSource pool;
  private final List<HikariDataSource> extraPools = new java.util.ArrayList<>();

  private CorrectnessRig(Path dir, LocalCluster cluster, Connection duckdb) {
    this.dir = dir;
    this.cluster = cluster;
    this.duckdb = duckdb;
  }

  /** Starts the cluster in a new temporary folder named after {@code prefix}, and DuckDB. */
  static CorrectnessRig start(String prefix) throws Exception {
    return start(prefix, SERVERS);
  }

  /** Like {@link #start(String)} with {@code servers} storage servers. */
  static CorrectnessRig start(String prefix, int servers) throws Exception {
    Path dir = Files.createTempDirectory(prefix);
    LocalCluster cluster = LocalCluster.start(dir.resolve("cluster"),
        LocalCluster.Options.of(servers));
    return new CorrectnessRig(dir, cluster, DriverManager.getConnection("jdbc:duckdb:"));
  }

  /** Returns the temporary folder, for generated data. */
  Path dir() {
    return dir;
  }

  /** Returns the running cluster, to publish to. */
  LocalCluster cluster() {
    return cluster;
  }

  /** Returns the reference DuckDB, to load the same data into. */
  Connection duckdb() {
    return duckdb;
  }

  /** Opens the pool of jdbc:cairn connections on {@code schema}, once the data is published. */
  void openPool(String schema) {
    pool = newPool(schema, "");
  }

  /**
   * Opens one more pool, on {@code schema} with URL {@code properties} (e.g. {@code
   * "?cache.size=333MiB"}), for another layout of the same data; closed with the rig.
   */
  HikariDataSource openExtraPool(String schema, String properties) {
    HikariDataSource extra = newPool(schema, properties);
    extraPools.add(extra);
    return extra;
  }

  private HikariDataSource newPool(String schema, String properties) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl("jdbc:cairn://" + cluster.metaHostPort() + "/" + schema + properties);
    config.setMaximumPoolSize(4);
    return new HikariDataSource(config);
  }

  /**
   * Runs {@code sql} on DuckDB and through jdbc:cairn, asserts by {@link ResultMatch} that the
   * answers match, and returns DuckDB's rows. A Cairn failure fails the test with its SQLState.
   */
  List<List<Object>> assertSameAnswer(String name, String sql) throws SQLException {
    return assertSameAnswer(pool, name, sql);
  }

  /** Like {@link #assertSameAnswer(String, String)} through {@code through}. */
  List<List<Object>> assertSameAnswer(HikariDataSource through, String name, String sql)
      throws SQLException {
    ReferenceResult expected = ReferenceResult.of(duckdb, sql);
    List<List<Object>> actual;
    try (Connection connection = through.getConnection();
        Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery(sql)) {
      actual = ResultMatch.rows(result);
    } catch (SQLException e) {
      String kind = e.getSQLState() != null && e.getSQLState().startsWith("42")
          ? "refused" : "error";
      fail(name + " " + kind + " (SQLState " + e.getSQLState() + "): "
          + firstLine(e.getMessage()), e);
      return List.of();
    }
    assertNull(expected.difference(actual), name + " wrong rows");
    return expected.rows();
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "(no message)";
    }
    int end = message.indexOf('\n');
    return end < 0 ? message : message.substring(0, end);
  }

  /** Closes the pool, DuckDB and the cluster, and deletes the temporary folder. */
  @Override
  public void close() throws Exception {
    if (pool != null) {
      pool.close();
    }
    extraPools.forEach(HikariDataSource::close);
    duckdb.close();
    cluster.close();
    DeleteTree.delete(dir);
  }
}
