package dev.cairn.calcite.runtime;

import static java.util.Objects.requireNonNull;

import dev.cairn.calcite.sql.TableUse;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.duckdb.DuckDBConnection;

/**
 * The views one session reads table versions through.
 *
 * <p>The translated SQL names a table version as {@code "<schema>"."<table>$v<N>"} and may
 * qualify its columns by the table's own name, so a query cannot read an inline subquery in its
 * place. Instead each session has a DuckDB schema of its own per data schema,
 * {@code "cairn_s<session>_<schema>"}, and the query's {@code "<schema>"} is swapped for it:
 * names, aliases and qualifiers keep working. Each view covers exactly the batches and columns
 * of the session's current query; a session runs one query at a time, so no other query sees
 * it change, and the view is redefined only when its text changes (a repeated query defines
 * nothing).
 */
final class SessionViews {
  private static final Logger LOG = Logger.getLogger(SessionViews.class.getName());
  private static final AtomicLong SESSION_NUMBER = new AtomicLong();

  private final DuckDBConnection connection;
  private final String prefix = "cairn_s" + SESSION_NUMBER.incrementAndGet() + "_";
  private final Set<String> schemas = new LinkedHashSet<>();
  private final Map<String, String> definitions = new HashMap<>();

  SessionViews(DuckDBConnection connection) {
    this.connection = requireNonNull(connection, "connection");
  }

  /**
   * Makes this session's view of {@code use} read {@code select} and returns its quoted name,
   * to put in place of {@link TableUse#duckdbRelation()}.
   */
  String define(TableUse use, String select) throws SQLException {
    String schema = prefix + use.schema();
    String relation = Sql.versionRelation(schema, use.table(), use.version());
    if (!schemas.contains(schema)) {
      execute("CREATE SCHEMA IF NOT EXISTS " + Sql.quote(schema));
      schemas.add(schema);
    }
    if (!select.equals(definitions.get(relation))) {
      definitions.remove(relation);
      execute("CREATE OR REPLACE VIEW " + relation + " AS " + select);
      definitions.put(relation, select);
    }
    return relation;
  }

  /** Drops every schema (and view) of this session; the session is closing. */
  void dropAll() {
    for (String schema : schemas) {
      try {
        execute("DROP SCHEMA IF EXISTS " + Sql.quote(schema) + " CASCADE");
      } catch (SQLException e) {
        LOG.log(Level.FINE, "dropping session schema " + schema, e);
      }
    }
    schemas.clear();
    definitions.clear();
  }

  private void execute(String sql) throws SQLException {
    try (Statement s = connection.createStatement()) {
      s.execute(sql);
    }
  }
}
