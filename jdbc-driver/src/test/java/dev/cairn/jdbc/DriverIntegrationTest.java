package dev.cairn.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.calcite.runtime.CairnSession;
import dev.cairn.calcite.runtime.SessionCounters;
import dev.cairn.client.publish.PublishRequest;
import dev.cairn.client.publish.PublishResult;
import dev.cairn.cluster.Await;
import dev.cairn.server.StorageServer;
import dev.cairn.wire.ContentId;
import dev.cairn.wire.manifest.Manifest;
import dev.cairn.wire.message.MetaMessages.BlobPlacement;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The driver end to end through java.sql against a real metadata service (plus a spare that
 * can be left behind) and three real storage servers on loopback. Each test uses its own
 * tables, with contents no other test has, so the shared cache cannot blur fetch counts.
 */
class DriverIntegrationTest {
  private static final String KEYED = "id BIGINT NOT NULL, amount DECIMAL(15,2), name VARCHAR";
  private static final long SMALL_BATCH_BYTES = PublishRequest.BATCH_TARGET_BYTES_MIN;

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

  /** Rows id 0..n-1 in order, amount id*1.25, name tag-id: batches hold disjoint id ranges. */
  static String keyed(String tag, int rows) {
    StringBuilder csv = new StringBuilder("id,amount,name\n");
    for (int i = 0; i < rows; i++) {
      csv.append(i).append(',').append(new BigDecimal(i).multiply(new BigDecimal("1.25"))
          .setScale(2)).append(',').append(tag).append('-').append(i).append('\n');
    }
    return csv.toString();
  }

  private static PublishResult publishKeyed(String table, int rows) throws Exception {
    return cluster.publish(table, KEYED, keyed(table, rows), SMALL_BATCH_BYTES,
        List.of(cluster.meta.address(), cluster.spare.address()));
  }

  private static Connection connect() throws SQLException {
    return DriverManager.getConnection(cluster.url());
  }

  private static SessionCounters counters(Connection c) throws SQLException {
    return c.unwrap(CairnSession.class).counters();
  }

  private static List<List<Object>> rows(ResultSet rs) throws SQLException {
    List<List<Object>> out = new ArrayList<>();
    int n = rs.getMetaData().getColumnCount();
    while (rs.next()) {
      List<Object> row = new ArrayList<>();
      for (int i = 1; i <= n; i++) {
        row.add(rs.getObject(i));
      }
      out.add(row);
    }
    return out;
  }

  private static List<List<Object>> query(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      assertEquals(s, rs.getStatement(), "result sets answer to our statement");
      return rows(rs);
    }
  }

  @Test
  void toolsCanBrowseSchemasTablesAndColumns() throws Exception {
    cluster.publish("browse", "id BIGINT NOT NULL, price DECIMAL(15,2), day DATE, note VARCHAR",
        "id,price,day,note\n1,2.50,2024-01-02,x\n");
    try (Connection c = connect()) {
      DatabaseMetaData md = c.getMetaData();
      assertEquals("Cairn", md.getDatabaseProductName());
      assertEquals("\"", md.getIdentifierQuoteString());
      List<Object> schemas = rows(md.getSchemas()).stream().map(r -> r.get(0)).toList();
      assertTrue(schemas.containsAll(List.of("alice", "cairn", "information_schema")),
          schemas.toString());
      List<List<Object>> tables = rows(md.getTables(null, "alice", "brow%", null));
      assertEquals(List.of(Arrays.asList(null, "alice", "browse", "TABLE", null, null, null,
          null, null, null)), tables);
      List<List<Object>> system = rows(md.getTables(null, "cairn", "%",
          new String[] {"SYSTEM TABLE"}));
      assertEquals(List.of("batches", "nodes", "tables", "versions"),
          system.stream().map(r -> r.get(2)).toList());
      try (ResultSet cols = md.getColumns(null, "alice", "browse", "%")) {
        List<String> seen = new ArrayList<>();
        while (cols.next()) {
          seen.add(cols.getString("COLUMN_NAME") + " " + cols.getInt("DATA_TYPE") + " "
              + cols.getString("TYPE_NAME") + " " + cols.getInt("COLUMN_SIZE") + " "
              + cols.getInt("DECIMAL_DIGITS") + " " + cols.getInt("NULLABLE") + " "
              + cols.getInt("ORDINAL_POSITION"));
        }
        assertEquals(List.of("id " + Types.BIGINT + " BIGINT 19 0 0 1",
            "price " + Types.DECIMAL + " DECIMAL(15,2) 15 2 1 2",
            "day " + Types.DATE + " DATE 10 0 1 3",
            "note " + Types.VARCHAR + " VARCHAR " + Integer.MAX_VALUE + " 0 1 4"), seen);
      }
      assertFalse(md.getPrimaryKeys(null, "alice", "browse").next());
      assertFalse(md.getImportedKeys(null, "alice", "browse").next());
      assertFalse(md.getIndexInfo(null, "alice", "browse", false, true).next());
      assertEquals(dev.cairn.wire.ColumnType.Kind.values().length,
          rows(md.getTypeInfo()).size(), "one row per column kind");
      assertEquals(2, rows(md.getTableTypes()).size());
    }
  }

  @Test
  void resultColumnsAreNamedAsPostgresNamesThemDuplicatesIncluded() throws Exception {
    publishKeyed("pgnames", 10);
    try (Connection c = connect(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("select sum(id), sum(amount), count(*), 10 // 4,"
            + " avg(amount) as mean from pgnames")) {
      List<String> labels = new ArrayList<>();
      for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
        labels.add(rs.getMetaData().getColumnLabel(i));
      }
      assertEquals(List.of("sum", "sum", "count", "?column?", "mean"), labels);
      assertTrue(rs.next());
      assertEquals(45L, rs.getLong(1));
      assertEquals(new BigDecimal("56.25"), rs.getBigDecimal(2));
      assertEquals(45L, rs.getLong("sum"));
      assertEquals(10L, rs.getLong("count"));
      assertEquals(2, rs.getInt(4));
      assertEquals(5.625, rs.getDouble("mean"));
    }
  }

  @Test
  void stringsThatLookLikeTableNamesStayAsWritten() throws Exception {
    publishKeyed("lookalike", 3);
    // The relation DuckDB reads (canonical "alice"."lookalike$v1", this session's view
    // "cairn_s<N>_alice"."lookalike$v1") must never leak into literals, quoted or not.
    String quoted = "\"alice\".\"lookalike$v1\"";
    try (Connection c = connect(); Statement s = c.createStatement()) {
      try (ResultSet rs = s.executeQuery("select 'alice.lookalike$v1' as plain, '" + quoted
          + "' as quoted, count(*) as n from alice.lookalike where lookalike.id >= 0")) {
        assertTrue(rs.next());
        assertEquals("alice.lookalike$v1", rs.getString("plain"));
        assertEquals(quoted, rs.getString("quoted"));
        assertEquals(3L, rs.getLong("n"));
      }
      String system = "\"cairn\".\"tables\" AS \"tables\"";
      try (ResultSet rs = s.executeQuery("select '" + system + "' as s, count(*) as n"
          + " from cairn.tables where tables.table_name = 'lookalike'")) {
        assertTrue(rs.next());
        assertEquals(system, rs.getString("s"));
        assertEquals(1L, rs.getLong("n"));
      }
    }
  }

  @Test
  void everyTypeRoundTripsWithNulls() throws Exception {
    cluster.publish("types", "b BIGINT, i INTEGER, d DOUBLE, m DECIMAL(15,2), dt DATE, "
        + "ts TIMESTAMP, s VARCHAR, f BOOLEAN",
        "b,i,d,m,dt,ts,s,f\n"
            + "9000000000,42,1.5,12345.67,2024-02-29,2024-02-29 13:45:56.123456,hello,true\n"
            + ",,,,,,,\n"
            + "-1,-7,-0.25,-0.01,1970-01-01,1999-12-31 23:59:59,\"\",false\n");
    try (Connection c = connect(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("select * from types order by b nulls last")) {
      assertEquals(Types.DECIMAL, rs.getMetaData().getColumnType(4));
      assertTrue(rs.next());
      assertEquals(-1L, rs.getLong("b"));
      assertEquals(-7, rs.getInt("i"));
      assertEquals(-0.25, rs.getDouble("d"));
      assertEquals(new BigDecimal("-0.01"), rs.getBigDecimal("m"));
      assertEquals(LocalDate.of(1970, 1, 1), rs.getObject("dt", LocalDate.class));
      assertEquals(LocalDateTime.of(1999, 12, 31, 23, 59, 59),
          rs.getTimestamp("ts").toLocalDateTime());
      assertEquals("", rs.getString("s"));
      assertFalse(rs.getBoolean("f"));
      assertTrue(rs.next());
      assertEquals(9_000_000_000L, rs.getLong(1));
      assertEquals(42, rs.getInt(2));
      assertEquals(1.5, rs.getDouble(3));
      assertEquals(new BigDecimal("12345.67"), rs.getBigDecimal(4));
      assertEquals(java.sql.Date.valueOf("2024-02-29"), rs.getDate(5));
      assertEquals(LocalDateTime.of(2024, 2, 29, 13, 45, 56, 123_456_000),
          rs.getTimestamp(6).toLocalDateTime());
      assertEquals("hello", rs.getString(7));
      assertTrue(rs.getBoolean(8));
      assertTrue(rs.next());
      for (int i = 1; i <= 8; i++) {
        assertNull(rs.getObject(i), "column " + i + " is NULL");
      }
      assertFalse(rs.next());
    }
  }

  @Test
  void projectionAndFilterEqualAFullScanFilteredInJava() throws Exception {
    publishKeyed("scan", 1500);
    try (Connection c = connect()) {
      List<List<Object>> expected = new ArrayList<>();
      for (List<Object> row : query(c, "select id, amount, name from scan order by id")) {
        long id = (Long) row.get(0);
        if (id % 7 == 3 && ((BigDecimal) row.get(1)).compareTo(new BigDecimal("100")) > 0) {
          expected.add(List.of(row.get(2), row.get(0)));
        }
      }
      assertEquals(List.of(List.of(1500L)), query(c, "select count(*) from scan"));
      assertEquals(expected, query(c, "select name, id from alice.scan where id % 7 = 3 "
          + "and amount > 100 order by id"));
      assertFalse(expected.isEmpty());
    }
  }

  @Test
  void onlyTheColumnsAQueryReadsAreDecodedAndLaterColumnsNeedNoDownload() throws Exception {
    PublishResult published = publishKeyed("narrow", 1500);
    long batches = published.batches();
    assertTrue(batches >= 3, "several batches: " + batches);
    try (Connection c = connect()) {
      SessionCounters n = counters(c);
      assertEquals(1499L * 1500 / 2, ((Number) query(c, "select sum(id) from narrow")
          .get(0).get(0)).longValue());
      assertEquals(batches, n.fetchedBatches(), n.toString());
      assertEquals(batches, n.decodedColumns(), "only id was decoded: " + n);
      assertEquals(List.of(List.of("narrow-999")), query(c, "select max(name) from narrow"));
      assertEquals(2 * batches, n.decodedColumns(), "then only name: " + n);
      assertEquals(batches, n.fetchedBatches(), "the cache kept the blobs: " + n);
      String all = "select id, amount, name from narrow order by id";
      List<List<Object>> rows = query(c, all);
      assertEquals(3 * batches, n.decodedColumns(), "then only amount: " + n);
      assertEquals(1500, rows.size());
      for (List<Object> row : rows) {
        long id = (Long) row.get(0);
        assertEquals(List.of(id, new BigDecimal(id).multiply(new BigDecimal("1.25"))
            .setScale(2), "narrow-" + id), row, "columns added later line up by row");
      }
      assertEquals(rows, query(c, all));
      assertEquals(3 * batches, n.decodedColumns(), "all resident: nothing decoded: " + n);
      assertEquals(batches, n.fetchedBatches(), n.toString());
    }
  }

  @Test
  void explainSaysWhatAQueryReadsAndFetchesNothing() throws Exception {
    publishKeyed("explained", 600);
    try (Connection c = connect()) {
      List<List<Object>> rows = query(c, "explain select name from explained where id < 10");
      assertEquals("table", rows.get(0).get(0));
      assertEquals("alice.explained version 1: decodes id, name; prunes batches by [id LT [10]]",
          rows.get(0).get(1));
      assertEquals("duckdb sql", rows.get(rows.size() - 1).get(0));
      assertEquals(0, counters(c).fetchedBatches(), counters(c).toString());
    }
  }

  @Test
  void batchesOutsideTheFilterAreNotFetched() throws Exception {
    PublishResult published = publishKeyed("pruned", 2000);
    assertTrue(published.batches() >= 4, "several batches: " + published.batches());
    try (Connection c = connect()) {
      List<List<Object>> r = query(c, "select count(*), sum(id) from pruned "
          + "where id between 100 and 150");
      assertEquals(List.of(51L, new BigDecimal(125 * 51)), List.of(r.get(0).get(0),
          new BigDecimal(r.get(0).get(1).toString())));
      long overlapping = cluster.metaClient().head("alice", "pruned").orElseThrow().signed()
          .manifest().batches().stream().filter(b -> (Long) b.stats().get(0).min() <= 150
              && (Long) b.stats().get(0).max() >= 100).count();
      SessionCounters n = counters(c);
      assertEquals(published.batches() - overlapping, n.prunedBatches(), n.toString());
      assertEquals(overlapping, n.fetchedBatches(), n.toString());
    }
  }

  @Test
  void aLimitStopsFetchingOnceEnoughRowsAreLoaded() throws Exception {
    PublishResult published = publishKeyed("limited", 3000);
    assertTrue(published.batches() >= 8, "many batches: " + published.batches());
    try (Connection c = connect()) {
      List<List<Object>> rows = query(c, "select id, name from limited limit 5");
      assertEquals(5, rows.size());
      for (List<Object> row : rows) {
        long id = ((Number) row.get(0)).longValue();
        assertEquals("limited-" + id, row.get(1), "rows are real rows of the table");
      }
      SessionCounters n = counters(c);
      assertTrue(n.fetchedBatches() < published.batches(), "stopped early: " + n);
      assertEquals(published.batches(), n.fetchedBatches() + n.limitSkippedBatches(),
          n.toString());
    }
  }

  @Test
  void aQueryKeepsItsSnapshotWhileTheNextVersionIsPublishedAndHistoryStaysReadable()
      throws Exception {
    String v1 = "v,name\n1,a\n1,b\n";
    String v2 = "v,name\n2,a\n2,b\n2,c\n";
    cluster.publish("snap", "v INTEGER, name VARCHAR", v1);
    // heads.max-age=0: the next query must see the version published meanwhile at once.
    try (Connection c = DriverManager.getConnection(cluster.url() + "?heads.max-age=0")) {
      AtomicBoolean published = new AtomicBoolean();
      c.unwrap(CairnSession.class).setAfterSnapshotHook(() -> {
        if (published.compareAndSet(false, true)) {
          try {
            cluster.publish("snap", "v INTEGER, name VARCHAR", v2);
          } catch (java.io.IOException e) {
            throw new UncheckedIOException(e);
          }
        }
      });
      assertEquals(List.of(List.of(1, 1, 2L)), query(c,
          "select min(v), max(v), count(*) from snap"));
      assertTrue(published.get());
      assertEquals(List.of(List.of(2, 2, 3L)), query(c,
          "select min(v), max(v), count(*) from snap"));
      assertEquals(List.of(List.of(1, 2L)), query(c, "select max(v), count(*) from snap$v1"));
      assertEquals(List.of(List.of(1, 2L)), query(c,
          "select max(v), count(*) from \"snap$v1\""));
      assertEquals(List.of(List.of(2L)), query(c,
          "select max(version) from cairn.versions where table_name = 'snap'"));
      // Every live donor has a round-trip time measured from this client.
      assertEquals(List.of(List.of(3L, 3L)), query(c,
          "select count(*), count(rtt_ms) from cairn.nodes where live and rtt_ms >= 0"));
    }
  }

  @Test
  void aServiceThatWentBackwardsCannotTakeAReaderBackFromTheHeadItHolds() throws Exception {
    List<java.net.InetSocketAddress> both = List.of(cluster.meta.address(),
        cluster.spare.address());
    cluster.publish("stale", KEYED, keyed("stale1", 10), SMALL_BATCH_BYTES, both);
    cluster.publish("stale", KEYED, keyed("stale2", 20), SMALL_BATCH_BYTES,
        List.of(cluster.meta.address()));
    // Without cache.dir the heads seen live in the runtime, which lives while a connection
    // with its settings is open: this one keeps it for the whole test.
    Connection holder = connect();
    try (Connection c = connect()) {
      assertEquals(List.of(List.of(20L)), query(c, "select count(*) from stale"));
    }
    String spare = "jdbc:cairn://" + TestCluster.hostPort(cluster.spare.address()) + "/alice";
    try (Connection c = DriverManager.getConnection(spare)) {
      // The spare offers v1 only; this runtime holds v2's signed head and answers from it.
      assertEquals(List.of(List.of(20L)), query(c, "select count(*) from stale"));
      assertTrue(c.unwrap(CairnSession.class).counters().heldHeads() > 0);
      assertEquals(List.of(List.of(10L)), query(c, "select count(*) from stale$v1"));
    }
    String staleFirst = "jdbc:cairn://" + TestCluster.hostPort(cluster.spare.address()) + ","
        + TestCluster.hostPort(cluster.meta.address()) + "/alice";
    try (Connection c = DriverManager.getConnection(staleFirst)) {
      assertEquals(List.of(List.of(20L)), query(c, "select count(*) from stale"));
    }
    holder.close();
  }

  @Test
  void aCorruptReplicaIsReportedAndAnotherServesTheBatch() throws Exception {
    cluster.publish("corrupt", KEYED, keyed("corrupt", 300));
    Manifest m = cluster.metaClient().head("alice", "corrupt").orElseThrow().signed()
        .manifest();
    ContentId id = m.batches().get(0).id();
    // Donors report holdings with their heartbeats.
    Await.eventually(TestCluster.TIMEOUT,
        () -> cluster.metaClient().placement(3, List.of(id)).get(0).holders().size() >= 3);
    BlobPlacement placement = cluster.metaClient().placement(3, List.of(id)).get(0);
    assertEquals(3, placement.holders().size(), "every copy reported");
    List<byte[]> order = new ArrayList<>(placement.holders());
    order.addAll(placement.placed());
    byte[] firstKey = order.get(0);
    StorageServer first = cluster.servers.stream()
        .filter(s -> Arrays.equals(s.nodeKey().toBytes(), firstKey)).findFirst().orElseThrow();
    Path file = first.store().file(id);
    byte[] bytes = Files.readAllBytes(file);
    bytes[bytes.length / 2] ^= 0x5a;
    // A lying donor: the bytes change but the file's stat does not, so the donor's own check
    // (a touched file is re-hashed before it is served) passes it and only the reader catches it.
    java.nio.file.attribute.FileTime modified = Files.getLastModifiedTime(file);
    Files.write(file, bytes);
    Files.setLastModifiedTime(file, modified);
    try (Connection c = connect()) {
      assertEquals(List.of(List.of(300L, new BigDecimal("56062.50"))),
          query(c, "select count(*), sum(amount) from corrupt"));
      assertEquals(1, counters(c).badHolders(), counters(c).toString());
    }
  }

  @Test
  void aRepeatedQueryFetchesNothingAndANewVersionOnlyItsChangedBatch() throws Exception {
    String csv = keyed("delta", 1200);
    PublishResult v1 = cluster.publish("delta", KEYED, csv, SMALL_BATCH_BYTES,
        List.of(cluster.meta.address(), cluster.spare.address()));
    // heads.max-age=0: the query after the publish must see the new version at once.
    try (Connection c = DriverManager.getConnection(cluster.url() + "?heads.max-age=0")) {
      SessionCounters n = counters(c);
      assertEquals(List.of(List.of(1200L)), query(c, "select count(*) from delta"));
      assertEquals(v1.batches(), n.fetchedBatches());
      long bytes = n.fetchedBytes();
      assertEquals(List.of(List.of(1200L)), query(c, "select count(*) from delta"));
      assertEquals(bytes, n.fetchedBytes(), "the repeated query fetched nothing");
      cluster.publish("delta", KEYED, csv.replace("delta-1199\n", "changed-1199\n"),
          SMALL_BATCH_BYTES, List.of(cluster.meta.address(), cluster.spare.address()));
      assertEquals(List.of(List.of(1L)), query(c,
          "select count(*) from delta where name = 'changed-1199'"));
      assertEquals(v1.batches() + 1, n.fetchedBatches(), n.toString());
      assertEquals(2, n.translations(), "a plain Statement re-used its translation while the"
          + " head stayed: " + n);
      assertEquals(List.of(List.of(1200L)), query(c, "select count(*) from delta"));
      assertEquals(3, n.translations(), "a new head translates again: " + n);
      assertEquals(List.of(List.of(1200L)), query(c, "select count(*) from delta"));
      assertEquals(3, n.translations(), n.toString());
    }
  }

  @Test
  void preparedStatementsBindParametersAndReRun() throws Exception {
    cluster.publish("params", KEYED, keyed("params", 50));
    try (Connection c = connect();
        PreparedStatement p = c.prepareStatement(
            "select name, amount from params where id = ? or name = ? order by name")) {
      assertEquals(2, p.getParameterMetaData().getParameterCount());
      p.setLong(1, 7);
      p.setString(2, "params-9");
      try (ResultSet rs = p.executeQuery()) {
        assertEquals(List.of(List.of("params-7", new BigDecimal("8.75")),
            List.of("params-9", new BigDecimal("11.25"))), rows(rs));
      }
      p.setLong(1, 49);
      p.setString(2, "none");
      try (ResultSet rs = p.executeQuery()) {
        assertEquals(p, rs.getStatement());
        assertEquals(List.of(List.of("params-49", new BigDecimal("61.25"))), rows(rs));
      }
      assertTrue(c.isValid(5));
      assertTrue(c.isReadOnly());
      SQLException syntax = assertThrows(SQLException.class,
          () -> query(c, "select from where"));
      assertEquals("42601", syntax.getSQLState());
      SQLException write = assertThrows(SQLException.class,
          () -> c.createStatement().executeUpdate("delete from params"));
      assertEquals("25006", write.getSQLState());
    }
  }

  @Test
  void catalogStatementsAndInformationSchemaDescribeTheSnapshot() throws Exception {
    cluster.publish("described", "id BIGINT NOT NULL, fare DECIMAL(10,2), day DATE",
        "id,fare,day\n1,12.50,2024-01-02\n");
    try (Connection c = connect()) {
      List<Object> tables = query(c, "show tables").stream().map(r -> r.get(0)).toList();
      assertTrue(tables.contains("described"), tables.toString());
      assertEquals(tables, query(c, "SHOW TABLES FROM alice").stream().map(r -> r.get(0))
          .toList());
      List<Object> schemas = query(c, "show schemas").stream().map(r -> r.get(0)).toList();
      assertTrue(schemas.containsAll(List.of("alice", "cairn", "information_schema")),
          schemas.toString());
      assertEquals(List.of(Arrays.asList("id", "BIGINT", "NO", null, null, null),
          Arrays.asList("fare", "DECIMAL(10,2)", "YES", null, null, null),
          Arrays.asList("day", "DATE", "YES", null, null, null)),
          query(c, "describe alice.described"));
      assertEquals(List.of(List.of("id", "BIGINT", 1), List.of("fare", "DECIMAL(10,2)", 2),
          List.of("day", "DATE", 3)), query(c, "select c.column_name, c.data_type,"
          + " c.ordinal_position from information_schema.tables t join"
          + " information_schema.columns c on t.table_schema = c.table_schema"
          + " and t.table_name = c.table_name where t.table_name = 'described'"
          + " and t.table_type = 'BASE TABLE' order by c.ordinal_position"));
      String version = (String) query(c, "select version()").get(0).get(0);
      assertTrue(version.startsWith("Cairn "), version);
    }
  }

  @Test
  void queriesThatLeakedTheEngineAnswerOrNameTheProblem() throws Exception {
    cluster.publish("fares", "id BIGINT NOT NULL, fare DECIMAL(10,2), note VARCHAR",
        "id,fare,note\n1,12.50,a\n2,3.00,7\n");
    try (Connection c = connect()) {
      assertEquals(List.of(List.of(1L)), query(c, "select id from fares where fare = '12.50'"));
      assertEquals(List.of(List.of("fares", 1L)), query(c, "select t.table_name, v.version"
          + " from cairn.tables t join cairn.versions v on t.table_name = v.table_name"
          + " and t.schema = v.schema where t.table_name = 'fares'"));
      assertEquals(List.of(List.of(3)), query(c, "select timestampdiff(day,"
          + " date '2024-02-28', date '2024-03-02')"));
      assertSqlError(c, "select rand() from fares", "UNSUPPORTED_SQL", "0A000");
      assertSqlError(c, "select left(id, 1) from fares", "BAD_FORMAT", "42883");
      assertSqlError(c, "select cast(note as integer) from fares", "BAD_FORMAT", "22018");
      assertSqlError(c, "show tables from nope", "NOT_FOUND", "3F000");
      assertSqlError(c, "insert into fares values (3, 1.00, 'x')", "BAD_FORMAT", "25006");
    }
  }

  private static void assertSqlError(Connection c, String sql, String named, String state) {
    SQLException e = assertThrows(SQLException.class, () -> query(c, sql), sql);
    assertEquals(state, e.getSQLState(), e.getMessage());
    assertTrue(e.getMessage().startsWith(named + ": "), e.getMessage());
  }

  @Test
  void theDefaultSchemaComesFromTheUrlAndSetSchema() throws Exception {
    cluster.publish("named", "x INTEGER", "x\n5\n");
    String noSchema = "jdbc:cairn://" + TestCluster.hostPort(cluster.meta.address());
    try (Connection c = DriverManager.getConnection(noSchema)) {
      assertNull(c.getSchema());
      assertEquals(List.of(List.of(5)), query(c, "select x from alice.named"));
      assertThrows(SQLException.class, () -> query(c, "select x from named"));
      c.setSchema("alice");
      assertEquals(List.of(List.of(5)), query(c, "select x from named"));
    }
  }

  @Test
  void connectionFailuresNameTheErrorAndSqlState() throws Exception {
    try (java.net.ServerSocket unused = new java.net.ServerSocket(0)) {
      int port = unused.getLocalPort();
      unused.close();
      // A tool's "Test Connection" must fail: the connect itself lists the tables.
      SQLException e = assertThrows(SQLException.class, () -> DriverManager.getConnection(
          "jdbc:cairn://127.0.0.1:" + port + "/alice?timeout=2s&connect.timeout=2s"));
      assertEquals("08001", e.getSQLState());
      assertTrue(e.getMessage().startsWith("IO_ERROR"), e.getMessage());
    }
  }

  /**
   * Sessions that read different columns of the same batches at once, in a cache small enough
   * that batches are evicted and loaded again all the time: columns are added to a batch while
   * other sessions read it, and every answer stays right.
   */
  @Test
  void concurrentQueriesOverDifferentColumnsOfTheSameBatchesInATinyCache() throws Exception {
    PublishResult published = publishKeyed("mixed", 1500);
    assertTrue(published.batches() >= 3, "several batches: " + published.batches());
    String url = cluster.url() + "?cache.size=4KiB";
    List<String> sql = List.of("select sum(id) from mixed",
        "select max(name) from mixed",
        "select count(*), sum(amount) from mixed where name like 'mixed-1%'",
        "select sum(id), max(name), sum(amount) from mixed");
    List<List<String>> expected = new ArrayList<>();
    try (Connection c = connect()) {
      for (String q : sql) {
        expected.add(query(c, q).get(0).stream().map(Object::toString).toList());
      }
    }
    // Held open so that the runtime the workers share outlives them and can be looked at.
    try (Connection watcher = DriverManager.getConnection(url)) {
      inParallel(6, seed -> {
        try (Connection c = DriverManager.getConnection(url)) {
          for (int q = 0; q < 40; q++) {
            int which = (seed + q) % sql.size();
            assertEquals(expected.get(which), query(c, sql.get(which)).get(0).stream()
                .map(Object::toString).toList(), sql.get(which));
          }
        }
      });
      assertTrue(watcher.unwrap(CairnSession.class).runtime().cache().evictions() > 0,
          "the cache was small enough to evict");
    }
  }

  @Test
  void eightThreadsThroughAPoolGetRightAnswers() throws Exception {
    cluster.publish("pool", KEYED, keyed("pool", 100));
    com.zaxxer.hikari.HikariConfig config = new com.zaxxer.hikari.HikariConfig();
    config.setJdbcUrl(cluster.url());
    config.setMaximumPoolSize(8);
    int queries = 200;
    try (com.zaxxer.hikari.HikariDataSource pool = new com.zaxxer.hikari.HikariDataSource(
        config)) {
      inParallel(8, seed -> {
        for (int q = 0; q < queries; q++) {
          int limit = (seed * 31 + q) % 100;
          try (Connection c = pool.getConnection();
              PreparedStatement p = c.prepareStatement(
                  "select count(*), sum(id) from pool where id < ?")) {
            p.setInt(1, limit);
            try (ResultSet rs = p.executeQuery()) {
              rs.next();
              assertEquals(limit, rs.getLong(1));
              assertEquals((long) limit * (limit - 1) / 2, rs.getLong(2));
            }
          }
        }
      });
    }
  }

  /** What one of several threads does; {@code seed} tells them apart. */
  @FunctionalInterface
  private interface Worker {
    void run(int seed) throws Exception;
  }

  /** Runs {@code worker} on {@code threads} threads at once; fails with what any of them threw. */
  private static void inParallel(int threads, Worker worker) throws InterruptedException {
    Map<Integer, Throwable> failures = new HashMap<>();
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int seed = t;
      workers.add(new Thread(() -> {
        try {
          worker.run(seed);
        } catch (Throwable e) {
          synchronized (failures) {
            failures.put(seed, e);
          }
        }
      }));
    }
    workers.forEach(Thread::start);
    for (Thread w : workers) {
      w.join();
    }
    assertEquals(Map.of(), failures);
  }
}
