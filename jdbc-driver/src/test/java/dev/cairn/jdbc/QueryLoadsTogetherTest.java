package dev.cairn.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.calcite.runtime.CairnSession;
import dev.cairn.calcite.runtime.SessionCounters;
import dev.cairn.client.publish.PublishResult;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cold query's tables load together, as one set of jobs: a table read twice with different
 * columns loads each batch once with the columns of both reads, and two tables stored alike
 * find their holders in one lookup. Each test reads on a runtime of its own (a cache directory
 * of its own), so it starts cold; every answer is checked against the generated rows.
 */
class QueryLoadsTogetherTest {
  private static final int ROWS = 1_500;

  @TempDir
  static Path dir;
  static TestCluster cluster;
  static PublishResult left;
  static PublishResult right;

  @BeforeAll
  static void start() throws Exception {
    cluster = TestCluster.start(dir, 3);
    left = cluster.publishKeyedInSmallBatches("lefty", ROWS);
    right = cluster.publishKeyedInSmallBatches("righty", ROWS / 3);
    assertTrue(left.batches() >= 4 && right.batches() >= 2,
        "several batches each: " + left.batches() + ", " + right.batches());
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  private static Connection connect(String runtime) throws SQLException {
    return DriverManager.getConnection(cluster.url() + "?cache.dir=" + dir.resolve(runtime));
  }

  @Test
  void aSelfJoinReadingOtherColumnsLoadsEachBatchOnceWithTheColumnsOfBoth() throws Exception {
    try (Connection c = connect("self-join");
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("select sum(a.amount), count(b.name), max(b.name)"
            + " from lefty a join lefty b on a.id = b.id")) {
      assertTrue(rs.next());
      long idSum = (long) ROWS * (ROWS - 1) / 2;
      assertEquals(0, new BigDecimal(idSum).multiply(new BigDecimal("1.25"))
          .compareTo(rs.getBigDecimal(1)), "sum(amount)");
      assertEquals(ROWS, rs.getLong(2));
      assertEquals("lefty-999", rs.getString(3), "the greatest name as text");
      SessionCounters n = c.unwrap(CairnSession.class).counters();
      assertEquals(left.batches(), n.fetchedBatches(), n.toString());
      assertEquals(left.batches(), n.batchLoads(), "one load per batch: " + n);
      assertEquals(3L * left.batches(), n.decodedColumns(), "id, amount and name: " + n);
      assertEquals(1, n.holderLookups(), n.toString());
    }
  }

  @Test
  void twoColdTablesStoredAlikeFindTheirHoldersInOneLookup() throws Exception {
    try (Connection c = connect("two-tables");
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("select count(*), sum(l.id) from lefty l"
            + " join righty r on l.id = r.id")) {
      assertTrue(rs.next());
      int matched = ROWS / 3;
      assertEquals(matched, rs.getLong(1));
      assertEquals((long) matched * (matched - 1) / 2, rs.getLong(2));
      SessionCounters n = c.unwrap(CairnSession.class).counters();
      assertEquals(left.batches() + right.batches(), n.batchLoads(), n.toString());
      assertEquals(1, n.holderLookups(), "both tables have 3 copies: " + n);
      // Warm now: nothing more is looked up or loaded.
      try (ResultSet again = s.executeQuery("select count(*) from lefty l join righty r"
          + " on l.id = r.id")) {
        assertTrue(again.next());
        assertEquals(matched, again.getLong(1));
      }
      assertEquals(left.batches() + right.batches(), n.batchLoads(), n.toString());
      assertEquals(1, n.holderLookups(), n.toString());
    }
  }
}
