package dev.cairn.calcite.sql;

import dev.cairn.calcite.VersionedName;
import java.util.List;

/**
 * Decides the DuckDB relation the written SQL reads for each table, as Calcite's JDBC adapter
 * lets its tables name themselves: the SQL writer asks when it visits a table scan, so no text
 * is edited afterwards. {@link #CANONICAL} names a version {@code "<schema>"."<table>$v<N>"}
 * and a system table {@code "cairn"."<name>"}; a session names its own views instead.
 */
public interface RelationNames {
  /** Names every table by its own schema and (versioned) table name. */
  RelationNames CANONICAL = new RelationNames() {
    @Override
    public List<String> dataRelation(VersionedName name) {
      return List.of(name.schema(), name.versionedTable());
    }

    @Override
    public List<String> systemRelation(String schema, String table) {
      return List.of(schema, table);
    }
  };

  /** Returns the name parts (unquoted) of the relation that holds the table version. */
  List<String> dataRelation(VersionedName name);

  /** Returns the name parts (unquoted) of the relation that holds a system table. */
  List<String> systemRelation(String schema, String table);
}
