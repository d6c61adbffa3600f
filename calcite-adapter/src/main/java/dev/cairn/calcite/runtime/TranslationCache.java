package dev.cairn.calcite.runtime;

import dev.cairn.calcite.sql.TranslatedQuery;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The latest translations of one session's SQL texts, so a plain {@code Statement} that runs a
 * text again re-uses its translation as a {@code PreparedStatement} does: only while the heads
 * it resolved and the default schema are unchanged (the caller checks, {@link
 * CairnSession#query}). With each translation it keeps one idle DuckDB prepared statement of
 * its SQL, lent to one query at a time, so a repeated text is not parsed and planned by DuckDB
 * again either (DuckDB re-plans it by itself when a view it reads was redefined). Bounded to
 * {@link #ENTRIES_MAX} texts, least recently used first out. Thread-safe: queries give their
 * statement back when they close, which may be on another thread.
 */
final class TranslationCache {
  private static final Logger LOG = Logger.getLogger(TranslationCache.class.getName());

  /** A translation, what it depended on, and the idle DuckDB statement of its SQL, if any. */
  private static final class Translation {
    final TranslatedQuery translated;
    final Map<String, Long> headsUsed;
    final String schemaUsed;
    PreparedStatement idle;
    String idleSql;

    Translation(TranslatedQuery translated, Map<String, Long> headsUsed, String schemaUsed) {
      this.translated = translated;
      this.headsUsed = headsUsed;
      this.schemaUsed = schemaUsed;
    }
  }

  /** Most texts kept: a session's working set of repeated queries, not every text it ran. */
  static final int ENTRIES_MAX = 64;

  private final Map<String, Translation> entries = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Translation> eldest) {
      if (size() > ENTRIES_MAX) {
        closeIdle(eldest.getValue());
        return true;
      }
      return false;
    }
  };

  /**
   * Fills {@code query} with the last translation of its text, if there is one, and lends it
   * that translation's idle DuckDB statement.
   */
  synchronized void recall(PreparedQuery query) {
    query.home = this;
    Translation t = entries.get(query.sql);
    if (t != null) {
      query.translated = t.translated;
      query.headsUsed = t.headsUsed;
      query.schemaUsed = t.schemaUsed;
      query.duckdb = t.idle;
      query.duckdbSql = t.idleSql;
      t.idle = null;
      t.idleSql = null;
    }
  }

  /** Remembers {@code query}'s current translation, in place of the text's earlier one. */
  synchronized void remember(PreparedQuery query) {
    Translation old = entries.put(query.sql, new Translation(query.translated,
        query.headsUsed, query.schemaUsed));
    if (old != null) {
      closeIdle(old);
    }
  }

  /**
   * Takes back the DuckDB statement of a query that closed: kept as its translation's idle one
   * if that translation is still the text's latest and has none, else closed.
   */
  synchronized void giveBack(PreparedQuery query) {
    PreparedStatement statement = query.duckdb;
    query.duckdb = null;
    if (statement == null) {
      return;
    }
    Translation t = entries.get(query.sql);
    if (t != null && t.translated == query.translated && t.idle == null && isOpen(statement)) {
      t.idle = statement;
      t.idleSql = query.duckdbSql;
    } else {
      close(statement);
    }
  }

  /** Closes every idle DuckDB statement and forgets every translation (the session closes). */
  synchronized void clear() {
    entries.values().forEach(TranslationCache::closeIdle);
    entries.clear();
  }

  synchronized int size() {
    return entries.size();
  }

  private static boolean isOpen(PreparedStatement statement) {
    try {
      return !statement.isClosed();
    } catch (SQLException e) {
      return false;
    }
  }

  private static void closeIdle(Translation t) {
    if (t.idle != null) {
      close(t.idle);
      t.idle = null;
      t.idleSql = null;
    }
  }

  private static void close(PreparedStatement statement) {
    try {
      statement.close();
    } catch (SQLException e) {
      LOG.log(Level.FINE, "closing an idle DuckDB statement", e);
    }
  }
}
