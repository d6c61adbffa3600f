package dev.cairn.calcite.sql;

import dev.cairn.calcite.HasSqlState;
import dev.cairn.wire.CairnException;
import dev.cairn.wire.ErrorCode;

/**
 * A query the translator refuses: bad syntax, an unknown name, a type error, a statement that
 * would write, or a query beyond a planning cap. Carries the SQLSTATE a JDBC driver should put
 * in its SQLException.
 */
public final class SqlTranslationException extends CairnException implements HasSqlState {
  private static final long serialVersionUID = 1L;

  /** SQLSTATE of a syntax error. */
  public static final String SYNTAX_ERROR = "42601";
  /** SQLSTATE of a semantic error (unknown column, wrong types, ...). */
  public static final String SEMANTIC_ERROR = "42000";
  /** SQLSTATE of an unknown table or schema. */
  public static final String UNDEFINED_TABLE = "42P01";
  /** SQLSTATE of an unknown schema. */
  public static final String UNDEFINED_SCHEMA = "3F000";
  /** SQLSTATE of a write attempted on a read-only connection. */
  public static final String READ_ONLY = "25006";
  /** SQLSTATE of an unknown function or one applied to arguments it cannot take. */
  public static final String UNDEFINED_FUNCTION = "42883";
  /** SQLSTATE of valid SQL that Cairn does not support. */
  public static final String FEATURE_NOT_SUPPORTED = "0A000";
  /** SQLSTATE of a value that does not convert to the type it must have. */
  public static final String INVALID_VALUE = "22018";
  /** SQLSTATE of a query over a planning cap. */
  public static final String TOO_COMPLEX = "54000";
  /** A {@code ?} whose type nothing around it determines (PostgreSQL's indeterminate_datatype). */
  public static final String INDETERMINATE_TYPE = "42P18";

  private final String sqlState;

  SqlTranslationException(ErrorCode code, String sqlState, String detail, Throwable cause) {
    super(code, detail, cause);
    this.sqlState = sqlState;
  }

  @Override
  public String sqlState() {
    return sqlState;
  }
}
