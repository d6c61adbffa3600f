package dev.cairn.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ParameterMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a new user meets in a SQL tool, through java.sql against a real metadata service and
 * storage servers on loopback: a connection that fails at once when it cannot work (dead
 * service, unknown property or schema, bad value), JDBC's NULL rules for primitive getters,
 * java.time getters, and prepared statements that describe themselves before they run.
 */
class ToolContractTest {
  @TempDir
  static Path dir;
  static TestCluster cluster;

  @BeforeAll
  static void start() throws Exception {
    cluster = TestCluster.start(dir, 3);
    cluster.publish("moments", "id INTEGER, d DOUBLE, f DOUBLE, n BIGINT, ok BOOLEAN, day DATE,"
        + " ts TIMESTAMP", "id,d,f,n,ok,day,ts\n"
        + "1,2.5,0.5,7,true,2024-02-29,2024-03-10 02:30:00.123456\n"
        + "2,,,,,,\n");
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  private static SQLException refused(String url) {
    return assertThrows(SQLException.class, () -> DriverManager.getConnection(url).close(), url);
  }

  private static void assertNamed(SQLException e, String named, String state) {
    assertEquals(state, e.getSQLState(), e.getMessage());
    assertTrue(e.getMessage().startsWith(named + ": "), e.getMessage());
  }

  @Test
  void aDeadMetadataServiceFailsTheConnectNamingItsAddress() throws Exception {
    int port;
    try (ServerSocket unused = new ServerSocket(0)) {
      port = unused.getLocalPort();
    }
    SQLException e = refused("jdbc:cairn://127.0.0.1:" + port + "/alice?timeout=2s"
        + "&connect.timeout=2s");
    assertNamed(e, "IO_ERROR", "08001");
    assertTrue(e.getMessage().contains("127.0.0.1:" + port), e.getMessage());
  }

  @Test
  void unknownPropertiesAndSchemasAndBadValuesAreRefusedByName() throws Exception {
    SQLException bogus = refused(cluster.url() + "?bogus=1");
    assertNamed(bogus, "BAD_CONFIG", "08001");
    assertTrue(bogus.getMessage().contains("'bogus'")
        && bogus.getMessage().contains("cache.size"), bogus.getMessage());
    Properties info = new Properties();
    info.setProperty("cache.sise", "1GiB");
    SQLException typo = assertThrows(SQLException.class,
        () -> DriverManager.getConnection(cluster.url(), info));
    assertNamed(typo, "BAD_CONFIG", "08001");
    assertTrue(typo.getMessage().contains("'cache.sise'"), typo.getMessage());

    SQLException lots = refused(cluster.url() + "?cache.size=lots");
    assertNamed(lots, "BAD_CONFIG", "08001");
    assertTrue(lots.getMessage().contains("cache.size='lots'")
        && lots.getMessage().contains("512MiB"), lots.getMessage());
    SQLException threads = refused(cluster.url() + "?duckdb.threads=many");
    assertTrue(threads.getMessage().contains("duckdb.threads='many'")
        && threads.getMessage().contains("whole number"), threads.getMessage());

    SQLException schema = refused("jdbc:cairn://" + TestCluster.hostPort(cluster.meta.address())
        + "/nosuch");
    assertNamed(schema, "BAD_CONFIG", "08001");
    assertTrue(schema.getMessage().contains("'nosuch'") && schema.getMessage().contains("alice"),
        schema.getMessage());

    // Tools list the properties with what each takes, even while the URL is still wrong.
    java.sql.DriverPropertyInfo[] listed = DriverManager.getDriver(cluster.url())
        .getPropertyInfo(cluster.url() + "?bogus=1", new Properties());
    assertEquals("cache.size", listed[0].name);
    assertTrue(listed[0].description.contains("takes a size such as 512MiB"),
        listed[0].description);

    // What tools always pass is accepted, and system schemas are schemas.
    try (Connection c = DriverManager.getConnection(cluster.url(), "", "")) {
      assertTrue(c.isValid(5));
    }
    try (Connection c = DriverManager.getConnection("jdbc:cairn://"
        + TestCluster.hostPort(cluster.meta.address()) + "/cairn?cache.size=64MiB")) {
      assertEquals("cairn", c.getSchema());
    }
  }

  @Test
  void primitiveGettersOnNullReturnZeroAndSetWasNull() throws Exception {
    try (Connection c = DriverManager.getConnection(cluster.url());
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("select d, f, n, ok, id from moments order by id")) {
      assertTrue(rs.next());
      assertEquals(2.5, rs.getDouble(1));
      assertFalse(rs.wasNull());
      assertTrue(rs.next());
      assertEquals(0d, rs.getDouble(1));
      assertTrue(rs.wasNull());
      assertEquals(0f, rs.getFloat("f"));
      assertTrue(rs.wasNull());
      assertEquals(0L, rs.getLong(3));
      assertTrue(rs.wasNull());
      assertEquals(0, rs.getInt(3));
      assertEquals((short) 0, rs.getShort(3));
      assertEquals((byte) 0, rs.getByte(3));
      assertFalse(rs.getBoolean(4));
      assertTrue(rs.wasNull());
      assertEquals(2, rs.getInt(5));
      assertFalse(rs.wasNull());
    }
  }

  @Test
  void timestampsAndDatesReadAsJavaTime() throws Exception {
    LocalDateTime wallClock = LocalDateTime.of(2024, 3, 10, 2, 30, 0, 123_456_000);
    try (Connection c = DriverManager.getConnection(cluster.url());
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("select ts, day from moments order by id")) {
      assertTrue(rs.next());
      assertEquals(wallClock, rs.getObject(1, LocalDateTime.class));
      assertEquals(wallClock.toInstant(ZoneOffset.UTC), rs.getObject(1, Instant.class));
      assertEquals(wallClock.atOffset(ZoneOffset.UTC), rs.getObject("ts", OffsetDateTime.class));
      assertEquals(wallClock.toLocalDate(), rs.getObject(1, LocalDate.class));
      assertEquals(wallClock.toLocalTime(), rs.getObject(1, LocalTime.class));
      LocalDate day = LocalDate.of(2024, 2, 29);
      assertEquals(day, rs.getObject("day", LocalDate.class));
      assertEquals(day.atStartOfDay(), rs.getObject(2, LocalDateTime.class));
      assertEquals(day.atStartOfDay().toInstant(ZoneOffset.UTC), rs.getObject(2, Instant.class));
      assertEquals(day.atStartOfDay().atOffset(ZoneOffset.UTC),
          rs.getObject(2, OffsetDateTime.class));
      assertTrue(rs.next());
      assertNull(rs.getObject(1, Instant.class));
      assertTrue(rs.wasNull());
      assertNull(rs.getObject(2, OffsetDateTime.class));
    }
  }

  @Test
  void preparedStatementsDescribeResultsAndParametersBeforeTheyRun() throws Exception {
    try (Connection c = DriverManager.getConnection(cluster.url());
        PreparedStatement p = c.prepareStatement(
            "select id, d * ? as scaled, day from moments where id = ?")) {
      ResultSetMetaData md = p.getMetaData();
      assertNotNull(md, "metadata before execute");
      assertEquals(3, md.getColumnCount());
      assertEquals("id", md.getColumnLabel(1));
      assertEquals(Types.INTEGER, md.getColumnType(1));
      assertEquals("scaled", md.getColumnLabel(2));
      assertEquals(Types.DOUBLE, md.getColumnType(2));
      assertEquals(Types.DATE, md.getColumnType(3));
      ParameterMetaData params = p.getParameterMetaData();
      assertEquals(2, params.getParameterCount());
      assertEquals(Types.DOUBLE, params.getParameterType(1));
      assertEquals(Types.INTEGER, params.getParameterType(2));
      assertEquals(ParameterMetaData.parameterModeIn, params.getParameterMode(1));
      p.setDouble(1, 2);
      p.setInt(2, 1);
      try (ResultSet rs = p.executeQuery()) {
        assertTrue(rs.next());
        assertEquals(5.0, rs.getDouble("scaled"));
      }
    }
  }

  @Test
  void parameterTypesAreInferredWhereTheyCanBe() throws Exception {
    try (Connection c = DriverManager.getConnection(cluster.url())) {
      try (PreparedStatement p = c.prepareStatement("select ? + 1 as x")) {
        assertEquals(Types.INTEGER, p.getParameterMetaData().getParameterType(1));
        p.setInt(1, 41);
        try (ResultSet rs = p.executeQuery()) {
          assertTrue(rs.next());
          assertEquals(42, rs.getInt(1));
        }
      }
      try (PreparedStatement p = c.prepareStatement("select id from moments where ts < ?")) {
        assertEquals(Types.TIMESTAMP, p.getParameterMetaData().getParameterType(1));
      }
      SQLException alone = assertThrows(SQLException.class, () -> c.prepareStatement("select ?"));
      assertEquals("42P18", alone.getSQLState(), alone.getMessage());
      assertTrue(alone.getMessage().startsWith("BAD_FORMAT: ")
          && alone.getMessage().contains("CAST(? AS"), alone.getMessage());
      try (PreparedStatement p = c.prepareStatement("select n * ? as twice from moments"
          + " where id = 1")) {
        assertEquals(Types.BIGINT, p.getParameterMetaData().getParameterType(1));
        assertEquals(Long.class.getName(), p.getParameterMetaData().getParameterClassName(1));
        p.setLong(1, 2);
        try (ResultSet rs = p.executeQuery()) {
          assertTrue(rs.next());
          assertEquals(14L, rs.getLong(1));
        }
      }
      try (PreparedStatement p = c.prepareStatement("select cast(? as varchar) as s")) {
        p.setString(1, "typed");
        try (ResultSet rs = p.executeQuery()) {
          assertTrue(rs.next());
          assertEquals("typed", rs.getString(1));
        }
      }
    }
  }
}
