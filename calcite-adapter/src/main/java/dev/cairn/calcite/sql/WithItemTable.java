package dev.cairn.calcite.sql;

import static java.util.Objects.requireNonNull;

import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.schema.impl.AbstractTable;

/**
 * A WITH item DuckDB evaluates ({@link SharedWith}), as Calcite sees it while translating the
 * query that reads it: the item's row type, written back as the item's name in the DuckDB SQL.
 */
final class WithItemTable extends AbstractTable {
  private final String duckdbName;
  private final RelDataType rowType;

  WithItemTable(String duckdbName, RelDataType rowType) {
    this.duckdbName = requireNonNull(duckdbName, "duckdbName");
    this.rowType = requireNonNull(rowType, "rowType");
  }

  /** Returns the name of the WITH item in the DuckDB SQL. */
  String duckdbName() {
    return duckdbName;
  }

  @Override
  public RelDataType getRowType(RelDataTypeFactory typeFactory) {
    return typeFactory.copyType(rowType);
  }
}
