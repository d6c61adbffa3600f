package dev.cairn.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.calcite.runtime.CairnSession;
import dev.cairn.client.publish.PublishResult;
import dev.cairn.server.StorageServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Goal: the product's promise that a scan downloads from several near donors at once. Three
 * equally near donors each hold every batch; one SQL scan through the driver must take a real
 * share (at least 20 %) of its bytes from each of them, not everything from the nearest.
 */
class MultiSourceScanTest {
  @TempDir
  Path dir;

  @Test
  void oneScanTakesARealShareFromEachOfThreeDonors() throws Exception {
    try (TestCluster cluster = TestCluster.start(dir, 3)) {
      int rows = 60_000;
      PublishResult published = cluster.publish("spread", "id BIGINT NOT NULL, amount "
          + "DECIMAL(15,2), name VARCHAR", DriverIntegrationTest.keyed("spread", rows),
          64 << 10, List.of(cluster.meta.address(), cluster.spare.address()));
      assertTrue(published.batches() >= 24, "enough batches to share: " + published.batches());
      List<Long> before = served(cluster.servers);
      try (Connection c = DriverManager.getConnection(cluster.url() + "?fetch.parallelism=8");
          Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("select count(*), sum(id) from spread")) {
        rs.next();
        assertEquals(rows, rs.getLong(1));
        assertEquals((long) rows * (rows - 1) / 2, rs.getLong(2));
        assertEquals(published.batches(),
            c.unwrap(CairnSession.class).counters().fetchedBatches());
      }
      List<Long> after = served(cluster.servers);
      long total = 0;
      List<Long> shares = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        shares.add(after.get(i) - before.get(i));
        total += shares.get(i);
      }
      assertTrue(total >= published.bytes(), "every batch was served: " + shares);
      for (long share : shares) {
        assertTrue(share * 5 >= total, "each donor served at least 20 %: " + shares);
      }
    }
  }

  private static List<Long> served(List<StorageServer> servers) {
    List<Long> bytes = new ArrayList<>();
    servers.forEach(s -> bytes.add(s.servedBytes()));
    return bytes;
  }
}
