package dev.cairn.calcite.runtime;

import dev.cairn.wire.Column;
import dev.cairn.wire.ContentId;
import dev.cairn.wire.TableSchema;
import java.util.Comparator;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Spelling identifiers and relation names in DuckDB SQL. */
final class Sql {
  /** The DuckDB schema that holds one table per resident batch. */
  static final String CACHE_SCHEMA = "cairn_cache";

  private Sql() {}

  /** Returns {@code name} as a double-quoted identifier. */
  static String quote(String name) {
    return '"' + name.replace("\"", "\"\"") + '"';
  }

  /** Returns the relation that holds the batch {@code id}. */
  static String batchTable(ContentId id) {
    return quote(CACHE_SCHEMA) + "." + quote("b_" + id.toHex());
  }

  /** Returns the relation of version {@code version} of {@code schema.table}. */
  static String versionRelation(String schema, String table, long version) {
    return quote(schema) + "." + quote(table + "$v" + version);
  }

  /**
   * Returns {@code sql} with every relation named in {@code relations} replaced by its value,
   * in one pass, so a replacement is never itself replaced again.
   */
  static String replaceRelations(String sql, Map<String, String> relations) {
    if (relations.isEmpty()) {
      return sql;
    }
    StringBuilder alternatives = new StringBuilder();
    relations.keySet().stream()
        .sorted(Comparator.comparingInt(String::length).reversed())
        .forEach(name -> alternatives.append(alternatives.length() == 0 ? "" : "|")
            .append(Pattern.quote(name)));
    return Pattern.compile(alternatives.toString()).matcher(sql)
        .replaceAll(m -> Matcher.quoteReplacement(relations.get(m.group())));
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
