package dev.cairn.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.client.publish.PublishResult;
import dev.cairn.cluster.LocalCluster;
import dev.cairn.wire.CairnException;
import dev.cairn.wire.ErrorCode;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Goal: every input format the cli publishes (CSV plain, sniffed ';' / tab / '|' with or
 * without a header, gzip, zstd; Parquet; NDJSON) lands in a real LocalCluster and reads back
 * through jdbc:cairn equal to what DuckDB reads from the same file; a given schema overrides
 * the file's types; and bad inputs (ragged rows, bad values, wrong compression, truncated
 * Parquet, a type with no Cairn type) fail with BAD_FORMAT naming the file (and line) and
 * publish nothing.
 */
class IngestFormatsTest {
  /** The fixture rows, with a quoted delimiter, a quote, non-ASCII text and NULLs. */
  private static final String ROWS = "SELECT * FROM (VALUES "
      + "(1, 'plain', 1.50, DATE '2024-03-01', TIMESTAMP '2024-03-01 10:15:30', true), "
      + "(2, 'with, comma; semi|pipe', -20.25, DATE '1999-12-31', "
      + "TIMESTAMP '1999-12-31 23:59:59.123456', false), "
      + "(3, 'quote \"q\" and ünïcode', 0.00, NULL, NULL, NULL), "
      + "(4, NULL, NULL, DATE '2000-02-29', TIMESTAMP '2000-02-29 00:00:00', true)"
      + ") AS t(id, name, price, day, ts, flag)";

  @TempDir static Path dir;
  private static IngestCluster cluster;

  @BeforeAll
  static void start() throws IOException {
    cluster = IngestCluster.start(dir.resolve("cluster"));
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  @Test
  void everyFormatReadsBackAsDuckDbReadsIt() throws Exception {
    String[][] cases = {
        {"plain.csv", "(FORMAT csv, HEADER true)", "read_csv"},
        {"semi.csv", "(FORMAT csv, HEADER true, DELIMITER ';')", "read_csv"},
        {"tabs.tsv", "(FORMAT csv, HEADER false, DELIMITER '\t')", "read_csv"},
        {"pipes.txt", "(FORMAT csv, HEADER true, DELIMITER '|')", "read_csv"},
        {"rows.csv.gz", "(FORMAT csv, HEADER true, COMPRESSION gzip)", "read_csv"},
        {"rows.csv.zst", "(FORMAT csv, HEADER true, COMPRESSION zstd)", "read_csv"},
        {"rows.parquet", "(FORMAT parquet)", "read_parquet"},
        {"rows.ndjson", "(FORMAT json)", "read_json"},
    };
    for (String[] c : cases) {
      Path file = write(c[0], ROWS, c[1]);
      String table = "t_" + c[0].replaceAll("[^a-z]", "_");
      publish(table, null, null, file);
      List<List<Object>> expected = duckDb("SELECT * FROM " + c[2] + "('" + file
          + "') ORDER BY 1");
      assertEquals(expected, cairn("SELECT * FROM alice." + table + " ORDER BY 1"), c[0]);
      assertEquals(4, expected.size(), c[0]);
    }
  }

  @Test
  void givenSchemaOverridesTheFileTypes() throws Exception {
    String schema = "id INTEGER, name VARCHAR, price DECIMAL(9,3), day DATE, ts TIMESTAMP, "
        + "flag BOOLEAN";
    for (String name : List.of("typed.csv", "typed.csv.gz", "typed.parquet", "typed.ndjson")) {
      String format = name.endsWith(".parquet") ? "(FORMAT parquet)"
          : name.endsWith(".ndjson") ? "(FORMAT json)"
          : name.endsWith(".gz") ? "(FORMAT csv, COMPRESSION gzip)" : "(FORMAT csv)";
      Path file = write(name, ROWS, format);
      String table = "s_" + name.replaceAll("[^a-z]", "_");
      publish(table, schema, null, file);
      assertEquals(List.of("INTEGER", "VARCHAR", "DECIMAL", "DATE", "TIMESTAMP", "BOOLEAN"),
          cluster.types(table).stream().map(t -> t.replaceAll("\\(.*", "")).toList(), name);
      assertEquals(duckDb("SELECT id, price::DECIMAL(9,3) FROM (" + ROWS + ") ORDER BY 1"),
          cairn("SELECT id, price FROM alice." + table + " ORDER BY 1"), name);
    }
  }

  @Test
  void nonIsoDatesAreReadAsDuckDbSniffsThem() throws Exception {
    Path file = dir.resolve("dmy.csv");
    Files.writeString(file, "id,day,stamp\n1,31/12/2024,31/12/2024 10:11:12\n"
        + "2,01/02/2023,01/02/2023 00:00:00\n3,,\n");
    publish("dmy", null, null, file);
    assertEquals(List.of("BIGINT", "DATE", "TIMESTAMP"), cluster.types("dmy"));
    List<List<Object>> expected = duckDb("SELECT * FROM read_csv('" + file + "') ORDER BY 1");
    assertEquals(expected, cairn("SELECT * FROM alice.dmy ORDER BY 1"));
    assertEquals(java.time.LocalDate.of(2024, 12, 31), expected.get(0).get(1));
  }

  @Test
  void badInputsAreNamedAndPublishNothing() throws Exception {
    Path ragged = dir.resolve("ragged.csv.gz");
    gzip(ragged, "a,b,c\n1,2,3\n4,5\n");
    assertRefused("ragged", ragged, null, "ragged.csv.gz", "line");

    Path raggedPlain = dir.resolve("ragged.csv");
    Files.writeString(raggedPlain, "a,b,c\n1,2,3\n4,5,6,7\n");
    assertRefused("ragged_plain", raggedPlain, null, "ragged.csv", "line");

    Path badValue = dir.resolve("bad.csv.zst");
    Path text = write("bad-source.csv", "SELECT * FROM (VALUES ('1', 'x'), ('oops', 'y')) "
        + "AS t(id, name)", "(FORMAT csv, HEADER true)");
    duckDbExecute("COPY (SELECT * FROM read_csv('" + text + "', all_varchar = true)) TO '"
        + badValue + "' (FORMAT csv, HEADER true, COMPRESSION zstd)");
    assertRefused("bad_value", badValue, "id BIGINT, name VARCHAR", "bad.csv.zst", "oops");

    Path notGzip = dir.resolve("not-gzip.csv.gz");
    Files.writeString(notGzip, "a,b\n1,2\n");
    assertRefused("not_gzip", notGzip, null, "not-gzip.csv.gz", "gzip");

    Path whole = write("whole.parquet", "SELECT range AS id FROM range(100000)",
        "(FORMAT parquet)");
    byte[] bytes = Files.readAllBytes(whole);
    Path truncated = dir.resolve("truncated.parquet");
    Files.write(truncated, Arrays.copyOf(bytes, bytes.length / 2));
    assertRefused("truncated", truncated, null, "truncated.parquet", "");

    Path interval = write("interval.parquet", "SELECT 1 AS id, INTERVAL 3 DAY AS wait",
        "(FORMAT parquet)");
    assertRefused("interval", interval, null, "interval.parquet", "'wait'");
  }

  private static void assertRefused(String table, Path file, String schema, String names,
      String mentions) throws Exception {
    CairnException refused = assertThrows(CairnException.class,
        () -> publish(table, schema, null, file));
    assertEquals(ErrorCode.BAD_FORMAT, refused.code(), refused.getMessage());
    String message = refused.getMessage().toLowerCase(Locale.ROOT);
    assertTrue(message.contains(names) && message.contains(mentions.toLowerCase(Locale.ROOT)),
        refused.getMessage());
    assertTrue(cluster.meta().head("alice", table).isEmpty(), table + " was not published");
  }

  private static PublishResult publish(String table, String schema, Character delimiter,
      Path file) {
    return cluster.publish(table, schema, delimiter, file);
  }

  /** Writes {@code query}'s rows to {@code name} with DuckDB's COPY {@code options}. */
  private static Path write(String name, String query, String options) throws SQLException {
    Path file = dir.resolve(name);
    duckDbExecute("COPY (" + query + ") TO '" + file + "' " + options);
    return file;
  }

  private static void gzip(Path file, String text) throws IOException {
    try (var out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(file))) {
      out.write(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
  }

  private static void duckDbExecute(String sql) throws SQLException {
    IngestCluster.duckDbExecute(sql);
  }

  private static List<List<Object>> duckDb(String sql) throws SQLException {
    return IngestCluster.duckDb(sql, IngestFormatsTest::normalize);
  }

  private static List<List<Object>> cairn(String sql) throws SQLException {
    return cluster.cairn(sql, IngestFormatsTest::normalize);
  }

  /** Returns a value both drivers' objects compare equal by: numbers exact, times local. */
  private static Object normalize(Object value) {
    if (value instanceof Number number) {
      return new BigDecimal(number.toString()).stripTrailingZeros();
    }
    if (value instanceof java.sql.Timestamp timestamp) {
      return timestamp.toLocalDateTime();
    }
    if (value instanceof java.sql.Date date) {
      return date.toLocalDate();
    }
    return value;
  }
}
