package dev.cairn.calcite.runtime;

import dev.cairn.calcite.sql.SqlColumn;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Pushes a JDBC {@code maxRows} into the work a query does: into the DuckDB SQL as an outer
 * LIMIT (DuckDB then stops early, e.g. a sort becomes a top-n). The JDBC result set enforces
 * the limit as well, so a query this cannot rewrite still returns at most that many rows.
 */
final class MaxRows {
  private MaxRows() {}

  /**
   * Returns {@code sql} wrapped as {@code SELECT * FROM (sql) LIMIT maxRows}, or {@code sql}
   * itself when {@code maxRows} is 0 or two result columns share a name (DuckDB would rename
   * one of them in the wrapper, and the result's column labels must not change). An outer
   * LIMIT keeps the inner ORDER BY's order, as SQL's LIMIT over an ordered subquery does in
   * DuckDB (it plans the pair as one top-n).
   */
  static String apply(String sql, List<SqlColumn> columns, long maxRows) {
    if (maxRows <= 0) {
      return sql;
    }
    Set<String> names = new HashSet<>();
    for (SqlColumn column : columns) {
      if (!names.add(column.name().toLowerCase(Locale.ROOT))) {
        return sql;
      }
    }
    return "SELECT * FROM (" + sql + ") AS \"cairn_max_rows\" LIMIT " + maxRows;
  }
}
