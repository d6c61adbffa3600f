package dev.cairn.calcite;

import static java.util.Objects.requireNonNull;

import dev.cairn.wire.TableSchema;

/**
 * One version of one table as a {@link CairnCatalog} snapshot sees it.
 *
 * @param schema the schema (publisher) name, e.g. {@code tpch}
 * @param table the table name, e.g. {@code lineitem} (never with a {@code $v} suffix)
 * @param version the manifest version this snapshot pins; 0 for system tables
 * @param columns the ordered columns of that version
 * @param rowCount rows in that version, or -1 if unknown
 */
public record CatalogTable(String schema, String table, long version, TableSchema columns,
    long rowCount) {
  public CatalogTable {
    requireNonNull(schema, "schema");
    requireNonNull(table, "table");
    requireNonNull(columns, "columns");
    if (version < 0) {
      throw new IllegalArgumentException("version < 0: " + version);
    }
  }
}
