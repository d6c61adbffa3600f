package dev.cairn.tpchdata;

import dev.cairn.wire.CairnException;
import dev.cairn.wire.Column;
import dev.cairn.wire.ColumnType;
import dev.cairn.wire.ErrorCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Generates TPC-H data with io.trino.tpch (a faithful port of dbgen: same rows as DuckDB's
 * tpch extension) as Java rows, as CSV files, or straight into a DuckDB connection.
 *
 * <p>Rows hold exactly the objects {@link dev.cairn.wire.batch.BatchBuilder} takes for each
 * column type: Long (BIGINT), Integer (INTEGER), BigDecimal of scale 2 (DECIMAL(15,2)),
 * LocalDate (DATE) and String (VARCHAR). Nothing passes through {@code double}.
 *
 * <p>{@link #loadInto} goes through CSV files and DuckDB's {@code COPY} rather than DuckDB's
 * Appender so that this module needs DuckDB only in its tests; the COPY names the table's
 * declared types, so the loaded columns are exactly those of {@link TpchTable#schema}.
 */
public final class TpchGenerator {
  /** Largest scale factor accepted: SF 1000 is about 1 TB, far past any test or demo. */
  public static final double SCALE_MAX = 1000;

  private TpchGenerator() {}

  /** Returns the rows of {@code table} at scale factor {@code scale}, generated lazily. */
  public static Iterator<List<Object>> rows(TpchTable table, double scale) {
    checkScale(scale);
    return TpchRows.of(table, scale);
  }

  /**
   * Writes every table as {@code dir/<table>.csv} (UTF-8, header line of column names) and
   * returns the files by table. Creates {@code dir} if needed; replaces existing files.
   */
  public static Map<TpchTable, Path> writeCsv(Path dir, double scale) throws IOException {
    checkScale(scale);
    Files.createDirectories(dir);
    Map<TpchTable, Path> files = new EnumMap<>(TpchTable.class);
    for (TpchTable table : TpchTable.values()) {
      Path file = dir.resolve(table.tableName() + ".csv");
      writeCsv(table, file, scale);
      files.put(table, file);
    }
    return files;
  }

  /** Writes one table as CSV with a header line to {@code file}, replacing it; returns rows. */
  public static long writeCsv(TpchTable table, Path file, double scale) throws IOException {
    return CsvFiles.write(file, table.columnNames(), rows(table, scale));
  }

  /**
   * Creates the eight tables in a DuckDB connection, with exactly the types of
   * {@link TpchTable#schema} and NOT NULL columns, and fills them at scale factor
   * {@code scale}. Fails if a table of the same name exists. The CSV files it goes through live
   * in a temporary directory deleted before returning.
   */
  public static void loadInto(Connection duckdb, double scale) throws SQLException, IOException {
    checkScale(scale);
    Path dir = Files.createTempDirectory("cairn-tpch-");
    try {
      try (Statement statement = duckdb.createStatement()) {
        for (TpchTable table : TpchTable.values()) {
          Path file = dir.resolve(table.tableName() + ".csv");
          writeCsv(table, file, scale);
          statement.execute(table.createTableSql());
          statement.execute(copySql(table, file));
          Files.delete(file);
        }
      }
    } finally {
      CsvFiles.deleteFolder(dir);
    }
  }

  /**
   * Returns DuckDB's COPY of a CSV file written by {@link #writeCsv}. FORCE_NOT_NULL keeps an
   * empty text field an empty string rather than NULL.
   */
  static String copySql(TpchTable table, Path file) {
    StringJoiner text = new StringJoiner(", ", "(", ")");
    for (Column c : table.schema().columns()) {
      if (c.type().equals(ColumnType.VARCHAR)) {
        text.add(c.name());
      }
    }
    String path = file.toAbsolutePath().toString().replace("'", "''");
    return "COPY " + table.tableName() + " FROM '" + path + "' (FORMAT csv, HEADER true,"
        + " DELIMITER ',', QUOTE '\"', ESCAPE '\"', FORCE_NOT_NULL " + text + ")";
  }

  private static void checkScale(double scale) {
    if (!(scale > 0 && scale <= SCALE_MAX)) {
      throw new CairnException(ErrorCode.BAD_FORMAT,
          "TPC-H scale factor must be above 0 and at most " + SCALE_MAX + ", not " + scale);
    }
  }
}
