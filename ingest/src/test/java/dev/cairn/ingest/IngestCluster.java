package dev.cairn.ingest;

import dev.cairn.client.net.ConnectionPool;
import dev.cairn.client.net.MetaClient;
import dev.cairn.client.publish.ProgressListener;
import dev.cairn.client.publish.PublishRequest;
import dev.cairn.client.publish.PublishResult;
import dev.cairn.client.publish.Publisher;
import dev.cairn.cluster.LocalCluster;
import dev.cairn.wire.crypto.SigningKey;
import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * What the ingest tests share: a real three-donor {@link LocalCluster}, a writer publishing as
 * {@code alice} through the {@link IngestOpener}, and the rows of one query read through
 * {@code jdbc:cairn} or DuckDB, each value passed through the test's own normalisation so the
 * two drivers' objects compare equal.
 */
final class IngestCluster implements AutoCloseable {
  private static final Duration TIMEOUT = Duration.ofSeconds(20);

  private final LocalCluster cluster;
  private final ConnectionPool pool = new ConnectionPool(TIMEOUT);
  private final SigningKey writer = SigningKey.generate(new SecureRandom());

  private IngestCluster(LocalCluster cluster) {
    this.cluster = cluster;
  }

  /** Starts three donors and a metadata service under {@code dir}. */
  static IngestCluster start(Path dir) throws IOException {
    return new IngestCluster(LocalCluster.start(dir, LocalCluster.Options.of(3)));
  }

  /** Publishes {@code file} as {@code alice.table}; a null schema or delimiter is inferred. */
  PublishResult publish(String table, String schema, Character delimiter, Path file) {
    return new Publisher(pool, ProgressListener.NONE, new IngestOpener(delimiter))
        .publish(PublishRequest.of(List.of(cluster.metaAddress()), writer, "alice", table,
            List.of(file)).withSchema(schema));
  }

  /** Returns a client of the cluster's metadata service. */
  MetaClient meta() {
    return new MetaClient(pool, List.of(cluster.metaAddress()), TIMEOUT);
  }

  /** Returns the SQL type names of {@code alice.table}'s columns, as JDBC metadata lists them. */
  List<String> types(String table) throws SQLException {
    List<String> types = new ArrayList<>();
    try (Connection connection = DriverManager.getConnection(url());
        ResultSet rows = connection.getMetaData().getColumns(null, "alice", table, "%")) {
      while (rows.next()) {
        types.add(rows.getString("TYPE_NAME"));
      }
    }
    return types;
  }

  /** Returns the rows of {@code sql} read through {@code jdbc:cairn}, values normalised. */
  List<List<Object>> cairn(String sql, UnaryOperator<Object> normalize) throws SQLException {
    try (Connection connection = DriverManager.getConnection(url())) {
      return rows(connection, sql, normalize);
    }
  }

  /** Returns the rows of {@code sql} read by an in-memory DuckDB, values normalised. */
  static List<List<Object>> duckDb(String sql, UnaryOperator<Object> normalize)
      throws SQLException {
    try (Connection duckdb = DriverManager.getConnection("jdbc:duckdb:")) {
      return rows(duckdb, sql, normalize);
    }
  }

  /** Runs {@code sql} (for example a COPY that writes a fixture file) in an in-memory DuckDB. */
  static void duckDbExecute(String sql) throws SQLException {
    try (Connection duckdb = DriverManager.getConnection("jdbc:duckdb:");
        Statement statement = duckdb.createStatement()) {
      statement.execute(sql);
    }
  }

  private String url() {
    return "jdbc:cairn://" + cluster.metaHostPort() + "/alice";
  }

  private static List<List<Object>> rows(Connection connection, String sql,
      UnaryOperator<Object> normalize) throws SQLException {
    List<List<Object>> rows = new ArrayList<>();
    try (Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery(sql)) {
      int columns = result.getMetaData().getColumnCount();
      while (result.next()) {
        List<Object> row = new ArrayList<>(columns);
        for (int c = 1; c <= columns; c++) {
          row.add(normalize.apply(result.getObject(c)));
        }
        rows.add(row);
      }
    }
    return rows;
  }

  @Override
  public void close() {
    pool.close();
    cluster.close();
  }
}
