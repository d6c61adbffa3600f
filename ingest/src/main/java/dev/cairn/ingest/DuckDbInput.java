package dev.cairn.ingest;

import dev.cairn.client.input.ArrowInput;
import dev.cairn.client.input.TableInput;
import dev.cairn.wire.CairnException;
import dev.cairn.wire.ErrorCode;
import dev.cairn.wire.TableSchema;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.duckdb.DuckDBResultSet;

/**
 * Runs one query over one input file in an in-memory DuckDB of its own and hands its rows out
 * as table input through DuckDB's Arrow export, re-cut into groups by {@link ArrowInput}. The
 * result streams ({@code jdbc_stream_results}), so DuckDB holds a few chunks, not the file;
 * its UUID columns, which DuckDB exports as text, become UUID columns again;
 * DuckDB parses on its own threads while the publisher's workers encode.
 */
final class DuckDbInput {
  /** Rows per exported Arrow batch: DuckDB's row group size, a few MB of lineitem. */
  static final long EXPORT_ROWS = 122_880;

  private DuckDbInput() {}

  /**
   * Opens {@code sql} (which reads {@code file}) as table input; any DuckDB failure, now or
   * while reading, is BAD_FORMAT naming the file and DuckDB's own account (line, row group).
   */
  static TableInput open(Path file, String sql, BufferAllocator allocator) {
    Connection connection;
    try {
      connection = connect();
    } catch (SQLException e) {
      throw failure(file, e);
    }
    return open(connection, file, sql, allocator);
  }

  /**
   * Opens {@code sql} as {@link #open(Path, String, BufferAllocator)} does, on {@code
   * connection} (one of {@link #connect}'s), which the input owns from here on, failed or not.
   */
  static TableInput open(Connection connection, Path file, String sql,
      BufferAllocator allocator) {
    String label = file.toString();
    ArrowReader reader = null;
    try {
      Set<String> uuids = uuidColumns(connection, sql);
      Statement statement = connection.createStatement();
      ResultSet rows = statement.executeQuery(sql);
      reader = (ArrowReader) rows.unwrap(DuckDBResultSet.class)
          .arrowExportStream(allocator, EXPORT_ROWS);
      long size = Files.size(file);
      // DuckDB does not say how far into the file it is; a finished input counts whole.
      AtomicBoolean done = new AtomicBoolean();
      return new Named(file, sql, ArrowInput.of(reader, () -> {
        done.set(true);
        try (connection; statement; rows) {
          // closed in reverse order: result, statement, connection
        }
      }, () -> done.get() ? size : 0, allocator, label, uuids));
    } catch (SQLException | IOException | RuntimeException e) {
      closeQuietly(reader);
      closeQuietly(connection);
      throw failure(file, account(sql, e));
    }
  }

  /**
   * Returns the columns of {@code sql}'s result that DuckDB types UUID: its Arrow export writes
   * them as text, which {@link ArrowInput} parses back into UUID columns.
   */
  private static Set<String> uuidColumns(Connection connection, String sql)
      throws SQLException {
    Set<String> uuids = new HashSet<>();
    try (Statement statement = connection.createStatement();
        ResultSet columns = statement.executeQuery("DESCRIBE " + sql)) {
      while (columns.next()) {
        if ("UUID".equalsIgnoreCase(columns.getString("column_type"))) {
          uuids.add(columns.getString("column_name"));
        }
      }
    }
    return uuids;
  }

  /** Table input whose read failures carry DuckDB's account on one line, without its tips. */
  private record Named(Path file, String sql, TableInput input) implements TableInput {
    @Override
    public TableSchema schema() {
      return input.schema();
    }

    @Override
    public List<VectorSchemaRoot> next(long targetBytes) {
      try {
        return input.next(targetBytes);
      } catch (CairnException e) {
        throw failure(file, account(sql, e));
      }
    }

    @Override
    public long bytesRead() {
      return input.bytesRead();
    }

    @Override
    public void close() {
      input.close();
    }
  }

  /**
   * Returns why {@code sql} failed: DuckDB's streamed and Arrow paths report only "Invalid
   * result set", so the query runs again, read row by row, for DuckDB's own account (the
   * line, the value); {@code failed} itself if that run succeeds.
   */
  private static Exception account(String sql, Exception failed) {
    try (Connection connection = DriverManager.getConnection("jdbc:duckdb:");
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(sql)) {
      while (rows.next()) {
        // every value converted, as the failed read converted them (count(*) would skip them)
      }
    } catch (SQLException e) {
      return e;
    }
    return failed;
  }

  /** Returns a fresh in-memory DuckDB whose results stream. */
  static Connection connect() throws SQLException {
    Properties properties = new Properties();
    properties.setProperty("jdbc_stream_results", "true");
    return DriverManager.getConnection("jdbc:duckdb:", properties);
  }

  /** Returns BAD_FORMAT naming {@code file}, with DuckDB's message on one line. */
  static CairnException failure(Path file, Exception e) {
    if (e instanceof CairnException named) {
      return named; // ours: already names the file
    }
    String message = e.getMessage() == null ? e.toString() : e.getMessage();
    int fixes = message.indexOf("Possible fixes");
    String account = (fixes > 0 ? message.substring(0, fixes) : message).strip();
    return new CairnException(ErrorCode.BAD_FORMAT, file + ": "
        + account.replaceAll("\\s*\\R\\s*", "; "), e);
  }

  /** Closes {@code resource}, if any, ignoring a failure: nothing was read from it. */
  static void closeQuietly(AutoCloseable resource) {
    if (resource != null) {
      try {
        resource.close();
      } catch (Exception e) {
        // Nothing was read from it; closing loses nothing.
      }
    }
  }

  /** Returns {@code text} as a SQL string literal. */
  static String literal(String text) {
    return "'" + text.replace("'", "''") + "'";
  }

  /** Returns {@code name} as a quoted SQL identifier. */
  static String identifier(String name) {
    return "\"" + name.replace("\"", "\"\"") + "\"";
  }
}
