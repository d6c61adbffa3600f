package dev.cairn.calcite.sql;

import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.calcite.avatica.util.TimeUnit;
import org.apache.calcite.sql.SqlBinaryOperator;
import org.apache.calcite.sql.SqlCallBinding;
import org.apache.calcite.sql.SqlOperandCountRange;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlIntervalQualifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlOperatorBinding;
import org.apache.calcite.sql.SqlOperatorTable;
import org.apache.calcite.sql.fun.SqlMonotonicBinaryOperator;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.type.InferTypes;
import org.apache.calcite.sql.type.OperandTypes;
import org.apache.calcite.sql.type.SqlOperandCountRanges;
import org.apache.calcite.sql.type.SqlOperandTypeChecker;
import org.apache.calcite.sql.type.SqlReturnTypeInference;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.SqlTypeFamily;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.util.SqlOperatorTables;

/**
 * Operators whose DuckDB meaning Calcite's standard ones lack. The parser always builds
 * Calcite's {@code +}, {@code -} and {@code /}; {@link DuckDbOperatorRewriter} puts these in
 * their place before validation, and {@link DuckDbConvertletTable} turns them back into
 * Calcite's wherever the operands are the standard kinds.
 *
 * <ul>
 *   <li>{@link #PLUS}, {@link #MINUS}: also {@code DATE + INTEGER} and {@code INTEGER + DATE}
 *       (a DATE, that many days later), {@code DATE - INTEGER} (a DATE), {@code DATE - DATE}
 *       (a BIGINT count of days) and {@code TIMESTAMP - TIMESTAMP} (an interval), as DuckDB and
 *       PostgreSQL compute them.
 *   <li>{@link #INTEGER_DIVIDE}: DuckDB's {@code //}, which divides integers truncating
 *       toward zero into the wider operand type, and other numbers into a DOUBLE.
 * </ul>
 */
final class DuckDbOperators {
  private DuckDbOperators() {}

  private static final Set<SqlTypeName> DATE = Set.of(SqlTypeName.DATE);
  /** Integers DuckDB adds to a DATE as days: BIGINT has no implicit cast to INTEGER there. */
  private static final Set<SqlTypeName> INTEGER = Set.of(SqlTypeName.TINYINT,
      SqlTypeName.SMALLINT, SqlTypeName.INTEGER);
  private static final Set<SqlTypeName> DATETIME = Set.of(SqlTypeName.DATE,
      SqlTypeName.TIMESTAMP);

  private static final List<ExactOperands> PLUS_RULES = List.of(
      new ExactOperands("<DATE> + <INTEGER>", DATE, INTEGER, SqlTypeName.DATE),
      new ExactOperands("<INTEGER> + <DATE>", INTEGER, DATE, SqlTypeName.DATE));

  private static final List<ExactOperands> MINUS_RULES = List.of(
      new ExactOperands("<DATE> - <INTEGER>", DATE, INTEGER, SqlTypeName.DATE),
      new ExactOperands("<DATE> - <DATE>", DATE, DATE, SqlTypeName.BIGINT),
      new ExactOperands("<TIMESTAMP> - <TIMESTAMP>", DATETIME, DATETIME,
          SqlTypeName.INTERVAL_DAY_SECOND));

  /** {@code +} of numbers, intervals and datetimes, and of a DATE and a number of days. */
  static final SqlBinaryOperator PLUS = new SqlMonotonicBinaryOperator("+", SqlKind.PLUS, 40,
      true, binding -> type(binding, PLUS_RULES, SqlStdOperatorTable.PLUS),
      InferTypes.FIRST_KNOWN, rulesFirst(PLUS_RULES, OperandTypes.PLUS_OPERATOR));

  /**
   * {@code -} of numbers, intervals and datetimes, of a DATE and days, of two DATEs, and of two
   * datetimes (an interval).
   */
  static final SqlBinaryOperator MINUS = new SqlMonotonicBinaryOperator("-", SqlKind.MINUS, 40,
      true, binding -> type(binding, MINUS_RULES, SqlStdOperatorTable.MINUS),
      InferTypes.FIRST_KNOWN, rulesFirst(MINUS_RULES, OperandTypes.MINUS_OPERATOR));

  /** DuckDB's integer division {@code //}, with {@code /}'s precedence. */
  static final SqlBinaryOperator INTEGER_DIVIDE = new SqlBinaryOperator("//", SqlKind.OTHER,
      60, true, DuckDbOperators::integerDivideType, InferTypes.FIRST_KNOWN,
      OperandTypes.NUMERIC_NUMERIC);

  /**
   * These operators, to be looked up before Calcite's: the validator looks every operator up
   * again by name and kind ({@code SqlOperator.deriveType}) and keeps the first it finds.
   */
  static final SqlOperatorTable TABLE = SqlOperatorTables.of(PLUS, MINUS, INTEGER_DIVIDE);

  /**
   * Whether a call of {@link #PLUS} or {@link #MINUS} on these operand types is one of DuckDB's
   * that Calcite lacks (and must stay one call), rather than Calcite's own.
   */
  static boolean isDuckDbOnly(SqlOperator operator, RelDataType left, RelDataType right) {
    List<ExactOperands> rules = operator == PLUS ? PLUS_RULES
        : operator == MINUS ? MINUS_RULES : List.of();
    return rules.stream().anyMatch(rule -> rule.matches(left, right));
  }

  private static SqlOperandTypeChecker rulesFirst(List<ExactOperands> rules,
      SqlOperandTypeChecker standard) {
    List<SqlOperandTypeChecker> all = new ArrayList<>(rules);
    all.add(standard);
    return OperandTypes.or(all.toArray(new SqlOperandTypeChecker[0]));
  }

  private static RelDataType type(SqlOperatorBinding binding, List<ExactOperands> rules,
      SqlOperator standard) {
    for (ExactOperands rule : rules) {
      if (rule.matches(binding.getOperandType(0), binding.getOperandType(1))) {
        RelDataTypeFactory types = binding.getTypeFactory();
        RelDataType type = rule.result.getFamily() == SqlTypeFamily.INTERVAL_DAY_TIME
            ? types.createSqlIntervalType(new SqlIntervalQualifier(TimeUnit.DAY,
                TimeUnit.SECOND, SqlParserPos.ZERO))
            : types.createSqlType(rule.result);
        return types.createTypeWithNullability(type, anyNullable(binding));
      }
    }
    return standard.inferReturnType(binding);
  }

  private static RelDataType integerDivideType(SqlOperatorBinding binding) {
    RelDataType left = binding.getOperandType(0);
    RelDataType right = binding.getOperandType(1);
    boolean integers = SqlTypeName.INT_TYPES.contains(left.getSqlTypeName())
        && SqlTypeName.INT_TYPES.contains(right.getSqlTypeName());
    SqlReturnTypeInference wider = opBinding -> opBinding.getTypeFactory()
        .leastRestrictive(opBinding.collectOperandTypes());
    RelDataType type = integers ? wider.inferReturnType(binding)
        : binding.getTypeFactory().createSqlType(SqlTypeName.DOUBLE);
    return binding.getTypeFactory().createTypeWithNullability(type, anyNullable(binding));
  }

  /**
   * Two operands of exactly these types and the type of the result. No implicit cast: a family
   * check would let Calcite cast a TIMESTAMP to DATE to fit {@code DATE - INTEGER}, dropping its
   * time of day. Never throws: the operator's composite rule reports every allowed signature.
   */
  private static final class ExactOperands implements SqlOperandTypeChecker {
    private final String signature;
    private final Set<SqlTypeName> left;
    private final Set<SqlTypeName> right;
    private final SqlTypeName result;

    ExactOperands(String signature, Set<SqlTypeName> left, Set<SqlTypeName> right,
        SqlTypeName result) {
      this.signature = signature;
      this.left = left;
      this.right = right;
      this.result = result;
    }

    boolean matches(RelDataType leftType, RelDataType rightType) {
      return left.contains(leftType.getSqlTypeName())
          && right.contains(rightType.getSqlTypeName());
    }

    @Override
    public boolean checkOperandTypes(SqlCallBinding binding, boolean throwOnFailure) {
      return matches(binding.getOperandType(0), binding.getOperandType(1));
    }

    @Override
    public SqlOperandCountRange getOperandCountRange() {
      return SqlOperandCountRanges.of(2);
    }

    @Override
    public String getAllowedSignatures(SqlOperator op, String opName) {
      return signature;
    }
  }

  private static boolean anyNullable(SqlOperatorBinding binding) {
    return binding.collectOperandTypes().stream().anyMatch(RelDataType::isNullable);
  }
}
