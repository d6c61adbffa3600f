package dev.cairn.calcite;

/**
 * A failure that knows the SQLSTATE a JDBC driver should report for it: a query refused at
 * translation or failed in the engine. The driver asks this one question instead of knowing
 * each failure's class.
 */
public interface HasSqlState {
  /** Returns the five-character SQLSTATE of this failure. */
  String sqlState();
}
