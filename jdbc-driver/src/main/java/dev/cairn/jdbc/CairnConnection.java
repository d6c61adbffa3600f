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
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A connection to Cairn: one {@link CairnSession} (its metadata services, default schema and
 * own DuckDB connection). Always read-only; every statement reads its own snapshot (READ
 * COMMITTED), so auto-commit may be switched off and commit and rollback have nothing to do.
 * {@link #close} cancels what its statements run. Unwraps to {@link CairnSession} for
 * diagnostics (counters, cache).
 */
public final class CairnConnection implements Connection {
  private static final Logger LOG = Logger.getLogger(CairnConnection.class.getName());
  private final String url;
  private final CairnSession session;
  private final Properties clientInfo = new Properties();
  /** Open statements, which {@link #close} cancels and closes. */
  private final Set<CairnStatement> statements = ConcurrentHashMap.newKeySet();
  private volatile boolean autoCommit = true;
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
    if (isClosed()) {
      throw Errors.closed("connection");
    }
  }

  /** Registers a new statement for {@link #close}, or closes it if this connection closed. */
  private <T extends CairnStatement> T track(T statement) throws SQLException {
    statements.add(statement);
    if (closed) {
      statement.close();
      checkOpen();
    }
    return statement;
  }

  /** Forgets a statement that closed. */
  void forget(CairnStatement statement) {
    statements.remove(statement);
  }

  @Override
  public Statement createStatement() throws SQLException {
    checkOpen();
    return track(new CairnStatement(this));
  }

  @Override
  public PreparedStatement prepareStatement(String sql) throws SQLException {
    checkOpen();
    return track(new CairnPreparedStatement(this, sql));
  }

  @Override
  public CallableStatement prepareCall(String sql) throws SQLException {
    throw Errors.unsupported("prepareCall");
  }

  @Override
  public String nativeSQL(String sql) {
    return sql;
  }

  /**
   * Either mode reads the same: each statement sees the newest committed versions (READ
   * COMMITTED), and a read-only transaction has nothing to commit.
   */
  @Override
  public void setAutoCommit(boolean autoCommit) throws SQLException {
    checkOpen();
    this.autoCommit = autoCommit;
  }

  @Override
  public boolean getAutoCommit() throws SQLException {
    checkOpen();
    return autoCommit;
  }

  @Override
  public void commit() throws SQLException {
    checkOpen(); // read-only: nothing to commit
  }

  @Override
  public void rollback() throws SQLException {
    checkOpen(); // read-only: nothing to roll back
  }

  /**
   * Cancels what every statement runs, closes them, then frees the session (its DuckDB
   * connection; the last connection of a shared runtime frees the runtime).
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (CairnStatement statement : statements) {
      statement.cancel("the connection was closed");
    }
    for (CairnStatement statement : List.copyOf(statements)) {
      try {
        statement.close();
      } catch (SQLException e) {
        LOG.log(Level.FINE, "closing a statement of a closing connection", e);
      }
    }
    session.close();
  }

  /** True once closed, also when the data source that made it closed. */
  @Override
  public boolean isClosed() {
    return closed || session.isClosed();
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

  /**
   * READ COMMITTED is what every statement gets (its own snapshot of committed versions); READ
   * UNCOMMITTED is served by it, as JDBC allows; stronger levels are not supported.
   */
  @Override
  public void setTransactionIsolation(int level) throws SQLException {
    checkOpen();
    if (level == TRANSACTION_REPEATABLE_READ || level == TRANSACTION_SERIALIZABLE) {
      throw Errors.unsupported("transaction isolation stronger than READ COMMITTED (each"
          + " statement reads its own snapshot)");
    }
    if (level != TRANSACTION_READ_COMMITTED && level != TRANSACTION_READ_UNCOMMITTED) {
      throw new SQLException("not a transaction isolation level: " + level, "HY024");
    }
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

  /** Results are complete when the query returns and commit closes nothing: only HOLD works. */
  private static void checkHoldability(int holdability) throws SQLException {
    if (holdability == ResultSet.CLOSE_CURSORS_AT_COMMIT) {
      throw Errors.unsupported("closing result sets at commit");
    }
    if (holdability != ResultSet.HOLD_CURSORS_OVER_COMMIT) {
      throw new SQLException("not a holdability: " + holdability, "HY024");
    }
  }

  private static void checkNoGeneratedKeys(int autoGeneratedKeys) throws SQLException {
    if (autoGeneratedKeys != Statement.NO_GENERATED_KEYS) {
      throw Errors.unsupported("generated keys");
    }
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
  public void setHoldability(int holdability) throws SQLException {
    checkOpen();
    checkHoldability(holdability);
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
    checkHoldability(resultSetHoldability);
    return createStatement(resultSetType, resultSetConcurrency);
  }

  @Override
  public PreparedStatement prepareStatement(String sql, int resultSetType,
      int resultSetConcurrency, int resultSetHoldability) throws SQLException {
    checkHoldability(resultSetHoldability);
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
    checkNoGeneratedKeys(autoGeneratedKeys);
    return prepareStatement(sql);
  }

  @Override
  public PreparedStatement prepareStatement(String sql, int[] columnIndexes)
      throws SQLException {
    throw Errors.unsupported("generated keys");
  }

  @Override
  public PreparedStatement prepareStatement(String sql, String[] columnNames)
      throws SQLException {
    throw Errors.unsupported("generated keys");
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

  /** Cancels what the statements run at once, and closes the rest on {@code executor}. */
  @Override
  public void abort(Executor executor) throws SQLException {
    if (executor == null) {
      throw new SQLException("abort needs an executor", "HY009");
    }
    if (closed) {
      return;
    }
    for (CairnStatement statement : statements) {
      statement.cancel("the connection was aborted");
    }
    session.cancelRunning("the connection was aborted");
    executor.execute(this::close);
  }

  /** Not supported: each request's timeout is the {@code timeout} property, fixed at connect. */
  @Override
  public void setNetworkTimeout(Executor executor, int milliseconds) throws SQLException {
    throw Errors.unsupported("setNetworkTimeout (set the timeout property of the URL)");
  }

  /** Returns the timeout of each request to a service (the {@code timeout} property). */
  @Override
  public int getNetworkTimeout() throws SQLException {
    checkOpen();
    return (int) Math.min(Integer.MAX_VALUE, session.callTimeout().toMillis());
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
