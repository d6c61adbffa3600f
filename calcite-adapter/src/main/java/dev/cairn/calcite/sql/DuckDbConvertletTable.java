package dev.cairn.calcite.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.calcite.avatica.util.TimeUnit;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlIntervalQualifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.validate.SqlValidator;
import org.apache.calcite.sql2rel.SqlRexContext;
import org.apache.calcite.sql2rel.SqlRexConvertlet;
import org.apache.calcite.sql2rel.SqlRexConvertletTable;
import org.apache.calcite.sql2rel.StandardConvertletTable;

/**
 * Calcite's standard conversion of validated SQL to row expressions, except where its result
 * cannot be written as DuckDB SQL with DuckDB's answer.
 *
 * <ul>
 *   <li>{@link DuckDbOperators}' {@code +} and {@code -} become Calcite's own again unless they
 *       are DuckDB's date arithmetic, which stays one call for DuckDB to compute.
 *   <li>{@code avg}, {@code stddev*}, {@code var*} and {@code covar*} in a window
 *       ({@code avg(x) OVER (...)}) stay calls. Calcite expands them into sums and counts
 *       ({@code StandardConvertletTable.AvgVarianceConvertlet}), whose {@code sum(x * x)}
 *       overflows in DuckDB on large integers and rounds differently from DuckDB's own.
 *   <li>{@code TIMESTAMPDIFF(unit, a, b)}: Calcite expands it into internal operators
 *       ({@code Reinterpret}, {@code /INT}) that have no SQL spelling; it becomes DuckDB's
 *       {@code date_sub('unit', a, b)}, which counts whole units elapsed, as TIMESTAMPDIFF
 *       does, cast to the type Calcite validated.
 *   <li>{@code TIMESTAMPADD(unit, n, t)}: Calcite's expansion {@code t + n * INTERVAL '1' unit}
 *       runs on DuckDB, but there a DATE plus an interval is a TIMESTAMP; it becomes
 *       {@code date_add(t, n * INTERVAL '1' unit)} cast to the type Calcite validated (DATE
 *       for whole units of a day or more), so the value has the type the result declares.
 * </ul>
 */
final class DuckDbConvertletTable implements SqlRexConvertletTable {
  /** The one instance; it holds no state. */
  static final DuckDbConvertletTable INSTANCE = new DuckDbConvertletTable();

  private static final Set<SqlKind> STATISTICS = Set.of(SqlKind.AVG, SqlKind.STDDEV_POP,
      SqlKind.STDDEV_SAMP, SqlKind.VAR_POP, SqlKind.VAR_SAMP, SqlKind.COVAR_POP,
      SqlKind.COVAR_SAMP);

  private DuckDbConvertletTable() {}

  @Override
  public SqlRexConvertlet get(SqlCall call) {
    if (call.getOperator() == DuckDbOperators.PLUS || call.getOperator() == DuckDbOperators.MINUS) {
      return DuckDbConvertletTable::convertArithmetic;
    }
    if (STATISTICS.contains(call.getKind())) {
      return StandardConvertletTable.INSTANCE::convertCall;
    }
    if (call.getKind() == SqlKind.TIMESTAMP_DIFF && call.operandCount() == 3
        && call.operand(0) instanceof SqlIntervalQualifier) {
      return DuckDbConvertletTable::timestampDiff;
    }
    SqlRexConvertlet standard = StandardConvertletTable.INSTANCE.get(call);
    if (call.getKind() == SqlKind.TIMESTAMP_ADD && standard != null) {
      return (cx, c) -> timestampAdd(cx, c, standard.convertCall(cx, c));
    }
    return standard;
  }

  private static RexNode timestampDiff(SqlRexContext cx, SqlCall call) {
    SqlIntervalQualifier qualifier = call.operand(0);
    TimeUnit unit = qualifier.getStartUnit();
    RexBuilder rex = cx.getRexBuilder();
    RexNode diff = rex.makeCall(CairnOperatorTable.get().duckdbFunction("date_sub"),
        rex.makeLiteral(unit.name().toLowerCase(Locale.ROOT)),
        cx.convertExpression(call.operand(1)), cx.convertExpression(call.operand(2)));
    return castToValidated(cx, call, diff);
  }

  /**
   * Turns Calcite's {@code t + n * INTERVAL '1' unit} into DuckDB's
   * {@code date_add(t, n * INTERVAL '1' unit)}, typed by DuckDB (TIMESTAMP for a DATE), cast to
   * the validated type; a plain {@code +} would be typed DATE by Calcite and the cast dropped.
   */
  private static RexNode timestampAdd(SqlRexContext cx, SqlCall call, RexNode standard) {
    if (!(standard instanceof RexCall) || ((RexCall) standard).getOperands().size() != 2) {
      return standard;
    }
    RexNode added = cx.getRexBuilder().makeCall(
        CairnOperatorTable.get().duckdbFunction("date_add"), ((RexCall) standard).getOperands());
    return castToValidated(cx, call, added);
  }

  private static RexNode castToValidated(SqlRexContext cx, SqlCall call, RexNode value) {
    RelDataType type = cx.getValidator().getValidatedNodeType(call);
    return cx.getRexBuilder().makeAbstractCast(type, value, false);
  }

  private static RexNode convertArithmetic(SqlRexContext cx, SqlCall call) {
    SqlValidator validator = cx.getValidator();
    RelDataType left = validator.getValidatedNodeType(call.operand(0));
    RelDataType right = validator.getValidatedNodeType(call.operand(1));
    if (DuckDbOperators.isDuckDbOnly(call.getOperator(), left, right)) {
      List<RexNode> operands = new ArrayList<>();
      for (SqlNode operand : call.getOperandList()) {
        operands.add(cx.convertExpression(operand));
      }
      return cx.getRexBuilder().makeCall(call.getParserPosition(),
          validator.getValidatedNodeType(call), call.getOperator(), operands);
    }
    SqlCall standard = (call.getOperator() == DuckDbOperators.PLUS ? SqlStdOperatorTable.PLUS
        : SqlStdOperatorTable.MINUS).createCall(call.getParserPosition(),
            call.getOperandList());
    // Calcite's datetime conversions ask for the call's validated type.
    validator.setValidatedNodeType(standard, validator.getValidatedNodeType(call));
    return StandardConvertletTable.INSTANCE.get(standard).convertCall(cx, standard);
  }
}
