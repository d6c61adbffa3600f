package dev.cairn.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.calcite.runtime.CairnSession;
import dev.cairn.calcite.runtime.SessionCounters;
import dev.cairn.client.publish.PublishRequest;
import dev.cairn.client.publish.PublishResult;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A donor stopped while a scan fetches costs nothing but a fail-over; verified blobs kept in
 * {@code cache.dir} serve a later runtime without any fetch. Own cluster: it stops a server.
 */
class ServerLossAndDiskCacheTest {
  @TempDir
  Path dir;

  @Test
  void aScanSurvivesADonorStoppingAndTheCacheDirectoryServesLaterRuntimes() throws Exception {
    try (TestCluster cluster = TestCluster.start(dir, 3)) {
      PublishResult published = cluster.publish("big", "id BIGINT NOT NULL, amount "
          + "DECIMAL(15,2), name VARCHAR", DriverIntegrationTest.keyed("lost", 3000),
          PublishRequest.BATCH_TARGET_BYTES_MIN,
          List.of(cluster.meta.address(), cluster.spare.address()));
      assertTrue(published.batches() > 20, "many batches: " + published.batches());
      Path cacheDir = dir.resolve("cache");
      String url = cluster.url() + "?fetch.parallelism=2&timeout=5s&cache.dir=" + cacheDir;
      try (Connection c = DriverManager.getConnection(url)) {
        c.unwrap(CairnSession.class).setAfterSnapshotHook(() -> new Thread(() -> {
          try {
            Thread.sleep(5);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          cluster.servers.get(0).close();
        }).start());
        assertEquals(List.of(3000L, 3000L * 2999 / 2), sumAndCount(c));
        assertEquals(published.batches(), c.unwrap(CairnSession.class).counters()
            .fetchedBatches());
      }
      // Another cache size is another runtime (and DuckDB database) over the same directory.
      try (Connection c = DriverManager.getConnection(url + "&cache.size=512MiB")) {
        assertEquals(List.of(3000L, 3000L * 2999 / 2), sumAndCount(c));
        SessionCounters n = c.unwrap(CairnSession.class).counters();
        assertEquals(0, n.fetchedBatches(), n.toString());
        assertEquals(published.batches(), n.diskBatches(), n.toString());
        try (Statement s = c.createStatement();
            ResultSet rs = s.executeQuery("select max(name) from big")) {
          rs.next();
          assertEquals("lost-999", rs.getString(1));
        }
        assertEquals(0, n.fetchedBatches(), "a column added later is read from the directory");
        assertEquals(2 * published.batches(), n.diskBatches(), n.toString());
      }
    }
  }

  private static List<Long> sumAndCount(Connection c) throws Exception {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("select count(*), sum(id) from big")) {
      rs.next();
      return List.of(rs.getLong(1), rs.getLong(2));
    }
  }
}
