package dev.cairn.jdbc;

import dev.cairn.calcite.runtime.QueryExecutionException;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Wraps DuckDB's result sets (which have getters for every Cairn type: getBigDecimal for
 * DECIMAL, getDate/getObject(LocalDate) for DATE, ...) so that {@code getStatement()} returns
 * the Cairn statement that made them, and a failure DuckDB raises while computing the next
 * rows is named as in {@code executeQuery}. It also enforces the statement's {@code maxRows}
 * (rows past it are dropped, whether or not the SQL could be limited) and tells the statement
 * when it closes ({@code closeOnCompletion}). Every other call goes to DuckDB's result set
 * unchanged.
 */
final class ResultSets {
  private ResultSets() {}

  static ResultSet wrap(ResultSet duckdb, CairnStatement owner, long maxRows) {
    long[] rowsRead = {0};
    boolean[] closed = {false};
    InvocationHandler handler = (proxy, method, args) -> {
      switch (method.getName()) {
        case "next":
          if (maxRows > 0 && rowsRead[0] >= maxRows) {
            return false;
          }
          Object more = invoke(duckdb, owner, proxy, method, args);
          rowsRead[0] += Boolean.TRUE.equals(more) ? 1 : 0;
          return more;
        case "close":
          duckdb.close();
          // DuckDB closes its own result once read to the end: count only the caller's close.
          if (!closed[0]) {
            closed[0] = true;
            owner.resultClosed((ResultSet) proxy);
          }
          return null;
        default:
          return invoke(duckdb, owner, proxy, method, args);
      }
    };
    return (ResultSet) Proxy.newProxyInstance(ResultSets.class.getClassLoader(),
        new Class<?>[] {ResultSet.class}, handler);
  }

  private static Object invoke(ResultSet duckdb, Statement owner, Object proxy, Method method,
      Object[] args) throws Throwable {
    switch (method.getName()) {
      case "getStatement":
        return owner;
      case "unwrap":
        if (((Class<?>) args[0]).isInstance(proxy)) {
          return proxy;
        }
        break;
      case "isWrapperFor":
        if (((Class<?>) args[0]).isInstance(proxy)) {
          return true;
        }
        break;
      case "equals":
        return proxy == args[0];
      case "hashCode":
        return System.identityHashCode(proxy);
      case "toString":
        return "CairnResultSet(" + duckdb + ")";
      default:
        break;
    }
    try {
      return method.invoke(duckdb, args);
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause();
      if (method.getName().equals("next") && cause instanceof SQLException
          && ((SQLException) cause).getSQLState() == null) {
        // DuckDB computes rows as they are fetched, so a value that does not convert may
        // fail here rather than in executeQuery: name it the same way
        throw Errors.of(QueryExecutionException.of((SQLException) cause));
      }
      throw cause;
    }
  }
}
