package dev.cairn.jdbc;

import static java.util.Objects.requireNonNull;

import dev.cairn.calcite.runtime.CairnSession;
import java.sql.Array;
import java.sql.Blob;
import java.sql.CallableStatement;
import java.sql.Clob;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.NClob;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLClientInfoException;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.SQLXML;
import java.sql.Savepoint;
import java.sql.Statement;
import java.sql.Struct;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Executor;

/**
 * A connection to Cairn: one {@link CairnSession} (its metadata services, default schema and
 * own DuckDB connection). Always read-only; every query is its own snapshot, so auto-commit,
 * commit and rollback are accepted and do nothing. Unwraps to {@link CairnSession} for
 * diagnostics (counters, cache).
 */
public final class CairnConnection implements Connection {
  private final String url;
  private final CairnSession session;
  private final Properties clientInfo = new Properties();
  private volatile boolean closed;

  CairnConnection(String url, CairnSession session) {
    this.url = requireNonNull(url, "url");
    this.session = requireNonNull(session, "session");
  }

  CairnSession session() {
    return session;
  }

  String url() {
    return url;
  }

  void checkOpen() throws SQLException {
    if (closed) {
      throw Errors.closed("connection");
    }
  }

  @Override
  public Statement createStatement() throws SQLException {
    checkOpen();
    return new CairnStatement(this);
  }

  @Override
  public PreparedStatement prepareStatement(String sql) throws SQLException {
    checkOpen();
    return new CairnPreparedStatement(this, sql);
  }

  @Override
  public CallableStatement prepareCall(String sql) throws SQLException {
    throw Errors.unsupported("prepareCall");
  }

  @Override
  public String nativeSQL(String sql) {
    return sql;
  }

  @Override
  public void setAutoCommit(boolean autoCommit) {
    // Every query reads its own snapshot: there is nothing to commit.
  }

  @Override
  public boolean getAutoCommit() {
    return true;
  }

  @Override
  public void commit() {
    // Read-only: nothing to commit.
  }

  @Override
  public void rollback() {
    // Read-only: nothing to roll back.
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      session.close();
    }
  }

  @Override
  public boolean isClosed() {
    return closed;
  }

  @Override
  public DatabaseMetaData getMetaData() throws SQLException {
    checkOpen();
    return new CairnDatabaseMetaData(this);
  }

  @Override
  public void setReadOnly(boolean readOnly) {
    // Always read-only; tools that ask for read-write still get a working connection.
  }

  @Override
  public boolean isReadOnly() {
    return true;
  }

  @Override
  public void setCatalog(String catalog) {
    // Cairn has no catalogs.
  }

  @Override
  public String getCatalog() {
    return null;
  }

  @Override
  public void setTransactionIsolation(int level) {
    // Each statement reads one consistent snapshot; there are no transactions.
  }

  @Override
  public int getTransactionIsolation() {
    return TRANSACTION_READ_COMMITTED;
  }

  @Override
  public SQLWarning getWarnings() {
    return null;
  }

  @Override
  public void clearWarnings() {
    // No warnings are kept.
  }

  @Override
  public Statement createStatement(int resultSetType, int resultSetConcurrency)
      throws SQLException {
    checkResultSetKind(resultSetType, resultSetConcurrency);
    return createStatement();
  }

  @Override
  public PreparedStatement prepareStatement(String sql, int resultSetType,
      int resultSetConcurrency) throws SQLException {
    checkResultSetKind(resultSetType, resultSetConcurrency);
    return prepareStatement(sql);
  }

  private static void checkResultSetKind(int type, int concurrency) throws SQLException {
    if (type != ResultSet.TYPE_FORWARD_ONLY || concurrency != ResultSet.CONCUR_READ_ONLY) {
      throw Errors.unsupported("scrollable or updatable result sets");
    }
  }

  @Override
  public CallableStatement prepareCall(String sql, int resultSetType, int resultSetConcurrency)
      throws SQLException {
    throw Errors.unsupported("prepareCall");
  }

  @Override
  public Map<String, Class<?>> getTypeMap() {
    return Map.of();
  }

  @Override
  public void setTypeMap(Map<String, Class<?>> map) throws SQLException {
    throw Errors.unsupported("type maps");
  }

  @Override
  public void setHoldability(int holdability) {
    // Results are materialised; they survive anything.
  }

  @Override
  public int getHoldability() {
    return ResultSet.HOLD_CURSORS_OVER_COMMIT;
  }

  @Override
  public Savepoint setSavepoint() throws SQLException {
    throw Errors.unsupported("savepoints");
  }

  @Override
  public Savepoint setSavepoint(String name) throws SQLException {
    throw Errors.unsupported("savepoints");
  }

  @Override
  public void rollback(Savepoint savepoint) throws SQLException {
    throw Errors.unsupported("savepoints");
  }

  @Override
  public void releaseSavepoint(Savepoint savepoint) throws SQLException {
    throw Errors.unsupported("savepoints");
  }

  @Override
  public Statement createStatement(int resultSetType, int resultSetConcurrency,
      int resultSetHoldability) throws SQLException {
    return createStatement(resultSetType, resultSetConcurrency);
  }

  @Override
  public PreparedStatement prepareStatement(String sql, int resultSetType,
      int resultSetConcurrency, int resultSetHoldability) throws SQLException {
    return prepareStatement(sql, resultSetType, resultSetConcurrency);
  }

  @Override
  public CallableStatement prepareCall(String sql, int resultSetType, int resultSetConcurrency,
      int resultSetHoldability) throws SQLException {
    throw Errors.unsupported("prepareCall");
  }

  @Override
  public PreparedStatement prepareStatement(String sql, int autoGeneratedKeys)
      throws SQLException {
    return prepareStatement(sql);
  }

  @Override
  public PreparedStatement prepareStatement(String sql, int[] columnIndexes)
      throws SQLException {
    return prepareStatement(sql);
  }

  @Override
  public PreparedStatement prepareStatement(String sql, String[] columnNames)
      throws SQLException {
    return prepareStatement(sql);
  }

  @Override
  public Clob createClob() throws SQLException {
    throw Errors.unsupported("CLOB");
  }

  @Override
  public Blob createBlob() throws SQLException {
    throw Errors.unsupported("BLOB");
  }

  @Override
  public NClob createNClob() throws SQLException {
    throw Errors.unsupported("NCLOB");
  }

  @Override
  public SQLXML createSQLXML() throws SQLException {
    throw Errors.unsupported("SQLXML");
  }

  /** Returns true if a metadata service answers a ping within {@code timeout} seconds. */
  @Override
  public boolean isValid(int timeout) throws SQLException {
    if (timeout < 0) {
      throw new SQLException("timeout must not be negative", "22023");
    }
    return !closed && session.ping(Duration.ofSeconds(timeout == 0 ? 30 : timeout));
  }

  @Override
  public void setClientInfo(String name, String value) throws SQLClientInfoException {
    clientInfo.setProperty(name, value);
  }

  @Override
  public void setClientInfo(Properties properties) throws SQLClientInfoException {
    clientInfo.putAll(properties);
  }

  @Override
  public String getClientInfo(String name) {
    return clientInfo.getProperty(name);
  }

  @Override
  public Properties getClientInfo() {
    return (Properties) clientInfo.clone();
  }

  @Override
  public Array createArrayOf(String typeName, Object[] elements) throws SQLException {
    throw Errors.unsupported("arrays");
  }

  @Override
  public Struct createStruct(String typeName, Object[] attributes) throws SQLException {
    throw Errors.unsupported("structs");
  }

  /** Sets the default schema for unqualified table names. */
  @Override
  public void setSchema(String schema) throws SQLException {
    checkOpen();
    session.setDefaultSchema(schema);
  }

  @Override
  public String getSchema() throws SQLException {
    checkOpen();
    return session.defaultSchema();
  }

  @Override
  public void abort(Executor executor) {
    close();
  }

  @Override
  public void setNetworkTimeout(Executor executor, int milliseconds) {
    // Requests carry the timeout setting (URL parameter "timeout").
  }

  @Override
  public int getNetworkTimeout() {
    return 0;
  }

  @Override
  public <T> T unwrap(Class<T> iface) throws SQLException {
    return Wrappers.unwrap(iface, this, session);
  }

  @Override
  public boolean isWrapperFor(Class<?> iface) {
    return Wrappers.isWrapperFor(iface, this, session);
  }
}
