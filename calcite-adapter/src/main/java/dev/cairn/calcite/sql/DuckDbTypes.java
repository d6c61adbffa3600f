package dev.cairn.calcite.sql;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.calcite.avatica.util.TimeUnit;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.sql.SqlIntervalQualifier;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.SqlTypeFamily;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * Spells Calcite types as DuckDB type names and reads DuckDB type names back as Calcite types,
 * for the types a query can carry between the two. A type with no counterpart gives null, and
 * the caller refuses what needs it.
 */
final class DuckDbTypes {
  /** {@code DECIMAL(p,s)} as DuckDB prints it. */
  private static final Pattern DECIMAL = Pattern.compile("DECIMAL\\((\\d+),\\s*(\\d+)\\)");

  private DuckDbTypes() {}

  /** Returns the DuckDB name of {@code type}, or null if DuckDB has none Cairn can use. */
  static String toDuckDb(RelDataType type) {
    SqlTypeName name = type.getSqlTypeName();
    switch (name) {
      case BOOLEAN: return "BOOLEAN";
      case TINYINT: return "TINYINT";
      case SMALLINT: return "SMALLINT";
      case INTEGER: return "INTEGER";
      case BIGINT: return "BIGINT";
      case DECIMAL: return "DECIMAL(" + type.getPrecision() + "," + type.getScale() + ")";
      case REAL: return "FLOAT";
      case FLOAT: case DOUBLE: return "DOUBLE";
      case CHAR: case VARCHAR: return "VARCHAR";
      case BINARY: case VARBINARY: return "BLOB";
      case DATE: return "DATE";
      case TIME: return "TIME";
      case TIMESTAMP: return "TIMESTAMP";
      case TIMESTAMP_WITH_LOCAL_TIME_ZONE: return "TIMESTAMP WITH TIME ZONE";
      case UUID: return "UUID";
      case ARRAY: {
        RelDataType component = type.getComponentType();
        String element = component == null ? null : toDuckDb(component);
        return element == null ? null : element + "[]";
      }
      default:
        return name.getFamily() == SqlTypeFamily.INTERVAL_YEAR_MONTH
            || name.getFamily() == SqlTypeFamily.INTERVAL_DAY_TIME ? "INTERVAL" : null;
    }
  }

  /**
   * Returns the nullable Calcite type of the DuckDB type {@code duckdb} (as DuckDB prints it,
   * e.g. {@code DECIMAL(18,3)}, {@code BIGINT[]}), or null if Cairn cannot carry it.
   */
  static RelDataType toCalcite(String duckdb, RelDataTypeFactory types) {
    RelDataType type = toCalciteNotNull(duckdb.trim().toUpperCase(Locale.ROOT), types);
    return type == null ? null : types.createTypeWithNullability(type, true);
  }

  private static RelDataType toCalciteNotNull(String name, RelDataTypeFactory types) {
    if (name.endsWith("[]")) {
      RelDataType element = toCalcite(name.substring(0, name.length() - 2), types);
      return element == null ? null : types.createArrayType(element, -1);
    }
    Matcher decimal = DECIMAL.matcher(name);
    if (decimal.matches()) {
      return types.createSqlType(SqlTypeName.DECIMAL, Integer.parseInt(decimal.group(1)),
          Integer.parseInt(decimal.group(2)));
    }
    switch (name) {
      case "BOOLEAN": return types.createSqlType(SqlTypeName.BOOLEAN);
      case "TINYINT": return types.createSqlType(SqlTypeName.TINYINT);
      case "SMALLINT": case "UTINYINT": return types.createSqlType(SqlTypeName.SMALLINT);
      case "INTEGER": case "USMALLINT": return types.createSqlType(SqlTypeName.INTEGER);
      case "BIGINT": case "UINTEGER": return types.createSqlType(SqlTypeName.BIGINT);
      case "HUGEINT": case "UBIGINT": case "UHUGEINT":
        return types.createSqlType(SqlTypeName.DECIMAL, 38, 0);
      case "FLOAT": return types.createSqlType(SqlTypeName.REAL);
      case "DOUBLE": return types.createSqlType(SqlTypeName.DOUBLE);
      case "VARCHAR": return types.createSqlType(SqlTypeName.VARCHAR);
      case "UUID": return types.createSqlType(SqlTypeName.UUID);
      case "BLOB": return types.createSqlType(SqlTypeName.VARBINARY);
      case "DATE": return types.createSqlType(SqlTypeName.DATE);
      case "TIME": return types.createSqlType(SqlTypeName.TIME);
      case "TIMESTAMP": return types.createSqlType(SqlTypeName.TIMESTAMP, 6);
      case "TIMESTAMP WITH TIME ZONE":
        return types.createSqlType(SqlTypeName.TIMESTAMP_WITH_LOCAL_TIME_ZONE, 6);
      case "INTERVAL": // DuckDB's intervals hold months, days and microseconds together
        return types.createSqlIntervalType(
            new SqlIntervalQualifier(TimeUnit.DAY, TimeUnit.SECOND, SqlParserPos.ZERO));
      default: return null;
    }
  }
}
