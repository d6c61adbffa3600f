package dev.cairn.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.calcite.runtime.CairnSession;
import dev.cairn.calcite.runtime.SessionCounters;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Table heads through java.sql: a query reads and verifies only the heads of the tables it
 * names (catalog listings read them all), and a connection keeps heads for {@code
 * heads.max-age} so a burst of queries pays one metadata round trip, without ever reading a
 * version older than one this reader already saw. Counts requests and heads, not time.
 */
class HeadSnapshotTest {
  @TempDir
  static Path dir;
  static TestCluster cluster;

  @BeforeAll
  static void start() throws Exception {
    cluster = TestCluster.start(dir, 3);
    for (String table : List.of("alpha", "beta", "gamma", "delta", "epsilon")) {
      cluster.publish(table, "x INTEGER", "x\n1\n2\n3\n");
    }
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  private static Connection connect(String settings) throws SQLException {
    return DriverManager.getConnection(cluster.url() + "?" + settings);
  }

  private static long count(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static SessionCounters counters(Connection c) throws SQLException {
    return c.unwrap(CairnSession.class).counters();
  }

  @Test
  void aBurstOfQueriesPaysOneRoundTripForTheHeadsItNames() throws Exception {
    try (Connection c = connect("heads.max-age=60000")) {
      SessionCounters n = counters(c);
      assertEquals(3, count(c, "select count(*) from alpha"));
      assertEquals(1, n.headRequests(), n.toString());
      assertEquals(1, n.headsFetched(), "alpha's head alone, of five tables: " + n);
      for (int i = 0; i < 5; i++) {
        assertEquals(1, count(c, "select count(*) from alpha where x = " + (i % 3 + 1)));
      }
      assertEquals(3, count(c, "select count(*) from alpha"));
      assertEquals(1, n.headRequests(), "the burst re-used the kept head: " + n);
      assertEquals(3, count(c, "select count(*) from alpha a join beta b on a.x = b.x"));
      assertEquals(2, n.headRequests(), "beta was fetched, alpha kept: " + n);
      assertEquals(2, n.headsFetched(), n.toString());
    }
  }

  @Test
  void withMaxAgeZeroEveryQueryAsksForJustItsHeadsInOneRequest() throws Exception {
    try (Connection c = connect("heads.max-age=0")) {
      SessionCounters n = counters(c);
      String join = "select count(*) from gamma g join delta d on g.x = d.x";
      assertEquals(3, count(c, join));
      long requests = n.headRequests();
      long heads = n.headsFetched();
      assertEquals(2, heads, "gamma and delta, not the other three: " + n);
      assertEquals(1, requests, "both asked for at once, from the parsed FROM clause: " + n);
      for (int i = 1; i <= 3; i++) {
        assertEquals(3, count(c, join));
        assertEquals(requests + i, n.headRequests(), "a repeated query asks for both heads"
            + " it used at once: " + n);
        assertEquals(heads + 2L * i, n.headsFetched(), n.toString());
      }
    }
  }

  @Test
  void catalogListingsStillListEveryTable() throws Exception {
    try (Connection c = connect("heads.max-age=0")) {
      SessionCounters n = counters(c);
      assertEquals(5, count(c, "select count(*) from information_schema.tables"
          + " where table_schema = 'alice'"));
      assertTrue(n.headsFetched() >= 5, n.toString());
      try (ResultSet rs = c.getMetaData().getTables(null, "alice", "%", null)) {
        int tables = 0;
        while (rs.next()) {
          tables++;
        }
        assertEquals(5, tables);
      }
    }
  }

  @Test
  void aKeptHeadNeverHidesAVersionAnotherSessionOfThisReaderSaw() throws Exception {
    String settings = "heads.max-age=60000&cache.dir=" + dir.resolve("kept");
    cluster.publish("moving", "x INTEGER", "x\n1\n");
    try (Connection first = connect(settings)) {
      assertEquals(1, count(first, "select count(*) from moving"));
      cluster.publish("moving", "x INTEGER", "x\n1\n2\n");
      assertEquals(1, count(first, "select count(*) from moving"),
          "within the window the kept head is read: the documented staleness");
      try (Connection second = connect(settings)) {
        assertEquals(2, count(second, "select count(*) from moving"));
      }
      assertEquals(2, count(first, "select count(*) from moving"),
          "the kept head is older than one this reader saw: asked again, not refused");
    }
  }

  @Test
  void aBadMaxAgeIsRefusedAtConnect() {
    assertThrows(SQLException.class, () -> connect("heads.max-age=-5").close());
    assertThrows(SQLException.class, () -> connect("heads.max-age=2h").close());
  }
}
