package dev.cairn.jdbc;

import dev.cairn.calcite.sql.SqlColumn;
import java.math.BigDecimal;
import java.sql.Date;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Time;
import java.sql.Timestamp;
import java.time.OffsetDateTime;
import java.sql.Types;
import java.util.List;

/**
 * The result columns of a prepared statement as its translation derived them, so that {@code
 * PreparedStatement.getMetaData()} describes the result before it runs (tools ask this to
 * lay out a grid). Names and JDBC types are those the executed result set reports.
 */
final class ColumnsMetaData implements ResultSetMetaData {
  private final List<SqlColumn> columns;

  ColumnsMetaData(List<SqlColumn> columns) {
    this.columns = List.copyOf(columns);
  }

  private SqlColumn column(int column) throws SQLException {
    if (column < 1 || column > columns.size()) {
      throw new SQLException("column index " + column + " is out of range 1.."
          + columns.size(), "22023");
    }
    return columns.get(column - 1);
  }

  @Override
  public int getColumnCount() {
    return columns.size();
  }

  @Override
  public boolean isAutoIncrement(int column) throws SQLException {
    column(column);
    return false;
  }

  @Override
  public boolean isCaseSensitive(int column) throws SQLException {
    return column(column).jdbcType() == Types.VARCHAR;
  }

  @Override
  public boolean isSearchable(int column) throws SQLException {
    column(column);
    return true;
  }

  @Override
  public boolean isCurrency(int column) throws SQLException {
    column(column);
    return false;
  }

  @Override
  public int isNullable(int column) throws SQLException {
    return column(column).nullable() ? columnNullable : columnNoNulls;
  }

  @Override
  public boolean isSigned(int column) throws SQLException {
    return signed(column(column).jdbcType());
  }

  /** Whether values of {@code jdbcType} carry a sign. */
  static boolean signed(int jdbcType) {
    switch (jdbcType) {
      case Types.TINYINT: case Types.SMALLINT: case Types.INTEGER: case Types.BIGINT:
      case Types.REAL: case Types.FLOAT: case Types.DOUBLE: case Types.DECIMAL:
      case Types.NUMERIC:
        return true;
      default:
        return false;
    }
  }

  @Override
  public int getColumnDisplaySize(int column) throws SQLException {
    int precision = getPrecision(column);
    return precision > 0 ? precision + 2 : 32; // sign and decimal point
  }

  @Override
  public String getColumnLabel(int column) throws SQLException {
    return column(column).name();
  }

  @Override
  public String getColumnName(int column) throws SQLException {
    return column(column).name();
  }

  @Override
  public String getSchemaName(int column) throws SQLException {
    column(column);
    return "";
  }

  @Override
  public int getPrecision(int column) throws SQLException {
    return Math.max(0, column(column).precision());
  }

  @Override
  public int getScale(int column) throws SQLException {
    return Math.max(0, column(column).scale());
  }

  @Override
  public String getTableName(int column) throws SQLException {
    column(column);
    return "";
  }

  @Override
  public String getCatalogName(int column) throws SQLException {
    column(column);
    return "";
  }

  @Override
  public int getColumnType(int column) throws SQLException {
    return column(column).jdbcType();
  }

  /** The type as DuckDB's result set spells it, e.g. {@code DECIMAL(15,2)}. */
  @Override
  public String getColumnTypeName(int column) throws SQLException {
    return column(column).typeName().replace(" ", "");
  }

  @Override
  public boolean isReadOnly(int column) throws SQLException {
    column(column);
    return true;
  }

  @Override
  public boolean isWritable(int column) throws SQLException {
    column(column);
    return false;
  }

  @Override
  public boolean isDefinitelyWritable(int column) throws SQLException {
    column(column);
    return false;
  }

  @Override
  public String getColumnClassName(int column) throws SQLException {
    SqlColumn c = column(column);
    // UUID is Types.OTHER, which names no class by itself; getObject returns java.util.UUID.
    return "UUID".equals(c.typeName()) ? java.util.UUID.class.getName()
        : className(c.jdbcType());
  }

  /** The class {@code getObject} returns for {@code jdbcType}. */
  static String className(int jdbcType) {
    switch (jdbcType) {
      case Types.BOOLEAN: return Boolean.class.getName();
      case Types.TINYINT: return Byte.class.getName();
      case Types.SMALLINT: return Short.class.getName();
      case Types.INTEGER: return Integer.class.getName();
      case Types.BIGINT: return Long.class.getName();
      case Types.REAL: return Float.class.getName();
      case Types.FLOAT: case Types.DOUBLE: return Double.class.getName();
      case Types.DECIMAL: case Types.NUMERIC: return BigDecimal.class.getName();
      case Types.DATE: return Date.class.getName();
      case Types.TIMESTAMP: return Timestamp.class.getName();
      case Types.TIMESTAMP_WITH_TIMEZONE: return OffsetDateTime.class.getName();
      case Types.TIME: return Time.class.getName();
      case Types.BINARY: case Types.VARBINARY: return byte[].class.getName();
      case Types.CHAR: case Types.VARCHAR: return String.class.getName();
      default: return Object.class.getName();
    }
  }

  @Override
  public <T> T unwrap(Class<T> iface) throws SQLException {
    if (iface.isInstance(this)) {
      return iface.cast(this);
    }
    throw new SQLException("not a wrapper for " + iface.getName());
  }

  @Override
  public boolean isWrapperFor(Class<?> iface) {
    return iface.isInstance(this);
  }
}
