package dev.cairn.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
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
  /** Every type the sniffer infers, in the forms CSV files carry them (CsvSniffTest too). */
  static final String MIXED = """
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
  private static IngestCluster cluster;

  @BeforeAll
  static void start() throws java.io.IOException {
    cluster = IngestCluster.start(dir.resolve("cluster"));
  }

  @AfterAll
  static void stop() {
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
    IngestCluster.duckDbExecute("COPY (" + rows + ") TO '" + parquet + "' (FORMAT parquet)");
    IngestCluster.duckDbExecute("COPY (" + rows + ") TO '" + ndjson + "' (FORMAT json)");
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
    cluster.publish(table, null, null, file);
  }

  private static List<String> types(String table) throws SQLException {
    return cluster.types(table);
  }

  private static List<List<Object>> duckDb(String sql) throws SQLException {
    return IngestCluster.duckDb(sql, CsvInferenceAndUuidTest::normalize);
  }

  private static List<List<Object>> cairn(String sql) throws SQLException {
    return cluster.cairn(sql, CsvInferenceAndUuidTest::normalize);
  }

  /** Numbers compare exactly; anything else by its class and text, so types must match too. */
  private static Object normalize(Object value) {
    return value instanceof Number n ? new BigDecimal(n.toString()).stripTrailingZeros()
        : value == null ? null : value.getClass().getSimpleName() + ":" + value;
  }
}
