package dev.cairn.jdbc;

import static java.util.Objects.requireNonNull;

import dev.cairn.calcite.runtime.CairnSession;
import dev.cairn.calcite.runtime.PreparedQuery;
import dev.cairn.wire.CairnException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;

/**
 * A statement: each execution translates its SQL against a fresh snapshot and runs it on the
 * connection's DuckDB connection. Only queries are accepted; updates fail as read-only. The
 * previous result set is closed when the statement runs again or closes.
 */
public class CairnStatement implements Statement {
  final CairnConnection connection;
  private PreparedQuery current;
  private ResultSet resultSet;
  private int maxRows;
  private int queryTimeoutSeconds;
  private int fetchSize;
  private boolean closeOnCompletion;
  private volatile boolean closed;

  CairnStatement(CairnConnection connection) {
    this.connection = requireNonNull(connection, "connection");
  }

  void checkOpen() throws SQLException {
    if (closed) {
      throw Errors.closed("statement");
    }
    connection.checkOpen();
  }

  /** Runs {@code query}, which this statement now owns, and returns its wrapped result. */
  ResultSet run(PreparedQuery query, CairnSession.Binder binder) throws SQLException {
    checkOpen();
    closeResult();
    try {
      ResultSet rs = connection.session().execute(query, binder);
      resultSet = ResultSets.wrap(rs, this);
      return resultSet;
    } catch (CairnException e) {
      throw Errors.of(e);
    }
  }

  private void closeResult() throws SQLException {
    if (resultSet != null) {
      resultSet.close();
      resultSet = null;
    }
  }

  @Override
  public ResultSet executeQuery(String sql) throws SQLException {
    checkOpen();
    if (current != null) {
      current.close();
    }
    current = connection.session().query(sql);
    return run(current, s -> { });
  }

  @Override
  public int executeUpdate(String sql) throws SQLException {
    throw Errors.readOnly();
  }

  @Override
  public void close() throws SQLException {
    if (!closed) {
      closed = true;
      closeResult();
      if (current != null) {
        current.close();
      }
    }
  }

  @Override
  public int getMaxFieldSize() {
    return 0;
  }

  @Override
  public void setMaxFieldSize(int max) {
    // No limit on field sizes.
  }

  @Override
  public int getMaxRows() {
    return maxRows;
  }

  @Override
  public void setMaxRows(int max) throws SQLException {
    if (max < 0) {
      throw new SQLException("maxRows must not be negative", "22023");
    }
    maxRows = max;
  }

  @Override
  public void setEscapeProcessing(boolean enable) {
    // JDBC escapes are not processed: Cairn SQL is passed as written.
  }

  @Override
  public int getQueryTimeout() {
    return queryTimeoutSeconds;
  }

  @Override
  public void setQueryTimeout(int seconds) throws SQLException {
    if (seconds < 0) {
      throw new SQLException("query timeout must not be negative", "22023");
    }
    queryTimeoutSeconds = seconds;
  }

  @Override
  public void cancel() throws SQLException {
    throw Errors.unsupported("cancel");
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
  public void setCursorName(String name) throws SQLException {
    throw Errors.unsupported("named cursors");
  }

  @Override
  public boolean execute(String sql) throws SQLException {
    executeQuery(sql);
    return true;
  }

  @Override
  public ResultSet getResultSet() {
    return resultSet;
  }

  @Override
  public int getUpdateCount() {
    return -1;
  }

  @Override
  public boolean getMoreResults() throws SQLException {
    closeResult();
    return false;
  }

  @Override
  public void setFetchDirection(int direction) throws SQLException {
    if (direction != ResultSet.FETCH_FORWARD) {
      throw Errors.unsupported("fetch directions other than forward");
    }
  }

  @Override
  public int getFetchDirection() {
    return ResultSet.FETCH_FORWARD;
  }

  @Override
  public void setFetchSize(int rows) {
    fetchSize = rows;
  }

  @Override
  public int getFetchSize() {
    return fetchSize;
  }

  @Override
  public int getResultSetConcurrency() {
    return ResultSet.CONCUR_READ_ONLY;
  }

  @Override
  public int getResultSetType() {
    return ResultSet.TYPE_FORWARD_ONLY;
  }

  @Override
  public void addBatch(String sql) throws SQLException {
    throw Errors.readOnly();
  }

  @Override
  public void clearBatch() {
    // There is never a batch.
  }

  @Override
  public int[] executeBatch() throws SQLException {
    throw Errors.readOnly();
  }

  @Override
  public Connection getConnection() {
    return connection;
  }

  @Override
  public boolean getMoreResults(int current) throws SQLException {
    return getMoreResults();
  }

  @Override
  public ResultSet getGeneratedKeys() throws SQLException {
    throw Errors.unsupported("generated keys");
  }

  @Override
  public int executeUpdate(String sql, int autoGeneratedKeys) throws SQLException {
    throw Errors.readOnly();
  }

  @Override
  public int executeUpdate(String sql, int[] columnIndexes) throws SQLException {
    throw Errors.readOnly();
  }

  @Override
  public int executeUpdate(String sql, String[] columnNames) throws SQLException {
    throw Errors.readOnly();
  }

  @Override
  public boolean execute(String sql, int autoGeneratedKeys) throws SQLException {
    return execute(sql);
  }

  @Override
  public boolean execute(String sql, int[] columnIndexes) throws SQLException {
    return execute(sql);
  }

  @Override
  public boolean execute(String sql, String[] columnNames) throws SQLException {
    return execute(sql);
  }

  @Override
  public int getResultSetHoldability() {
    return ResultSet.HOLD_CURSORS_OVER_COMMIT;
  }

  @Override
  public boolean isClosed() {
    return closed;
  }

  @Override
  public void setPoolable(boolean poolable) {
    // Statements are cheap; nothing to pool.
  }

  @Override
  public boolean isPoolable() {
    return false;
  }

  @Override
  public void closeOnCompletion() {
    closeOnCompletion = true;
  }

  @Override
  public boolean isCloseOnCompletion() {
    return closeOnCompletion;
  }

  @Override
  public <T> T unwrap(Class<T> iface) throws SQLException {
    return Wrappers.unwrap(iface, this);
  }

  @Override
  public boolean isWrapperFor(Class<?> iface) {
    return Wrappers.isWrapperFor(iface, this);
  }
}
