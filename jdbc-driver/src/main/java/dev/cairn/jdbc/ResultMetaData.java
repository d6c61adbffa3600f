package dev.cairn.jdbc;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.ResultSetMetaData;
import java.sql.Types;

/**
 * Wraps DuckDB's result set metadata so a 4-byte float column is REAL (Types.REAL), as {@code
 * getColumns}, {@code getTypeInfo} and a prepared statement's metadata call it: DuckDB names
 * it FLOAT with Types.FLOAT, which JDBC defines as a double-precision type. Every other call
 * goes to DuckDB unchanged.
 */
final class ResultMetaData {
  private ResultMetaData() {}

  static ResultSetMetaData wrap(ResultSetMetaData duckdb) {
    return (ResultSetMetaData) Proxy.newProxyInstance(ResultMetaData.class.getClassLoader(),
        new Class<?>[] {ResultSetMetaData.class}, (proxy, method, args) -> {
          Object value;
          try {
            value = method.invoke(duckdb, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
          switch (method.getName()) {
            case "getColumnType":
              return Integer.valueOf(Types.FLOAT).equals(value) ? Types.REAL : value;
            case "getColumnTypeName":
              return "FLOAT".equals(value) ? "REAL" : value;
            default:
              return value;
          }
        });
  }
}
