package dev.cairn.jdbc;

import dev.cairn.calcite.HasSqlState;
import dev.cairn.wire.CairnException;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;

/**
 * Turns Cairn failures into SQLExceptions whose message starts with the named error (e.g.
 * {@code STALE_VERSION: ...}) and whose SQLState tells tools what kind of failure it was.
 */
final class Errors {
  /** SQLState of a lost or failed connection. */
  static final String CONNECTION_FAILURE = "08006";
  /**
   * SQLState of FORK and FROZEN (object not in prerequisite state): the table is not in a state
   * a query can read until its writer acts.
   */
  static final String NOT_READABLE_STATE = "55000";

  private Errors() {}

  static SQLException of(CairnException e) {
    return new SQLException(e.getMessage(), sqlState(e), e);
  }

  static String sqlState(CairnException e) {
    if (e instanceof HasSqlState) {
      return ((HasSqlState) e).sqlState();
    }
    switch (e.code()) {
      case IO_ERROR: case BUSY: return CONNECTION_FAILURE;
      case STALE_VERSION: return "40001";
      // Not a failure of the SQL or the connection: the table is not in a state a query may
      // read (its writer's freshness promise lapsed), like an object not yet usable.
      case FROZEN: return NOT_READABLE_STATE;
      case BAD_HASH: case BAD_SIGNATURE: case BAD_FORMAT: return "XX001";
      case NOT_FOUND: case LOST: return "58030";
      // query_canceled: the caller, its timeout or the connection's close stopped it
      case CANCELLED: return "57014";
      // the connection cannot be established with these settings
      case BAD_CONFIG: return "08001";
      case UNSUPPORTED_SQL: return "0A000";
      // object not in prerequisite state: the table's history must be repaired by its writer
      case FORK: return NOT_READABLE_STATE;
      // insufficient privilege: donors' reader policies refuse this reader (give space first)
      case NOT_A_CONTRIBUTOR: return "42501";
      // datatype mismatch: a publish whose input changes a table's columns beyond widening
      case SCHEMA_CHANGE: return "42804";
      default: return "XX000";
    }
  }

  static SQLException closed(String what) {
    return new SQLException("IO_ERROR: this " + what + " is closed", CONNECTION_FAILURE);
  }

  static SQLFeatureNotSupportedException unsupported(String what) {
    return new SQLFeatureNotSupportedException(what + " is not supported: Cairn is read-only"
        + " SQL over published versions", "0A000");
  }

  static SQLException readOnly() {
    return new SQLException("BAD_FORMAT: read-only: Cairn SQL runs queries only; tables change"
        + " only by publishing new versions (cairn publish)", "25006");
  }
}
