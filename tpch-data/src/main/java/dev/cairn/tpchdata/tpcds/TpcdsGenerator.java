package dev.cairn.tpchdata.tpcds;

import dev.cairn.tpchdata.CsvFiles;
import dev.cairn.tpchdata.CsvWriter;
import dev.cairn.wire.CairnException;
import dev.cairn.wire.ErrorCode;
import io.trino.tpcds.Results;
import io.trino.tpcds.Session;
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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Generates TPC-DS data with io.trino.tpcds (a Java port of the specification's dsdgen; scale
 * 0.01 is Trino's "tiny" schema) as rows of text, as CSV files, or straight into DuckDB.
 *
 * <p>Values stay the generator's text: identifiers and integers in decimal, decimals plain with
 * their scale, dates as yyyy-MM-dd, and NULL as {@code null}, which the CSV keeps apart from
 * the empty string (see {@link CsvWriter}). The generator writes empty strings, e.g. in {@code
 * time_dim.t_meal_time}, so the difference is visible to queries.
 *
 * <p>{@code customer_demographics} has 1,920,800 rows at every scale factor (the specification
 * fixes it), so it dominates the data at small scales.
 */
public final class TpcdsGenerator {
  /** Trino's "tiny" scale, the smallest the correctness tests use. */
  public static final double SCALE_TINY = 0.01;
  /** Most tables generated at once by {@link #writeCsv(Path, double)}. */
  public static final int WRITER_THREADS_MAX = 4;
  /** Largest scale factor accepted: SF 1000 is about 1 TB, far past any test or benchmark. */
  public static final double SCALE_MAX = 1000;

  private TpcdsGenerator() {}

  /** Returns the rows of {@code table} at scale factor {@code scale}, generated lazily. */
  public static Iterator<List<String>> rows(TpcdsTable table, double scale) {
    checkScale(scale);
    Session session = Session.getDefaultSession().withScale(scale).withTable(table.source());
    Iterator<List<List<String>>> chunks =
        Results.constructResults(table.source(), session).iterator();
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return chunks.hasNext();
      }

      @Override
      public List<String> next() {
        // Each step yields the rows of one generator call; for every one of the 24 tables
        // that is exactly one row of the table asked for (children are generated apart).
        List<List<String>> chunk = chunks.next();
        if (chunk.size() != 1) {
          throw new IllegalStateException(table.tableName() + ": generator step gave "
              + chunk.size() + " rows, expected 1");
        }
        return chunk.get(0);
      }
    };
  }

  /**
   * Writes every table as {@code dir/<table>.csv} (UTF-8, header line of column names) and
   * returns the files by table. Creates {@code dir} if needed; replaces existing files. Tables
   * are generated on up to {@link #WRITER_THREADS_MAX} threads at once, one table each: the
   * generator is single-threaded and its tables independent.
   */
  public static Map<TpcdsTable, Path> writeCsv(Path dir, double scale) throws IOException {
    checkScale(scale);
    Files.createDirectories(dir);
    int threads = Math.max(1, Math.min(WRITER_THREADS_MAX,
        Runtime.getRuntime().availableProcessors()));
    ExecutorService writers = Executors.newFixedThreadPool(threads);
    try {
      Map<TpcdsTable, Future<Path>> pending = new EnumMap<>(TpcdsTable.class);
      for (TpcdsTable table : TpcdsTable.values()) {
        Path file = dir.resolve(table.tableName() + ".csv");
        pending.put(table, writers.submit(() -> {
          writeCsv(table, file, scale);
          return file;
        }));
      }
      Map<TpcdsTable, Path> files = new EnumMap<>(TpcdsTable.class);
      for (Map.Entry<TpcdsTable, Future<Path>> table : pending.entrySet()) {
        files.put(table.getKey(), result(table.getValue()));
      }
      return files;
    } finally {
      writers.shutdownNow();
    }
  }

  private static Path result(Future<Path> written) throws IOException {
    try {
      return written.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while writing TPC-DS CSV files", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new IOException("cannot write TPC-DS CSV files", e.getCause());
    }
  }

  /** Writes one table as CSV with a header line to {@code file}, replacing it; returns rows. */
  public static long writeCsv(TpcdsTable table, Path file, double scale) throws IOException {
    return CsvFiles.write(file, table.columnNames(), rows(table, scale));
  }

  /**
   * Creates the tables of {@code csvFiles} in a DuckDB connection (in its current schema), with
   * exactly the types of {@link TpcdsTable#schema}, and fills each from its CSV file written by
   * {@link #writeCsv}. Fails if a table of the same name exists.
   */
  public static void loadInto(Connection duckdb, Map<TpcdsTable, Path> csvFiles)
      throws SQLException {
    try (Statement statement = duckdb.createStatement()) {
      for (Map.Entry<TpcdsTable, Path> file : new EnumMap<>(csvFiles).entrySet()) {
        statement.execute(file.getKey().createTableSql());
        statement.execute(copySql(file.getKey().tableName(), file.getValue()));
      }
    }
  }

  /**
   * Like {@link #loadInto(Connection, Map)} at scale factor {@code scale}, through CSV files in
   * a temporary directory deleted before returning.
   */
  public static void loadInto(Connection duckdb, double scale) throws SQLException, IOException {
    Path dir = Files.createTempDirectory("cairn-tpcds-");
    try {
      loadInto(duckdb, writeCsv(dir, scale));
    } finally {
      CsvFiles.deleteFolder(dir);
    }
  }

  /**
   * Returns DuckDB's COPY of a CSV file written by {@link #writeCsv}. ALLOW_QUOTED_NULLS false
   * makes a quoted empty field the empty string, as Cairn's CSV reader does; an unquoted empty
   * field stays NULL.
   */
  static String copySql(String tableName, Path file) {
    String path = file.toAbsolutePath().toString().replace("'", "''");
    return "COPY " + tableName + " FROM '" + path + "' (FORMAT csv, HEADER true,"
        + " DELIMITER ',', QUOTE '\"', ESCAPE '\"', ALLOW_QUOTED_NULLS false)";
  }

  private static void checkScale(double scale) {
    if (!(scale > 0 && scale <= SCALE_MAX)) {
      throw new CairnException(ErrorCode.BAD_FORMAT,
          "TPC-DS scale factor must be above 0 and at most " + SCALE_MAX + ", not " + scale);
    }
  }
}
