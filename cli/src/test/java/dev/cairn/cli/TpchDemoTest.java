package dev.cairn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cairn.cluster.LocalCluster;
import dev.cairn.cli.demo.TpchDemo;
import dev.cairn.cli.demo.TpchDemo.PublishedTable;
import dev.cairn.client.net.ConnectionPool;
import dev.cairn.client.net.MetaClient;
import dev.cairn.client.net.VerifiedHead;
import dev.cairn.tpchdata.TpchTable;
import dev.cairn.wire.crypto.SigningKey;
import dev.cairn.wire.manifest.BatchRef;
import dev.cairn.wire.manifest.Manifest;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Goal: the demo's publish step puts all eight TPC-H tables under schema tpch as version 1, with
 * the specification's row counts at scale 0.01 and exactly TpchTable's schemas (so DECIMAL(15,2)
 * and DATE, not inferred types), each batch kept 3 times.
 */
class TpchDemoTest {
  /** Rows per table at scale factor 0.01, from the TPC-H specification and dbgen. */
  private static final Map<String, Long> ROWS_AT_SF_001 = Map.of(
      "nation", 25L, "region", 5L, "part", 2_000L, "supplier", 100L, "partsupp", 8_000L,
      "customer", 1_500L, "orders", 15_000L, "lineitem", 60_175L);

  @TempDir Path dir;

  @Test
  void publishesTheEightTablesWithTheirSchemasAndRowCounts() throws Exception {
    try (LocalCluster cluster = LocalCluster.start(dir.resolve("cluster"),
        LocalCluster.Options.of(3));
        ConnectionPool pool = new ConnectionPool(ClusterFixtures.TIMEOUT)) {
      SigningKey key = ClusterFixtures.key(dir.resolve("demo.key"));
      List<PublishedTable> published = TpchDemo.publish(List.of(cluster.metaAddress()), key,
          TpchDemo.generate(dir.resolve("csv"), TpchDemo.SCALE_DEFAULT), 3);
      assertEquals(8, published.size());

      MetaClient client = ClusterFixtures.metaClient(pool, cluster.metaAddress());
      Map<String, Long> rows = new TreeMap<>();
      for (VerifiedHead head : client.tables().heads()) {
        assertEquals(TpchDemo.SCHEMA, head.schema());
        assertEquals(1, head.version(), head.table());
        Manifest manifest = head.signed().manifest();
        assertEquals(TpchTable.byName(head.table()).schema(), manifest.schema(), head.table());
        assertEquals(key.publicKey(), manifest.writerKey());
        assertEquals(3, manifest.redundancy().replicas());
        rows.put(head.table(), manifest.batches().stream().mapToLong(BatchRef::rowCount).sum());
      }
      assertEquals(new TreeMap<>(ROWS_AT_SF_001), rows);
      for (PublishedTable table : published) {
        assertEquals(ROWS_AT_SF_001.get(table.table().tableName()), table.rows());
        assertEquals(1, table.version());
      }
    }
  }

  @Test
  void schemaSpecReadsBackAsTheSameSchema() {
    for (TpchTable table : TpchTable.values()) {
      assertEquals(table.schema(), dev.cairn.client.input.SchemaSpec.parse(
          TpchDemo.schemaSpec(table.schema())), table.tableName());
    }
  }
}
