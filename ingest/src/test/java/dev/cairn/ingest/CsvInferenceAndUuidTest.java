package dev.cairn.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.client.net.ConnectionPool;
import dev.cairn.client.publish.ProgressListener;
import dev.cairn.client.publish.PublishRequest;
import dev.cairn.client.publish.Publisher;
import dev.cairn.cluster.LocalCluster;
import dev.cairn.wire.crypto.SigningKey;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Goal: the same CSV text, plain (our reader) and gzipped (DuckDB's), infers one schema and
 * publishes the same rows, over ints, decimals, dates, timestamps, zoned timestamps, times,
 * booleans in t/f/True/yes forms, UUIDs and blanks; and UUIDs from Parquet's UUID logical type
 * and from NDJSON text land as UUID columns equal to what DuckDB reads.
 */
class CsvInferenceAndUuidTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(20);
  private static final String MIXED = """
      i,d,day,ts,tz,tm,b1,b2,b3,u,blank,text
      1,1.50,2024-03-01,2024-03-01 10:15:30,2024-03-01T10:15:30+02:00,10:15:30,t,True,yes,\
      a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11,,x
      -2,-20.25,1999-12-31,1999-12-31T23:59:59.123456,2024-03-01 08:00:00Z,00:00:00,f,false,no,\
      A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A12,,"quoted, text"
      ,3,,,,,,TRUE,,,,
      40000000000,0.00,2000-02-29,2000-02-29 00:00:00,1970-01-01 00:00:00+00,23:59:59,T,FALSE,\
      NO,80000000-0000-4000-8000-000000000001,,
      """;

  @TempDir static Path dir;
  private static LocalCluster cluster;
  private static ConnectionPool pool;
  private static final SigningKey WRITER = SigningKey.generate(new SecureRandom());

  @BeforeAll
  static void start() throws java.io.IOException {
    cluster = LocalCluster.start(dir.resolve("cluster"), LocalCluster.Options.of(3));
    pool = new ConnectionPool(TIMEOUT);
  }

  @AfterAll
  static void stop() {
    pool.close();
    cluster.close();
  }

  @Test
  void plainAndGzippedCsvInferTheSameSchemaAndRows() throws Exception {
    Path plain = dir.resolve("mixed.csv");
    Files.writeString(plain, MIXED);
    Path gzipped = dir.resolve("mixed.csv.gz");
    try (GZIPOutputStream out = new GZIPOutputStream(Files.newOutputStream(gzipped))) {
      out.write(MIXED.getBytes(StandardCharsets.UTF_8));
    }
    publish("plain", plain);
    publish("gzipped", gzipped);
    List<String> types = types("plain");
    assertEquals(List.of("BIGINT", "DOUBLE", "DATE", "TIMESTAMP", "TIMESTAMP WITH TIME ZONE",
        "TIME", "BOOLEAN", "BOOLEAN", "BOOLEAN", "UUID", "VARCHAR", "VARCHAR"), types);
    assertEquals(types, types("gzipped"));
    List<List<Object>> rows = cairn("SELECT * FROM alice.plain ORDER BY i NULLS LAST");
    assertEquals(4, rows.size());
    assertEquals(rows, cairn("SELECT * FROM alice.gzipped ORDER BY i NULLS LAST"));
    assertEquals(duckDb("SELECT * REPLACE (CAST(u AS UUID) AS u) FROM read_csv('" + plain
        + "') ORDER BY i NULLS LAST"), rows);
  }

  @Test
  void parquetAndNdjsonUuidsLandAsUuidColumns() throws Exception {
    String rows = "SELECT * FROM (VALUES (1, 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::UUID), "
        + "(2, NULL), (3, '80000000-0000-4000-8000-000000000001'::UUID)) AS t(id, u)";
    Path parquet = dir.resolve("uuids.parquet");
    Path ndjson = dir.resolve("uuids.ndjson");
    duckDbExecute("COPY (" + rows + ") TO '" + parquet + "' (FORMAT parquet)");
    duckDbExecute("COPY (" + rows + ") TO '" + ndjson + "' (FORMAT json)");
    publish("pq", parquet);
    publish("nd", ndjson);
    assertEquals(List.of("BIGINT", "UUID"), types("nd"));
    assertEquals("UUID", types("pq").get(1));
    assertEquals(duckDb("SELECT * FROM read_parquet('" + parquet + "') ORDER BY id"),
        cairn("SELECT * FROM alice.pq ORDER BY id"));
    assertEquals(duckDb("SELECT * FROM read_json('" + ndjson + "') ORDER BY id"),
        cairn("SELECT * FROM alice.nd ORDER BY id"));
    assertTrue(cairn("SELECT id FROM alice.pq WHERE u = 'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11'")
        .size() == 1);
  }

  private static void publish(String table, Path file) {
    new Publisher(pool, ProgressListener.NONE, new IngestOpener(null))
        .publish(PublishRequest.of(List.of(cluster.metaAddress()), WRITER, "alice", table,
            List.of(file)));
  }

  private static List<String> types(String table) throws SQLException {
    List<String> types = new ArrayList<>();
    try (Connection connection = DriverManager.getConnection(url());
        ResultSet rows = connection.getMetaData().getColumns(null, "alice", table, "%")) {
      while (rows.next()) {
        types.add(rows.getString("TYPE_NAME"));
      }
    }
    return types;
  }

  private static void duckDbExecute(String sql) throws SQLException {
    try (Connection duckdb = DriverManager.getConnection("jdbc:duckdb:");
        Statement statement = duckdb.createStatement()) {
      statement.execute(sql);
    }
  }

  private static List<List<Object>> duckDb(String sql) throws SQLException {
    try (Connection duckdb = DriverManager.getConnection("jdbc:duckdb:")) {
      return rows(duckdb, sql);
    }
  }

  private static List<List<Object>> cairn(String sql) throws SQLException {
    try (Connection connection = DriverManager.getConnection(url())) {
      return rows(connection, sql);
    }
  }

  private static String url() {
    return "jdbc:cairn://" + cluster.metaHostPort() + "/alice";
  }

  private static List<List<Object>> rows(Connection connection, String sql) throws SQLException {
    List<List<Object>> rows = new ArrayList<>();
    try (Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery(sql)) {
      int columns = result.getMetaData().getColumnCount();
      while (result.next()) {
        List<Object> row = new ArrayList<>(columns);
        for (int c = 1; c <= columns; c++) {
          Object value = result.getObject(c);
          row.add(value instanceof Number n ? new BigDecimal(n.toString()).stripTrailingZeros()
              : value == null ? null : value.getClass().getSimpleName() + ":" + value);
        }
        rows.add(row);
      }
    }
    return rows;
  }
}
