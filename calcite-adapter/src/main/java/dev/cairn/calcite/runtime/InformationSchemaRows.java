package dev.cairn.calcite.runtime;

import dev.cairn.calcite.SystemTables;
import dev.cairn.client.net.VerifiedHead;
import dev.cairn.wire.Column;
import dev.cairn.wire.ColumnType;
import dev.cairn.wire.TableSchema;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The rows of {@code information_schema.schemata}, {@code .tables} and {@code .columns} for one
 * snapshot: every schema and table head, then the system schemas, sorted by name. Data tables
 * are {@code BASE TABLE}, system tables {@code SYSTEM VIEW}; types are Cairn's type names.
 */
final class InformationSchemaRows {
  private InformationSchemaRows() {}

  /** Returns the rows of information_schema table {@code name}. */
  static List<Object[]> rows(String name, CatalogSnapshot snapshot) {
    switch (name) {
      case "schemata": return schemata(snapshot);
      case "tables": return tables(snapshot);
      case "columns": return columns(snapshot);
      default: throw new IllegalArgumentException("no information_schema table " + name);
    }
  }

  private static List<Object[]> schemata(CatalogSnapshot snapshot) {
    List<Object[]> rows = new ArrayList<>();
    for (String schema : allTables(snapshot).keySet()) {
      rows.add(new Object[] {SystemTables.CATALOG, schema, null});
    }
    return rows;
  }

  private static List<Object[]> tables(CatalogSnapshot snapshot) {
    List<Object[]> rows = new ArrayList<>();
    allTables(snapshot).forEach((schema, tables) -> tables.forEach((table, columns) ->
        rows.add(new Object[] {SystemTables.CATALOG, schema, table, tableType(schema)})));
    return rows;
  }

  private static List<Object[]> columns(CatalogSnapshot snapshot) {
    List<Object[]> rows = new ArrayList<>();
    allTables(snapshot).forEach((schema, tables) -> tables.forEach((table, columns) -> {
      for (int i = 0; i < columns.size(); i++) {
        Column c = columns.column(i);
        ColumnType type = c.type();
        boolean decimal = type.kind() == ColumnType.Kind.DECIMAL;
        rows.add(new Object[] {SystemTables.CATALOG, schema, table, c.name(), i + 1, null,
            c.nullable() ? "YES" : "NO", type.toSql(), decimal ? type.precision() : null,
            decimal ? type.scale() : null});
      }
    }));
    return rows;
  }

  private static String tableType(String schema) {
    return SystemTables.BY_SCHEMA.containsKey(schema) ? "SYSTEM VIEW" : "BASE TABLE";
  }

  /** Returns every table of the snapshot and the system schemas, by schema, sorted. */
  private static Map<String, Map<String, TableSchema>> allTables(CatalogSnapshot snapshot) {
    Map<String, Map<String, TableSchema>> all = new TreeMap<>();
    for (String schema : snapshot.schemaNames()) {
      all.put(schema, new TreeMap<>());
    }
    for (VerifiedHead h : snapshot.heads()) {
      all.computeIfAbsent(h.schema(), s -> new TreeMap<>())
          .put(h.table(), h.signed().manifest().schema());
    }
    SystemTables.BY_SCHEMA.forEach((schema, tables) ->
        all.computeIfAbsent(schema, s -> new TreeMap<>()).putAll(tables));
    return all;
  }
}
