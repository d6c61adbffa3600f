package dev.cairn.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.client.publish.ProgressListener;
import dev.cairn.client.publish.PublishRequest;
import dev.cairn.client.publish.Publisher;
import dev.cairn.client.publish.Refresher;
import dev.cairn.cluster.Await;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Freeze detection end to end (docs/protocol.md 4.7): a table published with a 2 s freshness
 * promise and then not refreshed makes jdbc:cairn readers fail with FROZEN (SQLState 55000)
 * once it lapses, and succeed again after the writer refreshes; history and tables without a
 * promise stay readable meanwhile. Waits are on state (Await until FROZEN is seen), and a
 * query right after a refresh is retried a bounded number of times, so a stalled machine
 * cannot fail the test by being slow.
 */
class FreshnessIntegrationTest {
  private static final Duration PROMISE = Duration.ofSeconds(2);
  private static final Duration PATIENCE = Duration.ofSeconds(60);
  /** Tries of refresh-then-query before concluding that a refresh does not unfreeze. */
  private static final int REFRESH_TRIES_MAX = 5;

  @TempDir
  static Path dir;
  static TestCluster cluster;

  @BeforeAll
  static void start() throws Exception {
    cluster = TestCluster.start(dir, 3);
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  private static List<InetSocketAddress> metas() {
    return List.of(cluster.meta.address(), cluster.spare.address());
  }

  private static long count(Connection c, String table) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("select count(*) from " + table)) {
      assertTrue(rs.next());
      return rs.getLong(1);
    }
  }

  /** Returns the FROZEN failure of counting {@code table}, or null if it answered. */
  private static SQLException frozen(Connection c, String table) {
    try {
      count(c, table);
      return null;
    } catch (SQLException e) {
      assertTrue(e.getMessage().startsWith("FROZEN: "), e.getMessage());
      return e;
    }
  }

  /**
   * Refreshes trips and counts its rows right away, up to {@link #REFRESH_TRIES_MAX} times;
   * returns the count, or -1 if every try met FROZEN.
   */
  private static long countAfterARefresh(Connection c) {
    return countAfterARefresh(c, "trips", metas());
  }

  /** Like {@link #countAfterARefresh(Connection)} for {@code table}, refreshed on {@code to}. */
  private static long countAfterARefresh(Connection c, String table,
      List<InetSocketAddress> to) {
    for (int i = 0; i < REFRESH_TRIES_MAX; i++) {
      Refresher.refresh(to, TestCluster.TIMEOUT, cluster.writer, "alice", table, null);
      try {
        return count(c, table);
      } catch (SQLException e) {
        assertTrue(e.getMessage().startsWith("FROZEN: "), e.getMessage());
      }
    }
    return -1;
  }

  /** Publishes three rows as alice.{@code table} with the 2 s promise, to both services. */
  private static void publishPromised(String table) throws Exception {
    Path file = dir.resolve(table + ".csv");
    Files.writeString(file, "id,km\n1,3\n2,5\n3,8\n");
    Publisher.publish(PublishRequest.of(metas(), cluster.writer, "alice", table,
        List.of(file)).withSchema("id BIGINT, km INTEGER").withRefreshEvery(PROMISE),
        ProgressListener.NONE);
  }

  @Test
  void aLapsedPromiseFreezesReadersUntilTheWriterRefreshes() throws Exception {
    publishPromised("trips");
    cluster.publish("plain", "x INTEGER", "x\n1\n2\n");
    try (Connection c = DriverManager.getConnection(cluster.url())) {
      assertEquals(3, countAfterARefresh(c), "a fresh head is read");

      AtomicReference<SQLException> seen = new AtomicReference<>();
      Await.until(PATIENCE, "trips expiring", () -> {
        seen.set(frozen(c, "trips"));
        return seen.get() != null;
      });
      SQLException e = seen.get();
      assertEquals("55000", e.getSQLState(), e.getMessage());
      assertTrue(e.getMessage().matches("FROZEN: newest head of alice\\.trips expired at "
          + "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z \\(promised refresh every 2s\\);"
          + " the metadata services may be withholding newer versions"), e.getMessage());
      assertEquals(3, count(c, "trips$v1"), "naming the version reads history");
      assertEquals(2, count(c, "plain"), "a table without a promise never expires");
      assertTrue(frozen(c, "trips") != null, "still frozen: nothing answers from old data");
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("select table_name, valid_until from cairn.tables"
              + " where table_name in ('trips', 'plain') order by table_name")) {
        assertTrue(rs.next());
        assertEquals("plain", rs.getString(1));
        assertNull(rs.getTimestamp(2), "no promise, no expiry");
        assertTrue(rs.next());
        assertEquals("trips", rs.getString(1));
        assertNotNull(rs.getTimestamp(2), "the system table still shows the frozen head");
      }

      assertEquals(3, countAfterARefresh(c), "the writer's refresh unfreezes readers");
    }
  }

  @Test
  void aReaderIsFrozenOnlyWhenEveryServiceItNamesOffersAnExpiredHead() throws Exception {
    publishPromised("rides");
    String both = "jdbc:cairn://" + TestCluster.hostPort(cluster.meta.address()) + ","
        + TestCluster.hostPort(cluster.spare.address()) + "/alice";
    try (Connection viaBoth = DriverManager.getConnection(both);
        Connection viaMain = DriverManager.getConnection(cluster.url())) {
      Await.until(PATIENCE, "rides expiring", () -> frozen(viaBoth, "rides") != null);
      // Only the spare learns of the refresh: the main service now withholds it.
      assertEquals(3, countAfterARefresh(viaBoth, "rides", List.of(cluster.spare.address())),
          "the spare's timestamp outweighs the main service's silence");
      assertTrue(frozen(viaMain, "rides") != null, "a reader that asks only the main service"
          + " is offered only an expired head");
    }
  }
}
