package dev.cairn.calcite;

import dev.cairn.wire.Column;
import dev.cairn.wire.ColumnType;
import dev.cairn.wire.TableSchema;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The fixed tables of the built-in system schema {@code cairn}, which describe the snapshot
 * itself. The runtime fills them; the translator only needs their columns. A column that names
 * a table is called {@code table_name}, not {@code table}, because TABLE is a reserved word.
 *
 * <ul>
 *   <li>{@code cairn.tables(schema, table_name, version, row_count, byte_count, batch_count,
 *       writer, created_at, valid_until)}: one row per table head; {@code valid_until} is when
 *       its writer's freshness promise lapses (docs/protocol.md 4.7), null if it makes none.
 *   <li>{@code cairn.versions(schema, table_name, version, manifest_id, parent_id, created_at,
 *       row_count, batch_count)}: one row per known version.
 *   <li>{@code cairn.nodes(node, address, live, used_bytes, capacity_bytes, blob_count, rtt_ms,
 *       score)}: one row per storage node.
 *   <li>{@code cairn.batches(schema, table_name, version, batch_id, row_count, byte_count,
 *       holders)}: one row per batch of each head.
 * </ul>
 * In DuckDB they are the relations {@code "cairn"."<name>"}.
 *
 * <p>The schema {@code information_schema} holds the standard catalog views, with PostgreSQL's
 * and DuckDB's column names, filled the same way from the snapshot:
 * {@code information_schema.schemata}, {@code .tables} and {@code .columns}.
 */
public final class SystemTables {
  /** The name of the system schema. */
  public static final String SCHEMA = "cairn";

  public static final TableSchema TABLES = schema(
      col("schema", ColumnType.VARCHAR), col("table_name", ColumnType.VARCHAR),
      col("version", ColumnType.BIGINT), col("row_count", ColumnType.BIGINT),
      col("byte_count", ColumnType.BIGINT), col("batch_count", ColumnType.INTEGER),
      col("writer", ColumnType.VARCHAR), col("created_at", ColumnType.TIMESTAMP),
      col("valid_until", ColumnType.TIMESTAMP));

  public static final TableSchema VERSIONS = schema(
      col("schema", ColumnType.VARCHAR), col("table_name", ColumnType.VARCHAR),
      col("version", ColumnType.BIGINT), col("manifest_id", ColumnType.VARCHAR),
      col("parent_id", ColumnType.VARCHAR), col("created_at", ColumnType.TIMESTAMP),
      col("row_count", ColumnType.BIGINT), col("batch_count", ColumnType.INTEGER));

  public static final TableSchema NODES = schema(
      col("node", ColumnType.VARCHAR), col("address", ColumnType.VARCHAR),
      col("live", ColumnType.BOOLEAN), col("used_bytes", ColumnType.BIGINT),
      col("capacity_bytes", ColumnType.BIGINT), col("blob_count", ColumnType.BIGINT),
      col("rtt_ms", ColumnType.DOUBLE), col("score", ColumnType.INTEGER));

  public static final TableSchema BATCHES = schema(
      col("schema", ColumnType.VARCHAR), col("table_name", ColumnType.VARCHAR),
      col("version", ColumnType.BIGINT), col("batch_id", ColumnType.VARCHAR),
      col("row_count", ColumnType.BIGINT), col("byte_count", ColumnType.BIGINT),
      col("holders", ColumnType.VARCHAR));

  /** Every system table by name, in a fixed order. */
  public static final Map<String, TableSchema> ALL = Map.of(
      "tables", TABLES, "versions", VERSIONS, "nodes", NODES, "batches", BATCHES);

  /** The name of the standard catalog schema. */
  public static final String INFORMATION_SCHEMA = "information_schema";

  /** The catalog name information_schema reports for every schema. */
  public static final String CATALOG = "cairn";

  public static final TableSchema SCHEMATA = schema(
      col("catalog_name", ColumnType.VARCHAR), col("schema_name", ColumnType.VARCHAR),
      col("schema_owner", ColumnType.VARCHAR));

  public static final TableSchema INFORMATION_TABLES = schema(
      col("table_catalog", ColumnType.VARCHAR), col("table_schema", ColumnType.VARCHAR),
      col("table_name", ColumnType.VARCHAR), col("table_type", ColumnType.VARCHAR));

  public static final TableSchema COLUMNS = schema(
      col("table_catalog", ColumnType.VARCHAR), col("table_schema", ColumnType.VARCHAR),
      col("table_name", ColumnType.VARCHAR), col("column_name", ColumnType.VARCHAR),
      col("ordinal_position", ColumnType.INTEGER), col("column_default", ColumnType.VARCHAR),
      col("is_nullable", ColumnType.VARCHAR), col("data_type", ColumnType.VARCHAR),
      col("numeric_precision", ColumnType.INTEGER), col("numeric_scale", ColumnType.INTEGER));

  /** The tables of information_schema by name. */
  public static final Map<String, TableSchema> INFORMATION = Map.of(
      "schemata", SCHEMATA, "tables", INFORMATION_TABLES, "columns", COLUMNS);

  /** Every system schema with its tables. */
  public static final Map<String, Map<String, TableSchema>> BY_SCHEMA = Map.of(
      SCHEMA, ALL, INFORMATION_SCHEMA, INFORMATION);

  private SystemTables() {}

  /** Returns the system table {@code name} (exact, lower case) as a catalog entry. */
  public static Optional<CatalogTable> table(String name) {
    return table(SCHEMA, name);
  }

  /** Returns the table {@code name} of system schema {@code schema} (exact), if any. */
  public static Optional<CatalogTable> table(String schema, String name) {
    Map<String, TableSchema> tables = BY_SCHEMA.get(schema);
    TableSchema columns = tables == null ? null : tables.get(name);
    return columns == null ? Optional.empty()
        : Optional.of(new CatalogTable(schema, name, 0, columns, -1));
  }

  private static Column col(String name, ColumnType type) {
    return new Column(name, type, true);
  }

  private static TableSchema schema(Column... columns) {
    return new TableSchema(List.of(columns));
  }
}
