package dev.cairn.calcite.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.validate.SqlValidator;
import org.apache.calcite.sql2rel.SqlRexContext;
import org.apache.calcite.sql2rel.SqlRexConvertlet;
import org.apache.calcite.sql2rel.SqlRexConvertletTable;
import org.apache.calcite.sql2rel.StandardConvertletTable;

/**
 * Calcite's standard conversion of validated SQL to row expressions, with two DuckDB changes.
 *
 * <ul>
 *   <li>{@link DuckDbOperators}' {@code +} and {@code -} become Calcite's own again unless they
 *       are DuckDB's date arithmetic, which stays one call for DuckDB to compute.
 *   <li>{@code avg}, {@code stddev*}, {@code var*} and {@code covar*} in a window
 *       ({@code avg(x) OVER (...)}) stay calls. Calcite expands them into sums and counts
 *       ({@code StandardConvertletTable.AvgVarianceConvertlet}), whose {@code sum(x * x)}
 *       overflows in DuckDB on large integers and rounds differently from DuckDB's own.
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
    return StandardConvertletTable.INSTANCE.get(call);
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
