package dev.cairn.calcite.sql;

import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rel.type.RelDataTypeSystemImpl;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.type.SqlTypeUtil;

/**
 * Cairn's types as DuckDB derives them, so that Calcite's validated types equal the types
 * DuckDB gives the written SQL. Where they differed, the SQL writer added casts to Calcite's
 * type and rounded or truncated DuckDB's answer ({@code stddev_samp(int_col) * 1.000} became
 * {@code CAST(STDDEV_SAMP(x) AS DECIMAL(14,3))}).
 *
 * <ul>
 *   <li>DECIMAL up to 38 digits, TIMESTAMP to microseconds.
 *   <li>{@code avg}, {@code stddev*}, {@code var*}, {@code covar*} of any number: DOUBLE
 *       (Calcite: the argument's type, so an INTEGER average was an integer).
 *   <li>{@code sum} of integers: BIGINT (Calcite: the argument's type, INTEGER for INTEGER;
 *       DuckDB sums into a 128-bit HUGEINT, which no Cairn type holds, and BIGINT is the
 *       widest integer Calcite knows). Sum of DECIMAL(p,s) stays DECIMAL(38,s) as in DuckDB.
 *   <li>{@code /} of two numbers that are not both approximate: DOUBLE, as DuckDB 1.1+ divides
 *       (Calcite: integer division for integers and a DECIMAL quotient for decimals).
 *   <li>String literals and CASE/UNION/VALUES branches of different lengths: VARCHAR, never a
 *       blank-padded CHAR.
 * </ul>
 */
final class DuckDbTypeSystem extends RelDataTypeSystemImpl {
  /** The one instance; it holds no state. */
  static final DuckDbTypeSystem INSTANCE = new DuckDbTypeSystem();

  private DuckDbTypeSystem() {}

  @Override
  public int getMaxPrecision(SqlTypeName typeName) {
    switch (typeName) {
      case DECIMAL: return 38;
      case TIMESTAMP: return 6;
      default: return super.getMaxPrecision(typeName);
    }
  }

  @Override
  public int getMaxScale(SqlTypeName typeName) {
    return typeName == SqlTypeName.DECIMAL ? 38 : super.getMaxScale(typeName);
  }

  @Override
  public RelDataType deriveSumType(RelDataTypeFactory typeFactory, RelDataType argumentType) {
    if (SqlTypeName.INT_TYPES.contains(argumentType.getSqlTypeName())) {
      return typeFactory.createTypeWithNullability(
          typeFactory.createSqlType(SqlTypeName.BIGINT), argumentType.isNullable());
    }
    return super.deriveSumType(typeFactory, argumentType);
  }

  @Override
  public RelDataType deriveAvgAggType(RelDataTypeFactory typeFactory,
      RelDataType argumentType) {
    return SqlTypeUtil.isNumeric(argumentType) ? doubleLike(typeFactory, argumentType)
        : argumentType;
  }

  @Override
  public RelDataType deriveCovarType(RelDataTypeFactory typeFactory, RelDataType arg0Type,
      RelDataType arg1Type) {
    return doubleLike(typeFactory, arg0Type);
  }

  /**
   * Returns DOUBLE for a quotient of two numbers, as DuckDB's {@code /} gives; Calcite calls this
   * for every division, and an interval divided by a number falls through (null) to Calcite's
   * interval rule.
   */
  @Override
  public RelDataType deriveDecimalDivideType(RelDataTypeFactory typeFactory, RelDataType type1,
      RelDataType type2) {
    if (SqlTypeUtil.isNumeric(type1) && SqlTypeUtil.isNumeric(type2)) {
      return doubleLike(typeFactory, type1);
    }
    return null;
  }

  @Override
  public boolean shouldConvertRaggedUnionTypesToVarying() {
    return true;
  }

  private static RelDataType doubleLike(RelDataTypeFactory typeFactory, RelDataType like) {
    return typeFactory.createTypeWithNullability(
        typeFactory.createSqlType(SqlTypeName.DOUBLE), like.isNullable());
  }
}
