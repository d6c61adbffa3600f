package dev.cairn.calcite.runtime;

import dev.cairn.calcite.HasSqlState;
import dev.cairn.calcite.sql.SqlTranslationException;
import dev.cairn.wire.CairnException;
import dev.cairn.wire.ErrorCode;
import java.sql.SQLException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A query that translated but failed while the embedded DuckDB ran it, with a named error and
 * the SQLSTATE a JDBC driver should report. DuckDB's JDBC driver gives no SQLSTATE; its message
 * starts with an error class ({@code Conversion Error: ...}), which decides both:
 *
 * <table>
 *   <caption>DuckDB error classes</caption>
 *   <tr><th>DuckDB</th><th>named error</th><th>SQLSTATE</th></tr>
 *   <tr><td>Conversion</td><td>BAD_FORMAT</td><td>22018 (a value does not convert)</td></tr>
 *   <tr><td>Out of Range</td><td>BAD_FORMAT</td><td>22003 (numeric value out of range)</td></tr>
 *   <tr><td>Invalid Input</td><td>BAD_FORMAT</td><td>22023 (invalid argument value)</td></tr>
 *   <tr><td>Not implemented</td><td>UNSUPPORTED_SQL</td><td>0A000</td></tr>
 *   <tr><td>Out of Memory</td><td>BUSY</td><td>53200</td></tr>
 *   <tr><td>INTERRUPT</td><td>CANCELLED</td><td>57014 (cancelled; a query Cairn cancels
 *       fails with its {@link QueryCancel#error} before this is consulted)</td></tr>
 *   <tr><td>anything else (Binder, Catalog, Parser, ...): Cairn wrote SQL its engine
 *       rejects, a Cairn bug</td><td>INTERNAL</td><td>XX000</td></tr>
 * </table>
 * The message keeps DuckDB's first line without its class and drops the excerpt of the
 * generated SQL ({@code LINE 1: ...}), which is not the text the user wrote.
 */
public final class QueryExecutionException extends CairnException implements HasSqlState {
  private static final long serialVersionUID = 1L;
  private static final Pattern CLASS = Pattern.compile("\\A([A-Za-z ]+?) Error: (.*)",
      Pattern.DOTALL);

  private final String sqlState;

  private QueryExecutionException(ErrorCode code, String sqlState, String detail,
      Throwable cause) {
    super(code, detail, cause);
    this.sqlState = sqlState;
  }

  @Override
  public String sqlState() {
    return sqlState;
  }

  /** Returns the named failure for DuckDB's {@code e}. */
  public static QueryExecutionException of(SQLException e) {
    String message = e.getMessage() == null ? "" : e.getMessage().trim();
    Matcher m = CLASS.matcher(message);
    String kind = m.matches() ? m.group(1) : "";
    String what = firstLine(m.matches() ? m.group(2) : message);
    switch (kind) {
      case "Conversion":
        return new QueryExecutionException(ErrorCode.BAD_FORMAT,
            SqlTranslationException.INVALID_VALUE,
            "a value does not convert: " + what, e);
      case "Out of Range":
        return new QueryExecutionException(ErrorCode.BAD_FORMAT, "22003",
            "a value is out of range: " + what, e);
      case "Invalid Input":
        return new QueryExecutionException(ErrorCode.BAD_FORMAT, "22023",
            "invalid argument: " + what, e);
      case "Not implemented":
        return new QueryExecutionException(ErrorCode.UNSUPPORTED_SQL,
            SqlTranslationException.FEATURE_NOT_SUPPORTED,
            "not supported: " + what, e);
      case "Out of Memory":
        return new QueryExecutionException(ErrorCode.BUSY, "53200",
            "out of memory running this query: " + what, e);
      case "INTERRUPT":
        return new QueryExecutionException(ErrorCode.CANCELLED, "57014", "query interrupted",
            e);
      default:
        return new QueryExecutionException(ErrorCode.INTERNAL, "XX000",
            "the query engine rejected the SQL Cairn wrote for this query (a Cairn bug; EXPLAIN"
                + " shows that SQL): " + message.replace('\n', ' '), e);
    }
  }

  private static String firstLine(String text) {
    int newline = text.indexOf('\n');
    return (newline < 0 ? text : text.substring(0, newline)).trim();
  }
}
