package dev.cairn.jdbc;

import dev.cairn.client.net.ConnectionPool;
import dev.cairn.client.net.MetaClient;
import dev.cairn.client.publish.ProgressListener;
import dev.cairn.client.publish.PublishRequest;
import dev.cairn.client.publish.PublishResult;
import dev.cairn.client.publish.Publisher;
import dev.cairn.cluster.LocalCluster;
import dev.cairn.meta.MetadataService;
import dev.cairn.server.StorageServer;
import dev.cairn.wire.HostPort;
import dev.cairn.wire.crypto.SigningKey;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * A {@link LocalCluster} with two metadata services (a main one and a spare that can be left
 * behind) and real storage servers on loopback that heartbeat to both; publishes CSV text as the
 * writer of schema {@code alice}.
 */
final class TestCluster implements AutoCloseable {
  static final Duration TIMEOUT = Duration.ofSeconds(20);

  final Path dir;
  private final LocalCluster local;
  final MetadataService meta;
  final MetadataService spare;
  final List<StorageServer> servers;
  final ConnectionPool pool = new ConnectionPool(TIMEOUT);
  final SigningKey writer = SigningKey.generate(new SecureRandom());
  private int files;

  private TestCluster(Path dir, LocalCluster local) {
    this.dir = dir;
    this.local = local;
    this.meta = local.metas().get(0);
    this.spare = local.metas().get(1);
    this.servers = local.servers();
  }

  static TestCluster start(Path dir, int serverCount) throws IOException {
    return start(dir, serverCount, 0);
  }

  /** Starts the cluster with each donor serving at most {@code downloadBytesPerSecond}. */
  static TestCluster start(Path dir, int serverCount, long downloadBytesPerSecond)
      throws IOException {
    return new TestCluster(dir, LocalCluster.start(dir, LocalCluster.Options.of(serverCount)
        .withMetadataServices(2).withHeartbeatInterval(LocalCluster.HEARTBEAT_INTERVAL_QUICK)
        .withCapacity(1L << 30).withQuotas(1L << 30, Map.of())
        .withDownloadLimit(downloadBytesPerSecond)));
  }

  /** Returns the cluster, to stop and restart its services. */
  LocalCluster local() {
    return local;
  }

  String url() {
    return "jdbc:cairn://" + hostPort(meta.address()) + "/alice";
  }

  static String hostPort(InetSocketAddress a) {
    return HostPort.format(a);
  }

  MetaClient metaClient() {
    return new MetaClient(pool, List.of(meta.address()), TIMEOUT);
  }

  /** The schema of {@link DriverIntegrationTest#keyed} rows. */
  static final String KEYED = "id BIGINT NOT NULL, amount DECIMAL(15,2), name VARCHAR";

  /**
   * Publishes {@code rows} keyed rows ({@link DriverIntegrationTest#keyed}, tagged with the
   * table's name) as alice.{@code table} in the smallest batches there are, to both services.
   */
  PublishResult publishKeyedInSmallBatches(String table, int rows) throws IOException {
    return publish(table, KEYED, DriverIntegrationTest.keyed(table, rows),
        PublishRequest.BATCH_TARGET_BYTES_MIN, List.of(meta.address(), spare.address()));
  }

  /** Publishes {@code csv} (header included) as alice.{@code table} to the given services. */
  PublishResult publish(String table, String schema, String csv, long batchTargetBytes,
      List<InetSocketAddress> metas) throws IOException {
    return publish(table, csv, metas,
        request -> request.withSchema(schema).withBatchTargetBytes(batchTargetBytes));
  }

  /**
   * Publishes {@code csv} (header included) as alice.{@code table} to the given services, with
   * {@code adjust} setting the request's schema and any other options.
   */
  PublishResult publish(String table, String csv, List<InetSocketAddress> metas,
      UnaryOperator<PublishRequest> adjust) throws IOException {
    Path file = dir.resolve("input" + (files++) + ".csv");
    Files.writeString(file, csv);
    return Publisher.publish(adjust.apply(PublishRequest.of(metas, writer, "alice", table,
        List.of(file))), ProgressListener.NONE);
  }

  /**
   * Publishes {@code file} as alice.{@code table} to the main service in batches of about
   * {@code batchTargetBytes}; a null schema is read from the file.
   */
  PublishResult publishFile(String table, Path file, String schema, long batchTargetBytes) {
    PublishRequest request = PublishRequest.of(List.of(meta.address()), writer, "alice", table,
        List.of(file)).withBatchTargetBytes(batchTargetBytes);
    return Publisher.publish(schema == null ? request : request.withSchema(schema),
        ProgressListener.NONE);
  }

  /** Returns a CSV of one column {@code n} holding 0 to {@code rows} - 1. */
  static String numbers(int rows) {
    StringBuilder csv = new StringBuilder("n\n");
    for (int i = 0; i < rows; i++) {
      csv.append(i).append('\n');
    }
    return csv.toString();
  }

  /** Returns {@code select count(*)} of {@code table}. */
  static long count(Connection c, String table) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("select count(*) from " + table)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  PublishResult publish(String table, String schema, String csv) throws IOException {
    return publish(table, schema, csv, PublishRequest.BATCH_TARGET_BYTES_DEFAULT,
        List.of(meta.address(), spare.address()));
  }

  @Override
  public void close() {
    pool.close();
    local.close();
  }
}
