package dev.cairn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.client.net.ConnectionPool;
import dev.cairn.client.net.MetaClient;
import dev.cairn.cluster.LocalCluster;
import dev.cairn.wire.manifest.BatchRef;
import dev.cairn.wire.manifest.Manifest;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Goal: {@code cairn publish --append} makes the next version from the head's batches (same
 * ids) and the new file's, adding a column; a change that is not a widening exits 1 with
 * SCHEMA_CHANGE on stderr and publishes nothing.
 */
class PublishAppendTest {
  @TempDir Path dir;

  @Test
  void appendKeepsTheHeadsBatchesAndRefusesANarrowing() throws Exception {
    try (LocalCluster cluster = LocalCluster.start(dir.resolve("cluster"),
            LocalCluster.Options.of(3));
        ConnectionPool pool = new ConnectionPool(ClusterFixtures.TIMEOUT)) {
      ClusterFixtures.key(dir.resolve("alice.key"));
      String key = dir.resolve("alice.key").toString();
      String meta = cluster.metaHostPort();
      Path first = Files.writeString(dir.resolve("first.csv"), "id,city\n1,Oslo\n2,Lima\n");
      Path second = Files.writeString(dir.resolve("second.csv"),
          "id,city,pax\n3,Pune,4\n4,Kyiv,2\n");
      assertEquals(0, CliRun.of("publish", "--meta", meta, "--key", key, "--table",
          "alice.trips", "--schema", "id INTEGER, city VARCHAR", first.toString()).exit());
      CliRun appended = CliRun.of("publish", "--meta", meta, "--key", key, "--table",
          "alice.trips", "--append", second.toString());
      assertEquals(0, appended.exit(), appended.err());
      assertTrue(appended.out().startsWith("appended to alice.trips version 2: 4 rows in 2"
          + " batches"), appended.out());

      MetaClient client = ClusterFixtures.metaClient(pool, cluster.metaAddress());
      Manifest v1 = client.versions("alice", "trips").get(0).signed().manifest();
      Manifest v2 = client.head("alice", "trips").orElseThrow().signed().manifest();
      assertEquals(v1.batches().get(0).id(), v2.batches().get(0).id(), "kept, not re-encoded");
      assertEquals(v1.schema(), v2.storedSchema(v2.batches().get(0)));
      assertEquals("pax", v2.schema().column(2).name());
      assertEquals(4, v2.batches().stream().mapToLong(BatchRef::rowCount).sum());

      CliRun refused = CliRun.of("publish", "--meta", meta, "--key", key, "--table",
          "alice.trips", "--append", "--schema", "id INTEGER, city INTEGER, pax BIGINT",
          Files.writeString(dir.resolve("third.csv"), "id,city,pax\n5,6,7\n").toString());
      assertEquals(1, refused.exit());
      assertTrue(refused.err().contains("SCHEMA_CHANGE: column city is VARCHAR in"
          + " alice.trips version 2 but INTEGER in the input"), refused.err());
      assertEquals(2, client.head("alice", "trips").orElseThrow().version());
    }
  }
}
