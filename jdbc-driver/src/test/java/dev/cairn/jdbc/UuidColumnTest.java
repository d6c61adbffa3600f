package dev.cairn.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.client.publish.PublishRequest;
import dev.cairn.client.publish.PublishResult;
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
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Goal: a UUID column round-trips from CSV (given as UUID, and inferred) through a real
 * cluster and jdbc:cairn as DuckDB reads the same file; getters and metadata report a UUID;
 * comparisons with text and UUID literals prune batches by bounds in DuckDB's (unsigned)
 * order and answer as DuckDB does. The values cross 80000000-..., where Java's signed
 * UUID order and DuckDB's differ.
 */
class UuidColumnTest {
  private static final int ROWS = 600;
  private static final List<String> FILTERS = List.of(
      "u = '" + uuid(10) + "'", "u = UUID '" + uuid(500) + "'",
      "u > '80000000-0000-0000-0000-000000000000'", "u < UUID '" + uuid(40) + "'",
      "u between '" + uuid(300) + "' and '" + uuid(320) + "'",
      "u in (UUID '" + uuid(100) + "', UUID '" + uuid(101) + "')",
      "u in ('" + uuid(100).toUpperCase(Locale.ROOT) + "', '" + uuid(101) + "')");

  @TempDir
  static Path dir;
  static TestCluster cluster;
  static Connection duckdb;

  @BeforeAll
  static void start() throws Exception {
    cluster = TestCluster.start(dir.resolve("cluster"), 3);
    duckdb = DriverManager.getConnection("jdbc:duckdb:");
    Path csv = dir.resolve("uuids.csv");
    Files.writeString(csv, csv());
    publish("given", csv, "id INTEGER NOT NULL, u UUID, note VARCHAR");
    publish("inferred", csv, null);
    try (Statement s = duckdb.createStatement()) {
      s.execute("CREATE TABLE given AS SELECT * FROM read_csv('" + csv + "', header = true, "
          + "columns = {'id': 'INTEGER', 'u': 'UUID', 'note': 'VARCHAR'})");
    }
  }

  @AfterAll
  static void stop() throws Exception {
    duckdb.close();
    cluster.close();
  }

  @Test
  void givenAndInferredReadAsDuckDbReadsThem() throws Exception {
    try (Connection c = connect()) {
      // Inferred, id is a BIGINT, as every inferred integer column.
      String sql = "select cast(id as integer) as id, u, note from %s order by id";
      List<List<Object>> expected = rows(duckdb, sql.formatted("given"));
      assertEquals(expected.toString(), rows(c, sql.formatted("given")).toString(), "given");
      assertEquals(expected.toString(), rows(c, sql.formatted("inferred")).toString(),
          "inferred");
    }
  }

  @Test
  void filtersPruneInDuckDbsOrderAndAnswerAsDuckDb() throws Exception {
    List<String> queries = FILTERS.stream()
        .map(filter -> "select id, u from given where " + filter + " order by id").toList();
    try (Connection c = connect()) {
      for (String sql : queries) {
        assertTrue(!rows(duckdb, sql).isEmpty(), sql);
      }
      List<String> unpruned = SqlRows.answerAsDuckDbAndListUnpruned(c, duckdb, queries,
          v -> v == null ? null : v.getClass().getSimpleName() + ":" + v);
      assertEquals(List.of(), unpruned, "filters that pruned no batch");
    }
  }

  @Test
  void gettersAndMetadataReportAUuid() throws Exception {
    try (Connection c = connect(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("select u from given where id = 5")) {
      assertTrue(rs.next());
      assertEquals(UUID.fromString(uuid(5)), rs.getObject(1));
      assertEquals(UUID.fromString(uuid(5)), rs.getObject("u", UUID.class));
      assertEquals(uuid(5), rs.getString(1));
      assertEquals(Types.OTHER, rs.getMetaData().getColumnType(1));
      assertEquals("UUID", rs.getMetaData().getColumnTypeName(1));
    }
    try (Connection c = connect();
        PreparedStatement p = c.prepareStatement("select u from given where id = ?")) {
      assertEquals(Types.OTHER, p.getMetaData().getColumnType(1));
      assertEquals("UUID", p.getMetaData().getColumnTypeName(1));
      assertEquals(UUID.class.getName(), p.getMetaData().getColumnClassName(1));
    }
    try (Connection c = connect();
        ResultSet rs = c.getMetaData().getColumns(null, "alice", "inferred", "u")) {
      assertTrue(rs.next());
      assertEquals(Types.OTHER, rs.getInt("DATA_TYPE"));
      assertEquals("UUID", rs.getString("TYPE_NAME"));
      assertEquals(DatabaseMetaData.columnNullable, rs.getInt("NULLABLE"));
    }
  }

  /** The UUID of row {@code i}: rising with i, from 00000000-... across 80000000-... . */
  private static String uuid(int i) {
    return String.format(Locale.ROOT, "%08x-0000-4000-8000-%012x", i * 7_000_000L, i);
  }

  /** Mixed-case and brace forms (DuckDB reads them all), blanks for NULL. */
  private static String csv() {
    StringBuilder text = new StringBuilder("id,u,note\n");
    for (int i = 0; i < ROWS; i++) {
      String u = i % 9 == 8 ? "" : i % 5 == 0 ? uuid(i).toUpperCase(Locale.ROOT)
          : i % 7 == 0 ? "{" + uuid(i) + "}" : uuid(i);
      text.append(i).append(',').append(u).append(",n").append(i).append('\n');
    }
    return text.toString();
  }

  private static List<List<Object>> rows(Connection c, String sql) throws SQLException {
    // The class shows: a UUID read back as text would otherwise print the same.
    return SqlRows.rows(c, sql, v -> v == null ? null : v.getClass().getSimpleName() + ":" + v);
  }

  private static Connection connect() throws SQLException {
    return DriverManager.getConnection(cluster.url());
  }

  private static PublishResult publish(String table, Path file, String schema) {
    PublishResult result = cluster.publishFile(table, file, schema,
        PublishRequest.BATCH_TARGET_BYTES_MIN);
    assertTrue(result.batches() >= 4, "several batches: " + result.batches());
    return result;
  }
}
