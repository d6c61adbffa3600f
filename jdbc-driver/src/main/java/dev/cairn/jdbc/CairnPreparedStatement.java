package dev.cairn.jdbc;

import dev.cairn.calcite.runtime.PreparedQuery;
import dev.cairn.calcite.sql.SqlColumn;
import dev.cairn.wire.CairnException;
import java.io.InputStream;
import java.io.Reader;
import java.math.BigDecimal;
import java.net.URL;
import java.sql.Array;
import java.sql.Blob;
import java.sql.Clob;
import java.sql.Date;
import java.sql.NClob;
import java.sql.ParameterMetaData;
import java.sql.PreparedStatement;
import java.sql.Ref;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.RowId;
import java.sql.SQLException;
import java.sql.SQLXML;
import java.sql.Time;
import java.sql.Timestamp;
import java.util.Calendar;
import java.util.List;

/**
 * A prepared statement: translated once when prepared (and again only when a table it reads
 * got a new head or the default schema changed), with {@code ?} parameters bound into DuckDB's
 * own prepared statement at each execution.
 */
public final class CairnPreparedStatement extends CairnStatement implements PreparedStatement {
  /** Applies one parameter to DuckDB's statement. */
  @FunctionalInterface
  private interface Setter {
    void apply(PreparedStatement statement, int index) throws SQLException;
  }

  private final PreparedQuery query;
  private final Setter[] parameters;

  CairnPreparedStatement(CairnConnection connection, String sql) throws SQLException {
    super(connection);
    try {
      this.query = connection.session().prepare(sql);
    } catch (CairnException e) {
      throw Errors.of(e);
    }
    this.parameters = new Setter[query.parameterCount()];
  }

  private void set(int index, Setter setter) throws SQLException {
    checkOpen();
    if (index < 1 || index > parameters.length) {
      throw new SQLException("parameter index " + index + " is out of range 1.."
          + parameters.length, "22023");
    }
    parameters[index - 1] = setter;
  }

  @Override
  public ResultSet executeQuery() throws SQLException {
    for (int i = 0; i < parameters.length; i++) {
      if (parameters[i] == null) {
        throw new SQLException("parameter " + (i + 1) + " is not set", "07001");
      }
    }
    Setter[] bound = parameters.clone();
    return run(query, s -> {
      for (int i = 0; i < bound.length; i++) {
        bound[i].apply(s, i + 1);
      }
    });
  }

  @Override
  public int executeUpdate() throws SQLException {
    throw Errors.readOnly();
  }

  @Override
  public boolean execute() throws SQLException {
    executeQuery();
    return true;
  }

  @Override
  public ResultSet executeQuery(String sql) throws SQLException {
    throw new SQLException("executeQuery(String) cannot be called on a PreparedStatement",
        "HY000");
  }

  @Override
  public boolean execute(String sql) throws SQLException {
    throw new SQLException("execute(String) cannot be called on a PreparedStatement", "HY000");
  }

  @Override
  public void clearParameters() {
    java.util.Arrays.fill(parameters, null);
  }

  @Override
  public void addBatch() throws SQLException {
    throw Errors.readOnly();
  }

  /**
   * Returns the current result's columns, or before the statement runs those its translation
   * derived (the same names and JDBC types).
   */
  @Override
  public ResultSetMetaData getMetaData() throws SQLException {
    checkOpen();
    ResultSet current = getResultSet();
    return current != null ? current.getMetaData() : new ColumnsMetaData(query.columns());
  }

  @Override
  public ParameterMetaData getParameterMetaData() {
    return new Parameters(query.parameters());
  }

  @Override
  public void close() throws SQLException {
    super.close();
    query.close();
  }

  @Override
  public void setNull(int parameterIndex, int sqlType) throws SQLException {
    set(parameterIndex, (s, i) -> s.setNull(i, sqlType));
  }

  @Override
  public void setBoolean(int parameterIndex, boolean x) throws SQLException {
    set(parameterIndex, (s, i) -> s.setBoolean(i, x));
  }

  @Override
  public void setByte(int parameterIndex, byte x) throws SQLException {
    set(parameterIndex, (s, i) -> s.setByte(i, x));
  }

  @Override
  public void setShort(int parameterIndex, short x) throws SQLException {
    set(parameterIndex, (s, i) -> s.setShort(i, x));
  }

  @Override
  public void setInt(int parameterIndex, int x) throws SQLException {
    set(parameterIndex, (s, i) -> s.setInt(i, x));
  }

  @Override
  public void setLong(int parameterIndex, long x) throws SQLException {
    set(parameterIndex, (s, i) -> s.setLong(i, x));
  }

  @Override
  public void setFloat(int parameterIndex, float x) throws SQLException {
    set(parameterIndex, (s, i) -> s.setFloat(i, x));
  }

  @Override
  public void setDouble(int parameterIndex, double x) throws SQLException {
    set(parameterIndex, (s, i) -> s.setDouble(i, x));
  }

  @Override
  public void setBigDecimal(int parameterIndex, BigDecimal x) throws SQLException {
    set(parameterIndex, (s, i) -> s.setBigDecimal(i, x));
  }

  @Override
  public void setString(int parameterIndex, String x) throws SQLException {
    set(parameterIndex, (s, i) -> s.setString(i, x));
  }

  @Override
  public void setBytes(int parameterIndex, byte[] x) throws SQLException {
    set(parameterIndex, (s, i) -> s.setBytes(i, x));
  }

  @Override
  public void setDate(int parameterIndex, Date x) throws SQLException {
    set(parameterIndex, (s, i) -> s.setDate(i, x));
  }

  @Override
  public void setTime(int parameterIndex, Time x) throws SQLException {
    set(parameterIndex, (s, i) -> s.setTime(i, x));
  }

  @Override
  public void setTimestamp(int parameterIndex, Timestamp x) throws SQLException {
    set(parameterIndex, (s, i) -> s.setTimestamp(i, x));
  }

  @Override
  public void setObject(int parameterIndex, Object x, int targetSqlType) throws SQLException {
    set(parameterIndex, (s, i) -> s.setObject(i, x, targetSqlType));
  }

  @Override
  public void setObject(int parameterIndex, Object x) throws SQLException {
    set(parameterIndex, (s, i) -> s.setObject(i, x));
  }

  @Override
  public void setDate(int parameterIndex, Date x, Calendar cal) throws SQLException {
    set(parameterIndex, (s, i) -> s.setDate(i, x, cal));
  }

  @Override
  public void setTime(int parameterIndex, Time x, Calendar cal) throws SQLException {
    set(parameterIndex, (s, i) -> s.setTime(i, x, cal));
  }

  @Override
  public void setTimestamp(int parameterIndex, Timestamp x, Calendar cal) throws SQLException {
    set(parameterIndex, (s, i) -> s.setTimestamp(i, x, cal));
  }

  @Override
  public void setNull(int parameterIndex, int sqlType, String typeName) throws SQLException {
    set(parameterIndex, (s, i) -> s.setNull(i, sqlType, typeName));
  }

  @Override
  public void setNString(int parameterIndex, String value) throws SQLException {
    set(parameterIndex, (s, i) -> s.setString(i, value));
  }

  @Override
  public void setObject(int parameterIndex, Object x, int targetSqlType, int scaleOrLength) throws SQLException {
    set(parameterIndex, (s, i) -> s.setObject(i, x, targetSqlType, scaleOrLength));
  }

  @Override
  public void setAsciiStream(int parameterIndex, InputStream x, int length) throws SQLException {
    throw Errors.unsupported("setAsciiStream");
  }

  @Override
  public void setUnicodeStream(int parameterIndex, InputStream x, int length) throws SQLException {
    throw Errors.unsupported("setUnicodeStream");
  }

  @Override
  public void setBinaryStream(int parameterIndex, InputStream x, int length) throws SQLException {
    throw Errors.unsupported("setBinaryStream");
  }

  @Override
  public void setCharacterStream(int parameterIndex, Reader reader, int length) throws SQLException {
    throw Errors.unsupported("setCharacterStream");
  }

  @Override
  public void setRef(int parameterIndex, Ref x) throws SQLException {
    throw Errors.unsupported("setRef");
  }

  @Override
  public void setBlob(int parameterIndex, Blob x) throws SQLException {
    throw Errors.unsupported("setBlob");
  }

  @Override
  public void setClob(int parameterIndex, Clob x) throws SQLException {
    throw Errors.unsupported("setClob");
  }

  @Override
  public void setArray(int parameterIndex, Array x) throws SQLException {
    throw Errors.unsupported("setArray");
  }

  @Override
  public void setURL(int parameterIndex, URL x) throws SQLException {
    throw Errors.unsupported("setURL");
  }

  @Override
  public void setRowId(int parameterIndex, RowId x) throws SQLException {
    throw Errors.unsupported("setRowId");
  }

  @Override
  public void setNCharacterStream(int parameterIndex, Reader value, long length) throws SQLException {
    throw Errors.unsupported("setNCharacterStream");
  }

  @Override
  public void setNClob(int parameterIndex, NClob value) throws SQLException {
    throw Errors.unsupported("setNClob");
  }

  @Override
  public void setClob(int parameterIndex, Reader reader, long length) throws SQLException {
    throw Errors.unsupported("setClob");
  }

  @Override
  public void setBlob(int parameterIndex, InputStream inputStream, long length) throws SQLException {
    throw Errors.unsupported("setBlob");
  }

  @Override
  public void setNClob(int parameterIndex, Reader reader, long length) throws SQLException {
    throw Errors.unsupported("setNClob");
  }

  @Override
  public void setSQLXML(int parameterIndex, SQLXML xmlObject) throws SQLException {
    throw Errors.unsupported("setSQLXML");
  }

  @Override
  public void setAsciiStream(int parameterIndex, InputStream x, long length) throws SQLException {
    throw Errors.unsupported("setAsciiStream");
  }

  @Override
  public void setBinaryStream(int parameterIndex, InputStream x, long length) throws SQLException {
    throw Errors.unsupported("setBinaryStream");
  }

  @Override
  public void setCharacterStream(int parameterIndex, Reader reader, long length) throws SQLException {
    throw Errors.unsupported("setCharacterStream");
  }

  @Override
  public void setAsciiStream(int parameterIndex, InputStream x) throws SQLException {
    throw Errors.unsupported("setAsciiStream");
  }

  @Override
  public void setBinaryStream(int parameterIndex, InputStream x) throws SQLException {
    throw Errors.unsupported("setBinaryStream");
  }

  @Override
  public void setCharacterStream(int parameterIndex, Reader reader) throws SQLException {
    throw Errors.unsupported("setCharacterStream");
  }

  @Override
  public void setNCharacterStream(int parameterIndex, Reader value) throws SQLException {
    throw Errors.unsupported("setNCharacterStream");
  }

  @Override
  public void setClob(int parameterIndex, Reader reader) throws SQLException {
    throw Errors.unsupported("setClob");
  }

  @Override
  public void setBlob(int parameterIndex, InputStream inputStream) throws SQLException {
    throw Errors.unsupported("setBlob");
  }

  @Override
  public void setNClob(int parameterIndex, Reader reader) throws SQLException {
    throw Errors.unsupported("setNClob");
  }

  /** Parameter types as the translator inferred them. */
  private record Parameters(List<SqlColumn> columns) implements ParameterMetaData {
    @Override
    public int getParameterCount() {
      return columns.size();
    }

    @Override
    public int isNullable(int param) throws SQLException {
      parameter(param);
      return parameterNullable;
    }

    @Override
    public boolean isSigned(int param) throws SQLException {
      return ColumnsMetaData.signed(parameter(param).jdbcType());
    }

    private SqlColumn parameter(int param) throws SQLException {
      if (param < 1 || param > columns.size()) {
        throw new SQLException("parameter index " + param + " is out of range 1.."
            + columns.size(), "22023");
      }
      return columns.get(param - 1);
    }

    @Override
    public int getPrecision(int param) throws SQLException {
      return Math.max(0, parameter(param).precision());
    }

    @Override
    public int getScale(int param) throws SQLException {
      return Math.max(0, parameter(param).scale());
    }

    @Override
    public int getParameterType(int param) throws SQLException {
      return parameter(param).jdbcType();
    }

    @Override
    public String getParameterTypeName(int param) throws SQLException {
      return parameter(param).typeName().replace(" ", "");
    }

    @Override
    public String getParameterClassName(int param) throws SQLException {
      return ColumnsMetaData.className(parameter(param).jdbcType());
    }

    @Override
    public int getParameterMode(int param) throws SQLException {
      parameter(param);
      return parameterModeIn;
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
      throw new SQLException("not a wrapper for " + iface.getName());
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
      return false;
    }
  }
}
