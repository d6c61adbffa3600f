package dev.cairn.calcite.runtime;

import dev.cairn.wire.Column;
import dev.cairn.wire.ContentId;
import dev.cairn.wire.TableSchema;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** Spelling identifiers and relation names in DuckDB SQL. */
final class Sql {
  /** The DuckDB schema that holds one table per resident batch. */
  static final String CACHE_SCHEMA = "cairn_cache";

  private Sql() {}

  /** Returns {@code name} as a double-quoted identifier. */
  static String quote(String name) {
    return '"' + name.replace("\"", "\"\"") + '"';
  }

  /** Returns the name {@code parts} as a dotted, double-quoted relation name. */
  static String quote(List<String> parts) {
    return parts.stream().map(Sql::quote).collect(Collectors.joining("."));
  }

  /** Returns the relation that holds the batch {@code id}. */
  static String batchTable(ContentId id) {
    return quote(CACHE_SCHEMA) + "." + quote("b_" + id.toHex());
  }

  /** Returns the relation that holds the merged table {@code id} ({@link MergedTables}). */
  static String mergedTable(ContentId id) {
    return quote(CACHE_SCHEMA) + "." + quote("m_" + id.toHex());
  }

  /** Returns the DuckDB spelling of a column's type. */
  static String typeOf(Column column) {
    return column.type().toSql();
  }

  /** Returns a SELECT with the columns of {@code schema} at {@code columns} and no rows. */
  static String emptySelect(TableSchema schema, Set<Integer> columns) {
    StringBuilder sql = new StringBuilder("SELECT ");
    String separator = "";
    for (int i = 0; i < schema.size(); i++) {
      if (!columns.contains(i)) {
        continue;
      }
      Column c = schema.column(i);
      sql.append(separator).append("CAST(NULL AS ").append(typeOf(c)).append(") AS ")
          .append(quote(c.name()));
      separator = ", ";
    }
    return sql.append(" WHERE false").toString();
  }
}
