package dev.cairn.calcite.sql;

import static java.util.Objects.requireNonNull;

import dev.cairn.calcite.CatalogTable;
import dev.cairn.calcite.VersionedName;
import dev.cairn.wire.Column;
import dev.cairn.wire.ColumnType;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.schema.Statistic;
import org.apache.calcite.schema.Statistics;
import org.apache.calcite.schema.impl.AbstractTable;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * A catalog table as Calcite sees it: a row type and a row count, nothing executable. Plans
 * over it are only ever turned back into SQL; {@link #duckdbNameParts()} names the DuckDB
 * relation the runtime creates for it, as the query's {@link RelationNames} decide.
 */
final class CatalogRelTable extends AbstractTable {
  private final CatalogTable table;
  private final boolean system;
  private final RelationNames names;

  CatalogRelTable(CatalogTable table, boolean system, RelationNames names) {
    this.table = requireNonNull(table, "table");
    this.system = system;
    this.names = requireNonNull(names, "names");
  }

  CatalogTable table() {
    return table;
  }

  boolean system() {
    return system;
  }

  /** Returns the DuckDB relation's name parts, e.g. schema, then table with its version. */
  List<String> duckdbNameParts() {
    return system ? names.systemRelation(table.schema(), table.table())
        : names.dataRelation(VersionedName.of(table));
  }

  /** Returns the relation as it appears in the DuckDB SQL, double-quoted. */
  String duckdbRelation() {
    return duckdbNameParts().stream().map(CatalogRelTable::quote)
        .collect(Collectors.joining("."));
  }

  private static String quote(String name) {
    return '"' + name.replace("\"", "\"\"") + '"';
  }

  @Override
  public RelDataType getRowType(RelDataTypeFactory typeFactory) {
    List<String> names = new ArrayList<>();
    List<RelDataType> types = new ArrayList<>();
    for (Column c : table.columns().columns()) {
      names.add(c.name());
      types.add(typeFactory.createTypeWithNullability(toCalcite(c.type(), typeFactory),
          c.nullable()));
    }
    return typeFactory.createStructType(types, names);
  }

  @Override
  public Statistic getStatistic() {
    return table.rowCount() < 0 ? Statistics.UNKNOWN
        : Statistics.of((double) table.rowCount(), null);
  }

  /** Returns the Calcite type of a Cairn column type. */
  static RelDataType toCalcite(ColumnType type, RelDataTypeFactory f) {
    return switch (type.kind()) {
      case BIGINT -> f.createSqlType(SqlTypeName.BIGINT);
      case INTEGER -> f.createSqlType(SqlTypeName.INTEGER);
      case DOUBLE -> f.createSqlType(SqlTypeName.DOUBLE);
      case DECIMAL -> f.createSqlType(SqlTypeName.DECIMAL, type.precision(), type.scale());
      case DATE -> f.createSqlType(SqlTypeName.DATE);
      case TIMESTAMP -> f.createSqlType(SqlTypeName.TIMESTAMP, 6); // microseconds
      case VARCHAR -> f.createSqlType(SqlTypeName.VARCHAR);
      case BOOLEAN -> f.createSqlType(SqlTypeName.BOOLEAN);
      // An instant, shown in the session's zone (UTC): Calcite's name for DuckDB's TIMESTAMPTZ.
      case TIMESTAMPTZ -> f.createSqlType(SqlTypeName.TIMESTAMP_WITH_LOCAL_TIME_ZONE, 6);
      case SMALLINT -> f.createSqlType(SqlTypeName.SMALLINT);
      case TINYINT -> f.createSqlType(SqlTypeName.TINYINT);
      case REAL -> f.createSqlType(SqlTypeName.REAL);
      case TIME -> f.createSqlType(SqlTypeName.TIME, 6);
      case VARBINARY -> f.createSqlType(SqlTypeName.VARBINARY);
      case UUID -> f.createSqlType(SqlTypeName.UUID);
    };
  }
}
