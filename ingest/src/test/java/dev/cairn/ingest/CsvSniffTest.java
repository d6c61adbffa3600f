package dev.cairn.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.wire.Column;
import dev.cairn.wire.ColumnType;
import dev.cairn.wire.TableSchema;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Goal: the one sniff ({@link CsvSniff}, then {@link CsvTypes#of} on the same connection) finds
 * the same dialect, schema and date handling as the four DuckDB calls it replaced (sniff_csv
 * for the dialect, DESCRIBE of an auto-detecting read_csv, the UUID sample through another
 * auto-detecting read_csv, sniff_csv again for the date formats), which this test keeps as its
 * reference, over the shapes the other ingest tests publish and a few more: delimiters, no
 * header, quotes with delimiters and line ends inside, CRLF, no quotes, non-ISO dates, UUIDs
 * and a non-UUID value among them, a line near DuckDB's longest, gzip, a ragged file and a
 * given delimiter.
 */
class CsvSniffTest {
  @TempDir Path dir;

  @Test
  void oneSniffFindsWhatTheFourCallsFound() throws Exception {
    check(write("mixed.csv", CsvInferenceAndUuidTest.MIXED), null);
    check(gzip("mixed.csv.gz", CsvInferenceAndUuidTest.MIXED), null);
    check(write("semi.csv", "id;name;price\n1;\"a;b\";1.5\n2;\"say \"\"hi\"\"\";-2\n"), null);
    check(write("tabs.tsv", "1\tx\t2024-01-02\n2\ty\t2024-01-03\n"), null);
    check(write("pipes.txt", "a|b\n1|x\n2|\n"), null);
    check(write("crlf.csv", "a,b,c\r\n1,\"two\r\nlines\",3\r\n4,x,6\r\n"), null);
    check(write("noquotes.csv", "a,b\n1,x\n2,y\n"), null);
    check(write("dmy.csv", "day,stamp,n\n31/12/2024,31/12/2024 10:11:12,1\n"
        + "01/02/2023,01/02/2023 00:00:00,2\n"), null);
    check(write("uuids.csv", "id,u,almost\n1,a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11,"
        + "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11\n2,{80000000-0000-4000-8000-000000000001},"
        + "not-a-uuid\n3,,\n"), null);
    check(write("one.csv", "only\n1\n2\n"), null);
    check(write("long.csv", "id,text\n1," + "x".repeat(1_900_000) + "\n2,y\n"), null);
    check(write("ragged.csv", "a,b,c\n1,2,3\n4,5\n"), null);
    check(write("given.csv", "a;b\n1;2\n"), ';');
  }

  @Test
  void theSampleReadsTheTextAsSniffed() throws Exception {
    Path file = write("sample.csv", "id,u\n1,\"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11\"\n2,\n");
    try (Connection connection = DuckDbInput.connect()) {
      CsvSniff sniff = CsvSniff.of(connection, file, InputFormat.Compression.NONE, null);
      assertEquals(List.of("id", "u"), sniff.names());
      CsvTypes types = CsvTypes.of(connection, file, InputFormat.Compression.NONE, sniff);
      assertEquals(new TableSchema(List.of(new Column("id", ColumnType.BIGINT, true),
          new Column("u", ColumnType.UUID, true))), types.schema());
      assertTrue(types.isoTemporal());
    }
  }

  @Test
  void aRaggedFileGetsThePlainDialectAndNoColumns() throws Exception {
    Path file = write("ragged.csv", "a,b,c\n1,2,3\n4,5\n");
    try (Connection connection = DuckDbInput.connect()) {
      CsvSniff sniff = CsvSniff.of(connection, file, InputFormat.Compression.NONE, null);
      assertFalse(sniff.dialect().sniffed());
      assertEquals(",", sniff.dialect().delimiter());
      assertTrue(sniff.names().isEmpty());
    }
  }

  /** Compares the one sniff with the reference calls for {@code file}. */
  private static void check(Path file, Character delimiter) throws SQLException {
    InputFormat.Compression compression = InputFormat.detect(file).compression();
    try (Connection connection = DuckDbInput.connect();
        Statement statement = connection.createStatement()) {
      CsvSniff sniff = CsvSniff.of(connection, file, compression, delimiter);
      CsvDialect before = dialectBefore(statement, file, compression, delimiter);
      String name = file.getFileName().toString();
      assertEquals(before, sniff.dialect(), name);
      if (!before.sniffed()) {
        return;
      }
      CsvTypes after = CsvTypes.of(connection, file, compression, sniff);
      String source = "read_csv(" + DuckDbInput.literal(file.toString()) + ", compression = "
          + DuckDbInput.literal(compression.duckDbName) + ", delim = "
          + DuckDbInput.literal(before.delimiter()) + ", header = " + before.header()
          + ", skip = 0)";
      TableSchema schemaBefore = schemaBefore(statement, source);
      if (schemaBefore == null) {
        assertNull(after, name);
        return;
      }
      assertEquals(schemaBefore, after.schema(), name);
      assertEquals(isoTemporalBefore(statement, file, compression, before), after.isoTemporal(),
          name);
    }
  }

  /** The dialect as CsvDialect.sniff found it before: sniff_csv and the one-column rule. */
  private static CsvDialect dialectBefore(Statement statement, Path file,
      InputFormat.Compression compression, Character delimiter) throws SQLException {
    String sql = "SELECT Delimiter, Quote, HasHeader, len(Columns), Columns[1].name FROM "
        + "sniff_csv(" + DuckDbInput.literal(file.toString()) + ", compression = "
        + DuckDbInput.literal(compression.duckDbName) + ", skip = 0"
        + (delimiter == null ? "" : ", delim = " + DuckDbInput.literal(delimiter.toString()))
        + ")";
    try (ResultSet row = statement.executeQuery(sql)) {
      row.next();
      String quote = row.getString(2);
      boolean header = row.getBoolean(3);
      String first = row.getString(5);
      if (delimiter == null && row.getLong(4) == 1 && header) {
        for (String common : List.of(",", ";", "\t", "|")) {
          if (first != null && first.contains(common)) {
            return new CsvDialect(common, "\"", true, false);
          }
        }
      }
      return new CsvDialect(row.getString(1), quote == null || "\0".equals(quote) ? "" : quote,
          header, true);
    }
  }

  /** The schema as CsvTypes.sniff found it before: DESCRIBE, then the UUID sample. */
  private static TableSchema schemaBefore(Statement statement, String source)
      throws SQLException {
    List<String> names = new ArrayList<>();
    List<String> types = new ArrayList<>();
    try (ResultSet columns = statement.executeQuery("DESCRIBE SELECT * FROM " + source)) {
      while (columns.next()) {
        names.add(columns.getString("column_name"));
        types.add(columns.getString("column_type"));
      }
    }
    List<Column> columns = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      ColumnType type;
      try {
        type = ColumnType.parse(types.get(i));
      } catch (RuntimeException unknown) {
        return null;
      }
      if (type.equals(ColumnType.VARCHAR) && allUuids(statement, source, names.get(i))) {
        type = ColumnType.UUID;
      }
      columns.add(new Column(names.get(i), type, true));
    }
    return new TableSchema(columns);
  }

  private static boolean allUuids(Statement statement, String source, String name)
      throws SQLException {
    String column = DuckDbInput.identifier(name);
    try (ResultSet row = statement.executeQuery("SELECT count(" + column + "), count(TRY_CAST("
        + column + " AS UUID)) FROM (SELECT * FROM " + source + " LIMIT "
        + CsvTypes.SAMPLE_ROWS + ")")) {
      row.next();
      return row.getLong(1) > 0 && row.getLong(1) == row.getLong(2);
    }
  }

  private static boolean isoTemporalBefore(Statement statement, Path file,
      InputFormat.Compression compression, CsvDialect dialect) throws SQLException {
    try (ResultSet row = statement.executeQuery("SELECT DateFormat, TimestampFormat FROM "
        + "sniff_csv(" + DuckDbInput.literal(file.toString()) + ", compression = "
        + DuckDbInput.literal(compression.duckDbName) + ", skip = 0, delim = "
        + DuckDbInput.literal(dialect.delimiter()) + ")")) {
      row.next();
      String date = row.getString(1);
      return (date == null || "%Y-%m-%d".equals(date)) && row.getString(2) == null;
    }
  }

  private Path write(String name, String text) throws IOException {
    return Files.writeString(dir.resolve(name), text);
  }

  private Path gzip(String name, String text) throws IOException {
    Path file = dir.resolve(name);
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    }
    return file;
  }
}
