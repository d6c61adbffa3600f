package dev.cairn.calcite.runtime;

import static java.util.Objects.requireNonNull;

import dev.cairn.calcite.sql.SqlColumn;
import dev.cairn.calcite.sql.TranslatedQuery;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/**
 * One SQL text of a session, translated once and re-used while the heads it resolved stay the
 * same (a new head, or a new default schema, translates it again: the version is part of the
 * DuckDB SQL). Holds the DuckDB prepared statement its results come from; close it to free that
 * (one a plain statement's text got from its session's cache goes back there, for the text's
 * next run).
 * Not thread-safe: a session runs one query at a time.
 */
public final class PreparedQuery implements AutoCloseable {
  final String sql;
  TranslatedQuery translated;
  Map<String, Long> headsUsed;
  String schemaUsed;
  PreparedStatement duckdb;
  String duckdbSql;
  /** The session cache this query's DuckDB statement goes back to on close, or null. */
  TranslationCache home;

  PreparedQuery(String sql) {
    this.sql = requireNonNull(sql, "sql");
  }

  /** Returns the user's SQL text. */
  public String sql() {
    return sql;
  }

  /** Returns the number of {@code ?} parameters. */
  public int parameterCount() {
    return translated.parameterCount();
  }

  /** Returns the dynamic parameters' types, in order. */
  public List<SqlColumn> parameters() {
    return translated.parameters();
  }

  /** Returns the result columns. */
  public List<SqlColumn> columns() {
    return translated.columns();
  }

  /** Returns the latest translation (for tests and diagnostics). */
  public TranslatedQuery translated() {
    return translated;
  }

  /**
   * Returns the statement DuckDB last ran for this query, with the session's own views in
   * place of the table versions (for diagnostics and benchmarks), or null before the first run.
   */
  public String lastDuckdbSql() {
    return duckdbSql;
  }

  @Override
  public void close() throws SQLException {
    if (home != null) {
      home.giveBack(this);
    } else {
      closeDuckdb();
    }
  }

  /** Closes the DuckDB statement (before preparing another SQL in its place). */
  void closeDuckdb() throws SQLException {
    if (duckdb != null) {
      duckdb.close();
      duckdb = null;
    }
  }
}
