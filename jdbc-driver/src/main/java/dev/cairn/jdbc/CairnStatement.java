package dev.cairn.jdbc;

import static java.util.Objects.requireNonNull;

import dev.cairn.calcite.runtime.CairnSession;
import dev.cairn.calcite.runtime.PreparedQuery;
import dev.cairn.calcite.runtime.QueryCancel;
import dev.cairn.wire.CairnException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;

/**
 * A statement: each execution translates its SQL against a fresh snapshot and runs it on the
 * connection's DuckDB connection. Only queries are accepted; updates fail as read-only. The
 * previous result set is closed when the statement runs again or closes.
 *
 * <p>{@link #cancel} (from any thread), the query timeout and the connection's close stop the
 * execution running now through its {@link QueryCancel}, and it fails with CANCELLED (SQLState
 * 57014). The timeout covers the execution ({@code executeQuery} returning), which is where
 * all the work is: the results are complete by then. {@code maxRows} is pushed into the DuckDB
 * SQL as a LIMIT when it can be, and always enforced by the result set.
 */
public class CairnStatement implements Statement {
  final CairnConnection connection;
  private PreparedQuery current;
  private volatile ResultSet resultSet;
  private volatile long maxRows;
  private volatile int queryTimeoutSeconds;
  private int fetchSize;
  private boolean poolable;
  private volatile boolean closeOnCompletion;
  private volatile boolean closed;
  /** The execution running now, or null: what {@link #cancel} stops. */
  private volatile QueryCancel running;

  CairnStatement(CairnConnection connection) {
    this.connection = requireNonNull(connection, "connection");
  }

  void checkOpen() throws SQLException {
    if (closed) {
      throw Errors.closed("statement");
    }
    connection.checkOpen();
  }

  /**
   * Runs {@code query}, which this statement now owns, and returns its wrapped result; stopped
   * by {@link #cancel}, the query timeout or a close.
   */
  synchronized ResultSet run(PreparedQuery query, CairnSession.Binder binder)
      throws SQLException {
    checkOpen();
    closeResult();
    QueryCancel cancel = new QueryCancel();
    running = cancel;
    if (closed) { // a close that looked before running was set
      cancel.cancel("the statement was closed");
    }
    CairnSession session = connection.session();
    int timeout = queryTimeoutSeconds;
    ScheduledFuture<?> deadline = null;
    try {
      if (timeout > 0) {
        deadline = session.schedule(
            () -> cancel.cancel("the query timeout of " + timeout + " s passed"),
            Duration.ofSeconds(timeout));
      }
      long limit = maxRows;
      ResultSet rs = session.execute(query, binder, limit, cancel);
      resultSet = ResultSets.wrap(rs, this, limit);
      return resultSet;
    } catch (CairnException e) {
      throw Errors.of(e);
    } finally {
      if (deadline != null) {
        deadline.cancel(false);
      }
      running = null;
    }
  }

  /** Closes the current result (re-run or close): not a completion that closes the statement. */
  private void closeResult() throws SQLException {
    ResultSet old = resultSet;
    resultSet = null;
    if (old != null) {
      old.close();
    }
  }

  /** Called by this statement's result set when it closes: honours closeOnCompletion. */
  void resultClosed(ResultSet result) throws SQLException {
    if (closeOnCompletion && result == resultSet) {
      close();
    }
  }

  @Override
  public synchronized ResultSet executeQuery(String sql) throws SQLException {
    checkOpen();
    // The result first: the query's DuckDB statement may go back to the session for re-use.
    closeResult();
    if (current != null) {
      current.close();
      current = null;
    }
    current = connection.session().query(sql);
    return run(current, s -> { });
  }

  @Override
  public int executeUpdate(String sql) throws SQLException {
    throw Errors.readOnly();
  }

  /** Cancels what this statement runs, then frees its result and DuckDB statement. */
  @Override
  public void close() throws SQLException {
    if (closed) {
      return;
    }
    closed = true;
    cancel("the statement was closed");
    synchronized (this) {
      connection.forget(this);
      closeResult();
      if (current != null) {
        current.close();
        current = null;
      }
    }
  }

  @Override
  public int getMaxFieldSize() {
    return 0;
  }

  /** Only 0 (no limit) is supported: values are never truncated. */
  @Override
  public void setMaxFieldSize(int max) throws SQLException {
    if (max < 0) {
      throw new SQLException("maxFieldSize must not be negative", "22023");
    }
    if (max != 0) {
      throw Errors.unsupported("a maximum field size (values are never truncated)");
    }
  }

  @Override
  public int getMaxRows() {
    return (int) Math.min(Integer.MAX_VALUE, maxRows);
  }

  @Override
  public void setMaxRows(int max) throws SQLException {
    setLargeMaxRows(max);
  }

  @Override
  public long getLargeMaxRows() {
    return maxRows;
  }

  /** Limits the rows of the next results to {@code max} (0: no limit). */
  @Override
  public void setLargeMaxRows(long max) throws SQLException {
    checkOpen();
    if (max < 0) {
      throw new SQLException("maxRows must not be negative", "22023");
    }
    maxRows = max;
  }

  /** Only false is supported: JDBC escapes ({@code {fn ...}}, {@code {d ...}}) stay as written. */
  @Override
  public void setEscapeProcessing(boolean enable) throws SQLException {
    if (enable) {
      throw Errors.unsupported("JDBC escape processing (Cairn SQL is passed as written)");
    }
  }

  @Override
  public int getQueryTimeout() {
    return queryTimeoutSeconds;
  }

  /** Cancels each later execution still running {@code seconds} after it started (0: never). */
  @Override
  public void setQueryTimeout(int seconds) throws SQLException {
    checkOpen();
    if (seconds < 0) {
      throw new SQLException("query timeout must not be negative", "22023");
    }
    queryTimeoutSeconds = seconds;
  }

  /**
   * Stops the execution this statement runs now, from any thread: its batch loads and its
   * DuckDB statement end and it fails with CANCELLED (SQLState 57014). Does nothing when none
   * runs.
   */
  @Override
  public void cancel() throws SQLException {
    if (closed) {
      throw Errors.closed("statement");
    }
    cancel("Statement.cancel() was called");
  }

  /** Cancels the running execution, if any, saying {@code why}. */
  void cancel(String why) {
    QueryCancel now = running;
    if (now != null) {
      now.cancel(why);
    }
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

  /** A hint only (JDBC): results are complete when the query returns; rows are read in chunks. */
  @Override
  public void setFetchSize(int rows) throws SQLException {
    if (rows < 0) {
      throw new SQLException("fetch size must not be negative", "22023");
    }
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

  /** There is never another result; KEEP_CURRENT_RESULT leaves the current one open. */
  @Override
  public boolean getMoreResults(int current) throws SQLException {
    if (current != Statement.KEEP_CURRENT_RESULT) {
      closeResult();
    }
    return false;
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
    if (autoGeneratedKeys != Statement.NO_GENERATED_KEYS) {
      throw Errors.unsupported("generated keys");
    }
    return execute(sql);
  }

  @Override
  public boolean execute(String sql, int[] columnIndexes) throws SQLException {
    throw Errors.unsupported("generated keys");
  }

  @Override
  public boolean execute(String sql, String[] columnNames) throws SQLException {
    throw Errors.unsupported("generated keys");
  }

  @Override
  public long executeLargeUpdate(String sql) throws SQLException {
    throw Errors.readOnly();
  }

  @Override
  public long executeLargeUpdate(String sql, int autoGeneratedKeys) throws SQLException {
    throw Errors.readOnly();
  }

  @Override
  public long executeLargeUpdate(String sql, int[] columnIndexes) throws SQLException {
    throw Errors.readOnly();
  }

  @Override
  public long executeLargeUpdate(String sql, String[] columnNames) throws SQLException {
    throw Errors.readOnly();
  }

  @Override
  public long[] executeLargeBatch() throws SQLException {
    throw Errors.readOnly();
  }

  @Override
  public long getLargeUpdateCount() {
    return -1;
  }

  @Override
  public int getResultSetHoldability() {
    return ResultSet.HOLD_CURSORS_OVER_COMMIT;
  }

  @Override
  public boolean isClosed() {
    return closed;
  }

  /** A hint only (JDBC): there is no statement pool, so it changes nothing but the getter. */
  @Override
  public void setPoolable(boolean poolable) throws SQLException {
    checkOpen();
    this.poolable = poolable;
  }

  @Override
  public boolean isPoolable() {
    return poolable;
  }

  /** Closes this statement when its current (or next) result set is closed. */
  @Override
  public void closeOnCompletion() throws SQLException {
    checkOpen();
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
