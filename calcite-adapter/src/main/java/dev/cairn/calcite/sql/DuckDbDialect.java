package dev.cairn.calcite.sql;

import org.apache.calcite.avatica.util.TimeUnit;
import org.apache.calcite.config.NullCollation;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.sql.SqlAggFunction;
import org.apache.calcite.sql.SqlAlienSystemTypeNameSpec;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlDataTypeSpec;
import org.apache.calcite.sql.SqlDialect;
import org.apache.calcite.sql.SqlIntervalLiteral;
import org.apache.calcite.sql.SqlIntervalQualifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.dialect.PostgresqlSqlDialect;
import org.apache.calcite.sql.fun.SqlLibraryOperators;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.parser.SqlParserUtil;

/**
 * DuckDB's SQL dialect as the translator writes it: PostgreSQL's, with DuckDB's null order and
 * type names.
 *
 * <p>Null order: Cairn's documented semantics are Calcite's and PostgreSQL's (NULLS LAST for
 * ASC, NULLS FIRST for DESC). DuckDB sorts NULLS LAST in both directions by default, so this
 * dialect declares {@link NullCollation#LAST}; the SQL writer then spells out NULLS FIRST
 * wherever the wanted order differs from DuckDB's default (every DESC key whose nulls come
 * first, and any explicit ASC NULLS FIRST). The runtime must therefore leave DuckDB's
 * {@code default_null_order} setting at its default ({@code nulls_last}).
 *
 * <p>Types: casts are written as BIGINT, INTEGER, DOUBLE, DECIMAL(p,s), DATE, TIMESTAMP,
 * VARCHAR and BOOLEAN. Single-unit interval literals are written {@code INTERVAL '90' DAY}
 * without Calcite's leading precision ({@code DAY(3)}), which DuckDB does not parse; others
 * in DuckDB's interval string ({@code INTERVAL '1 days 7200.000 seconds'}), since DuckDB
 * parses no field range such as {@code DAY TO SECOND}.
 *
 * <p>Calls: an aggregate's order ({@code string_agg(x, ',' ORDER BY y)}, which Calcite's plan
 * holds as {@code WITHIN GROUP}) is written inside the call, where DuckDB reads it; only the
 * ordered-set aggregates keep {@code WITHIN GROUP}. A table function in FROM is written bare
 * ({@code range(3)}), without the standard {@code TABLE(...)} DuckDB does not parse.
 */
public final class DuckDbDialect extends PostgresqlSqlDialect {
  /** The dialect's settings. */
  public static final SqlDialect.Context CONTEXT = PostgresqlSqlDialect.DEFAULT_CONTEXT
      .withDatabaseProduct(SqlDialect.DatabaseProduct.POSTGRESQL)
      .withIdentifierQuoteString("\"")
      .withNullCollation(NullCollation.LAST);

  /** The one instance; it holds no state. */
  public static final DuckDbDialect INSTANCE = new DuckDbDialect();

  private DuckDbDialect() {
    super(CONTEXT);
  }

  @Override
  public SqlNode getCastSpec(RelDataType type) {
    switch (type.getSqlTypeName()) {
      // Where PostgreSQL's spelling is not DuckDB's, DuckDbTypes (the one spelling) decides.
      case DOUBLE: case FLOAT: case REAL: case TINYINT: case SMALLINT: case VARCHAR: case CHAR:
      case TIMESTAMP:
        return new SqlDataTypeSpec(new SqlAlienSystemTypeNameSpec(DuckDbTypes.toDuckDb(type),
            type.getSqlTypeName(), SqlParserPos.ZERO), SqlParserPos.ZERO);
      default:
        return super.getCastSpec(type);
    }
  }

  /**
   * Writes every string literal as a plain {@code '...'}: DuckDB's strings are UTF-8 and take a
   * backslash as itself. Calcite would write an escape string's value ({@code E'a\'b'}) with its
   * charset, {@code _UTF-16LE'a''b'}, which DuckDB cannot parse.
   */
  @Override
  public void quoteStringLiteral(StringBuilder buf, String charsetName, String val) {
    buf.append('\'').append(val.replace("'", "''")).append('\'');
  }

  @Override
  public void unparseCall(SqlWriter writer, SqlCall call, int leftPrec, int rightPrec) {
    switch (call.getKind()) {
      case COLLECTION_TABLE:
        call.operand(0).unparse(writer, 0, 0);
        return;
      case SAFE_CAST: // Calcite's name for TRY_CAST; DuckDB knows only TRY_CAST
        SqlLibraryOperators.TRY_CAST.unparse(writer, call, leftPrec, rightPrec);
        return;
      case WITHIN_GROUP:
        if (!isOrderedSetAggregate(call.operand(0))) {
          unparseOrderedAggregate(writer, call.operand(0), call.operand(1));
          return;
        }
        break;
      default:
        break;
    }
    super.unparseCall(writer, call, leftPrec, rightPrec);
  }

  private static boolean isOrderedSetAggregate(SqlCall aggregate) {
    SqlCall call = aggregate.getKind() == SqlKind.FILTER ? aggregate.operand(0) : aggregate;
    return call.getOperator() instanceof SqlAggFunction
        && ((SqlAggFunction) call.getOperator()).isPercentile()
        || call.getKind() == SqlKind.PERCENTILE_CONT || call.getKind() == SqlKind.PERCENTILE_DISC
        || call.getKind() == SqlKind.MODE;
  }

  /** Writes {@code agg([DISTINCT] args ORDER BY keys) [FILTER (WHERE c)]}. */
  private static void unparseOrderedAggregate(SqlWriter writer, SqlCall aggregate,
      SqlNodeList order) {
    SqlCall filter = aggregate.getKind() == SqlKind.FILTER ? aggregate : null;
    SqlCall call = filter == null ? aggregate : filter.operand(0);
    SqlWriter.Frame frame = writer.startFunCall(call.getOperator().getName());
    if (call.getFunctionQuantifier() != null) {
      call.getFunctionQuantifier().unparse(writer, 0, 0);
    }
    for (SqlNode operand : call.getOperandList()) {
      writer.sep(",");
      operand.unparse(writer, 0, 0);
    }
    writer.keyword("ORDER BY");
    SqlWriter.Frame keys = writer.startList("", "");
    for (SqlNode key : order) {
      writer.sep(",");
      key.unparse(writer, 0, 0);
    }
    writer.endList(keys);
    writer.endFunCall(frame);
    if (filter != null) {
      writer.keyword("FILTER");
      SqlWriter.Frame where = writer.startList("(", ")");
      writer.keyword("WHERE");
      filter.operand(1).unparse(writer, 0, 0);
      writer.endList(where);
    }
  }

  @Override
  public void unparseSqlIntervalLiteral(SqlWriter writer, SqlIntervalLiteral literal,
      int leftPrec, int rightPrec) {
    SqlIntervalLiteral.IntervalValue value = literal.getValueAs(
        SqlIntervalLiteral.IntervalValue.class);
    SqlIntervalQualifier qualifier = value.getIntervalQualifier();
    TimeUnit start = qualifier.getStartUnit();
    if (qualifier.isSingleDatetimeField() && start != TimeUnit.SECOND) {
      writer.keyword("INTERVAL");
      String text = (value.getSign() < 0 ? "-" : "") + value.getIntervalLiteral();
      writer.literal("'" + text.replace("'", "''") + "'");
      writer.keyword(start.name());
      return;
    }
    // DAY TO SECOND, YEAR TO MONTH, ...: DuckDB parses no field range, so the value is
    // spelled in DuckDB's own interval string, e.g. INTERVAL '1 days 7200.000 seconds'.
    writer.keyword("INTERVAL");
    writer.literal("'" + duckdbIntervalText(value) + "'");
  }

  private static String duckdbIntervalText(SqlIntervalLiteral.IntervalValue value) {
    SqlIntervalQualifier qualifier = value.getIntervalQualifier();
    String sign = value.getSign() < 0 ? "-" : "";
    if (qualifier.isYearMonth()) {
      long months = SqlParserUtil.intervalToMonths(value);
      return sign + months + " months";
    }
    long millis = SqlParserUtil.intervalToMillis(value);
    long days = millis / 86_400_000L;
    long rest = millis % 86_400_000L;
    return sign + days + " days " + sign + java.math.BigDecimal.valueOf(rest, 3).toPlainString()
        + " seconds";
  }
}
