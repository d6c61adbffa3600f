package dev.cairn.calcite.runtime;

import static java.util.Objects.requireNonNull;

import dev.cairn.calcite.VersionedName;
import dev.cairn.calcite.sql.RelationNames;
import dev.cairn.calcite.sql.TableUse;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.duckdb.DuckDBConnection;

/**
 * The views one session reads table versions through, and so the names its translated SQL
 * gives every relation ({@link RelationNames}).
 *
 * <p>The translated SQL may qualify a table version's columns by its relation's name
 * ({@code "<table>$v<N>"}), so a query cannot read an inline subquery in its place. Instead
 * each session has a DuckDB schema of its own per data schema,
 * {@code "cairn_s<session>_<schema>"}, and the SQL writer names the version's view there:
 * {@code "cairn_s<session>_<schema>"."<table>$v<N>"}. A system table is read from its
 * temporary table ({@link SystemTableWriter#relation}). Each view covers exactly the batches
 * and columns of the session's current query; a session runs one query at a time, so no other
 * query sees it change, and the view is redefined only when its text changes (a repeated query
 * defines nothing). The names depend only on the session, so its cached translations stay
 * valid for it, and only for it.
 */
final class SessionViews implements RelationNames {
  private static final Logger LOG = Logger.getLogger(SessionViews.class.getName());
  private static final AtomicLong SESSION_NUMBER = new AtomicLong();

  private final DuckDBConnection connection;
  private final String prefix = "cairn_s" + SESSION_NUMBER.incrementAndGet() + "_";
  private final Set<String> schemas = new LinkedHashSet<>();
  private final Map<String, String> definitions = new HashMap<>();

  SessionViews(DuckDBConnection connection) {
    this.connection = requireNonNull(connection, "connection");
  }

  @Override
  public List<String> dataRelation(VersionedName name) {
    return List.of(prefix + name.schema(), name.versionedTable());
  }

  @Override
  public List<String> systemRelation(String schema, String table) {
    return SystemTableWriter.relation(schema, table);
  }

  /**
   * Makes this session's view of {@code use}, the relation {@link #dataRelation} names, read
   * {@code select}.
   */
  void define(TableUse use, String select) throws SQLException {
    List<String> parts = dataRelation(new VersionedName(use.schema(), use.table(),
        use.version()));
    String schema = parts.get(0);
    String relation = Sql.quote(parts);
    if (!schemas.contains(schema)) {
      execute("CREATE SCHEMA IF NOT EXISTS " + Sql.quote(schema));
      schemas.add(schema);
    }
    if (!select.equals(definitions.get(relation))) {
      definitions.remove(relation);
      execute("CREATE OR REPLACE VIEW " + relation + " AS " + select);
      definitions.put(relation, select);
    }
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
