package dev.cairn.jdbc;

import dev.cairn.calcite.runtime.QueryExecutionException;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;

/**
 * Wraps DuckDB's result sets (which have getters for every Cairn type: getBigDecimal for
 * DECIMAL, getDate/getObject(LocalDate) for DATE, ...) so that {@code getStatement()} returns
 * the Cairn statement that made them, and a failure DuckDB raises while computing the next
 * rows is named as in {@code executeQuery}. It also enforces the statement's {@code maxRows}
 * (rows past it are dropped, whether or not the SQL could be limited) and tells the statement
 * when it closes ({@code closeOnCompletion}). Two gaps of DuckDB's are filled: a primitive
 * getter on NULL returns 0 (false), as JDBC says, where DuckDB's {@code getDouble} and
 * {@code getFloat} return NaN; and {@code getObject(i, Instant/OffsetDateTime/LocalDateTime/
 * LocalDate/LocalTime)} works for TIMESTAMP and DATE columns (which have no time zone: Instant
 * and OffsetDateTime read them as UTC, a DATE as its midnight), and {@code Instant} for
 * TIMESTAMP WITH TIME ZONE ones. Its metadata calls a 4-byte float REAL ({@link
 * ResultMetaData}). Every other call goes to DuckDB's result set unchanged.
 */
final class ResultSets {
  /** JDBC's value of a primitive getter on NULL, by getter. */
  private static final Map<String, Object> NULL_PRIMITIVES = Map.of("getBoolean", false,
      "getByte", (byte) 0, "getShort", (short) 0, "getInt", 0, "getLong", 0L,
      "getFloat", 0f, "getDouble", 0d);

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
      case "getMetaData":
        return ResultMetaData.wrap(duckdb.getMetaData());
      case "getObject":
        if (args.length == 2 && args[1] instanceof Class) {
          return getTemporal(duckdb, args[0], (Class<?>) args[1]);
        }
        break;
      default:
        break;
    }
    try {
      Object value = method.invoke(duckdb, args);
      Object zero = NULL_PRIMITIVES.get(method.getName());
      return zero != null && duckdb.wasNull() ? zero : value;
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

  /**
   * Reads a TIMESTAMP or DATE column as the java.time class asked for, and a TIMESTAMP WITH
   * TIME ZONE one as an Instant; other columns and
   * classes go to DuckDB's own {@code getObject(column, type)}.
   */
  private static Object getTemporal(ResultSet duckdb, Object column, Class<?> type)
      throws SQLException {
    int index = column instanceof String ? duckdb.findColumn((String) column) : (Integer) column;
    int sqlType = duckdb.getMetaData().getColumnType(index);
    if (sqlType == Types.TIMESTAMP_WITH_TIMEZONE && type == Instant.class) {
      OffsetDateTime instant = duckdb.getObject(index, OffsetDateTime.class);
      return instant == null ? null : instant.toInstant();
    }
    LocalDateTime value;
    if (sqlType == Types.TIMESTAMP && isTemporal(type)) {
      value = duckdb.getObject(index, LocalDateTime.class);
    } else if (sqlType == Types.DATE && isTemporal(type) && type != LocalTime.class) {
      LocalDate date = duckdb.getObject(index, LocalDate.class);
      value = date == null ? null : date.atStartOfDay();
    } else {
      return duckdb.getObject(index, type);
    }
    if (value == null) {
      return null;
    } else if (type == LocalDateTime.class) {
      return value;
    } else if (type == LocalDate.class) {
      return value.toLocalDate();
    } else if (type == LocalTime.class) {
      return value.toLocalTime();
    } else if (type == Instant.class) {
      return value.toInstant(ZoneOffset.UTC);
    }
    return value.atOffset(ZoneOffset.UTC);
  }

  private static boolean isTemporal(Class<?> type) {
    return type == Instant.class || type == OffsetDateTime.class || type == LocalDateTime.class
        || type == LocalDate.class || type == LocalTime.class;
  }
}
