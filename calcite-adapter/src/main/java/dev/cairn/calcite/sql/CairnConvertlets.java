package dev.cairn.calcite.sql;

import java.util.Locale;
import org.apache.calcite.avatica.util.TimeUnit;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlIntervalQualifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql2rel.SqlRexContext;
import org.apache.calcite.sql2rel.SqlRexConvertlet;
import org.apache.calcite.sql2rel.SqlRexConvertletTable;
import org.apache.calcite.sql2rel.StandardConvertletTable;

/**
 * Calcite's standard conversion of SQL to row expressions, except where its result cannot be
 * written as DuckDB SQL with the same answer.
 *
 * <ul>
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
final class CairnConvertlets implements SqlRexConvertletTable {
  /** The one instance; it holds no state. */
  static final CairnConvertlets INSTANCE = new CairnConvertlets();

  private CairnConvertlets() {}

  @Override
  public SqlRexConvertlet get(SqlCall call) {
    if (call.getKind() == SqlKind.TIMESTAMP_DIFF && call.operandCount() == 3
        && call.operand(0) instanceof SqlIntervalQualifier) {
      return CairnConvertlets::timestampDiff;
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
}
