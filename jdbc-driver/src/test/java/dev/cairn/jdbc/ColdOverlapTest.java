package dev.cairn.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.calcite.runtime.CairnSession;
import dev.cairn.calcite.runtime.SessionCounters;
import dev.cairn.client.publish.PublishResult;
import dev.cairn.server.StorageServer;
import dev.cairn.wire.ContentId;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cold overlap through java.sql: an aggregate over one cold table runs in DuckDB on the
 * batches as they arrive, with the same answer as when it waits for all of them (and as the
 * rows generated here), and fills the cache as a waiting query does; a query whose answer
 * depends on row order, or a connection with {@code cold.overlap=false}, waits; a batch that
 * cannot be loaded fails the query with the load's own named error. Each test reads on a
 * runtime of its own (a cache directory of its own), so it starts cold.
 */
class ColdOverlapTest {
  private static final int ROWS = 2_000;
  private static final String AGGREGATE = "select count(*), sum(amount), max(name), min(id)"
      + " from arriving where id % 3 <> 1";

  @TempDir
  static Path dir;
  static TestCluster cluster;
  static PublishResult published;

  @BeforeAll
  static void start() throws Exception {
    cluster = TestCluster.start(dir, 3);
    published = cluster.publishKeyedInSmallBatches("arriving", ROWS);
    assertTrue(published.batches() >= 4, "several batches: " + published.batches());
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  private static Connection connect(String runtime, String settings) throws SQLException {
    return DriverManager.getConnection(cluster.url() + "?cache.dir=" + dir.resolve(runtime)
        + settings);
  }

  private static List<String> row(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      assertTrue(rs.next());
      List<String> out = new ArrayList<>();
      for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
        Object v = rs.getObject(i);
        out.add(v instanceof BigDecimal d ? d.stripTrailingZeros().toPlainString()
            : String.valueOf(v));
      }
      return out;
    }
  }

  /** The answer of {@link #AGGREGATE}, computed from the generated rows. */
  private static List<String> expected() {
    long count = 0;
    BigDecimal sum = BigDecimal.ZERO;
    String max = null;
    for (int i = 0; i < ROWS; i++) {
      if (i % 3 != 1) {
        count++;
        sum = sum.add(new BigDecimal(i).multiply(new BigDecimal("1.25")));
        String name = "arriving-" + i;
        max = max == null || name.compareTo(max) > 0 ? name : max;
      }
    }
    return List.of(Long.toString(count), sum.stripTrailingZeros().toPlainString(), max, "0");
  }

  private static SessionCounters counters(Connection c) throws SQLException {
    return c.unwrap(CairnSession.class).counters();
  }

  @Test
  void aColdAggregateReadsTheBatchesAsTheyArriveAndFillsTheCache() throws Exception {
    try (Connection c = connect("arrive", "")) {
      SessionCounters n = counters(c);
      assertEquals(expected(), row(c, AGGREGATE));
      assertEquals(published.batches(), n.arrivedBatches(), n.toString());
      assertEquals(published.batches(), n.batchLoads(), "each batch loaded once: " + n);
      long fetched = n.fetchedBatches();
      // Warm now: the batches are resident, and the same answer comes from their tables.
      assertEquals(expected(), row(c, AGGREGATE));
      assertEquals(fetched, n.fetchedBatches(), "the warm run fetched nothing: " + n);
      assertEquals(published.batches(), n.arrivedBatches(), "nothing arrives when warm: " + n);
      // The arriving run's statement read a stream that can be read once: the warm run
      // prepared its own, which the next run re-uses.
      assertEquals(2, n.duckdbPrepares(), n.toString());
      assertEquals(expected(), row(c, AGGREGATE));
      assertEquals(2, n.duckdbPrepares(), n.toString());
      assertEquals(List.of(Long.toString(ROWS)), row(c, "select count(name) from arriving"),
          "a column the first query did not read is added to the cached batches");
    }
  }

  @Test
  void withTheOverlapOffOrAnOrderedResultTheQueryWaitsForEveryBatch() throws Exception {
    try (Connection c = connect("off", "&cold.overlap=false")) {
      assertEquals(expected(), row(c, AGGREGATE));
      assertEquals(0, counters(c).arrivedBatches(), counters(c).toString());
    }
    try (Connection c = connect("ordered", "")) {
      assertEquals(List.of("0", "arriving-0"), row(c, "select id, name from arriving"
          + " order by id limit 1"));
      assertEquals(0, counters(c).arrivedBatches(), counters(c).toString());
    }
  }

  @Test
  void aSettingThatIsNotTrueOrFalseIsRefusedAtConnect() {
    SQLException e = org.junit.jupiter.api.Assertions.assertThrows(SQLException.class,
        () -> connect("bad-setting", "&cold.overlap=maybe"));
    assertEquals("08001", e.getSQLState());
    assertTrue(e.getMessage().startsWith("BAD_CONFIG: property cold.overlap='maybe' is not"
        + " accepted") && e.getMessage().endsWith("cold.overlap takes true or false"),
        e.getMessage());
  }

  @Test
  void aBatchNoDonorServesRightFailsTheQueryWithTheLoadsError() throws Exception {
    PublishResult broken = cluster.publishKeyedInSmallBatches("broken", ROWS);
    ContentId last = cluster.metaClient().head("alice", "broken").orElseThrow().signed()
        .manifest().batches().get(broken.batches() - 1).id();
    // Every copy of the last batch lies (bytes changed, stat kept, so only the reader sees it).
    for (StorageServer server : cluster.servers) {
      Path file = server.store().file(last);
      if (Files.exists(file)) {
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 0x5a;
        FileTime modified = Files.getLastModifiedTime(file);
        Files.write(file, bytes);
        Files.setLastModifiedTime(file, modified);
      }
    }
    try (Connection c = connect("broken", "")) {
      SQLException e = org.junit.jupiter.api.Assertions.assertThrows(SQLException.class,
          () -> row(c, "select count(*), sum(amount) from broken"));
      assertTrue(e.getMessage().contains(last.toShortHex()), e.getMessage());
      assertTrue(!e.getMessage().contains("INTERNAL"), "named by the load: " + e.getMessage());
      // The connection still answers, and the batches that loaded stay cached.
      assertEquals(expected(), row(c, AGGREGATE));
    }
  }
}
