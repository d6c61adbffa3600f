package dev.cairn.tpch;

import dev.cairn.cli.demo.TpchDemo;
import dev.cairn.client.net.ConnectionPool;
import dev.cairn.client.publish.ProgressListener;
import dev.cairn.client.publish.PublishRequest;
import dev.cairn.client.publish.PublishResult;
import dev.cairn.client.publish.Publisher;
import dev.cairn.tpchdata.tpcds.TpcdsTable;
import dev.cairn.wire.crypto.SigningKey;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Publishes TPC-DS CSV files as schema {@value #SCHEMA}, each table with its explicit schema
 * (so the published types are exactly {@link TpcdsTable#schema}'s, not inferred ones), for the
 * correctness test and the benchmark.
 */
public final class TpcdsPublication {
  /** The publisher name (SQL schema) the TPC-DS tables appear under. */
  public static final String SCHEMA = "tpcds";
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

  private TpcdsPublication() {}

  /**
   * Publishes every file as the next version of {@code tpcds.<table>}, signed by {@code key},
   * with {@code replicas} copies of every batch, and returns each table's publish result.
   */
  public static Map<TpcdsTable, PublishResult> publish(List<InetSocketAddress> metaServices,
      SigningKey key, Map<TpcdsTable, Path> csvFiles, int replicas) {
    Map<TpcdsTable, PublishResult> results = new EnumMap<>(TpcdsTable.class);
    try (ConnectionPool connections = new ConnectionPool(CONNECT_TIMEOUT)) {
      Publisher publisher = new Publisher(connections, ProgressListener.NONE);
      for (Map.Entry<TpcdsTable, Path> file : csvFiles.entrySet()) {
        TpcdsTable table = file.getKey();
        PublishRequest request = PublishRequest
            .of(metaServices, key, SCHEMA, table.tableName(), List.of(file.getValue()))
            .withReplicas(replicas)
            .withSchema(TpchDemo.schemaSpec(table.schema()));
        results.put(table, publisher.publish(request));
      }
    }
    return results;
  }
}
