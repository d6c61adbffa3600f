package dev.cairn.cli.demo;

import static java.util.Objects.requireNonNull;

import dev.cairn.client.net.ConnectionPool;
import dev.cairn.client.publish.ProgressListener;
import dev.cairn.client.publish.PublishRequest;
import dev.cairn.client.publish.PublishResult;
import dev.cairn.client.publish.Publisher;
import dev.cairn.tpchdata.TpchGenerator;
import dev.cairn.tpchdata.TpchTable;
import dev.cairn.wire.Column;
import dev.cairn.wire.TableSchema;
import dev.cairn.wire.crypto.SigningKey;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The data of {@code cairn demo}: TPC-H generated as CSV, then published table by table as
 * schema {@value #SCHEMA} with each table's explicit TPC-H schema, so the published types are
 * exactly the specification's (DECIMAL(15,2), DATE, ...) rather than inferred ones.
 */
public final class TpchDemo {
  /** The publisher name (SQL schema) the demo tables appear under. */
  public static final String SCHEMA = "tpch";
  /** The demo's default scale factor: about 87 thousand rows, published in seconds. */
  public static final double SCALE_DEFAULT = 0.01;
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

  /** One published table: its version and size. */
  public record PublishedTable(TpchTable table, long version, long rows, int batches,
      long bytes) {
    public PublishedTable {
      requireNonNull(table, "table");
    }
  }

  private TpchDemo() {}

  /** Writes every TPC-H table at {@code scale} as {@code csvDir/<table>.csv}. */
  public static Map<TpchTable, Path> generate(Path csvDir, double scale) throws IOException {
    return TpchGenerator.writeCsv(csvDir, scale);
  }

  /**
   * Publishes the CSV files as the next version of each table under {@link #SCHEMA}, signed by
   * {@code key}, with {@code replicas} copies of every batch. Fails, naming the error, on the
   * first table that cannot be published; the tables before it stay published.
   */
  public static List<PublishedTable> publish(List<InetSocketAddress> metaServices,
      SigningKey key, Map<TpchTable, Path> csvFiles, int replicas) {
    return publish(metaServices, key, csvFiles, SCHEMA, r -> r.withReplicas(replicas));
  }

  /**
   * Like {@link #publish(List, SigningKey, Map, int)} under {@code schema}, every batch cut
   * into {@code dataShards} + {@code parityShards} Reed-Solomon shards instead of copied.
   */
  public static List<PublishedTable> publishErasure(List<InetSocketAddress> metaServices,
      SigningKey key, Map<TpchTable, Path> csvFiles, String schema, int dataShards,
      int parityShards) {
    return publish(metaServices, key, csvFiles, schema,
        r -> r.withErasure(dataShards, parityShards));
  }

  private static List<PublishedTable> publish(List<InetSocketAddress> metaServices,
      SigningKey key, Map<TpchTable, Path> csvFiles, String schema,
      java.util.function.UnaryOperator<PublishRequest> redundancy) {
    List<PublishedTable> published = new ArrayList<>();
    try (ConnectionPool pool = new ConnectionPool(CONNECT_TIMEOUT)) {
      Publisher publisher = new Publisher(pool, ProgressListener.NONE);
      for (TpchTable table : TpchTable.values()) {
        Path file = requireNonNull(csvFiles.get(table), "no CSV file for " + table.tableName());
        PublishRequest request = redundancy.apply(PublishRequest
            .of(metaServices, key, schema, table.tableName(), List.of(file)))
            .withSchema(schemaSpec(table.schema()));
        PublishResult result = publisher.publish(request);
        published.add(new PublishedTable(table, result.version(), result.rows(),
            result.batches(), result.bytes()));
      }
    }
    return published;
  }

  /** Returns the schema as the publisher reads it: {@code "name TYPE [NOT NULL], ..."}. */
  public static String schemaSpec(TableSchema schema) {
    StringJoiner spec = new StringJoiner(", ");
    for (Column column : schema.columns()) {
      spec.add(column.name() + " " + column.type().toSql()
          + (column.nullable() ? "" : " NOT NULL"));
    }
    return spec.toString();
  }
}
