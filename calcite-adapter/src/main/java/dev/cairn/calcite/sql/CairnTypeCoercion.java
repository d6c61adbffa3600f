package dev.cairn.calcite.sql;

import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.type.SqlTypeUtil;
import org.apache.calcite.sql.validate.SqlValidator;
import org.apache.calcite.sql.validate.implicit.TypeCoercionImpl;

/**
 * Calcite's implicit casts, except that a DECIMAL compared with a string is compared as that
 * DECIMAL, as in DuckDB and PostgreSQL ({@code fare = '12.50'} casts {@code '12.50'} to the
 * column's DECIMAL(10,2)). Calcite 1.42 casts both sides to its widest-scale DECIMAL
 * ({@code AbstractTypeCoercion.commonTypeForBinaryComparison}, "no proper DECIMAL type for
 * VARCHAR"), which with Cairn's type system is DECIMAL(19,19): DuckDB then fails on every value
 * of 1 or more ({@code Casting value "12.50" to type DECIMAL(19,19) failed}). Likewise a UUID
 * compared with a string is compared as a UUID.
 */
final class CairnTypeCoercion extends TypeCoercionImpl {
  CairnTypeCoercion(RelDataTypeFactory types, SqlValidator validator) {
    super(types, validator);
  }

  @Override
  public RelDataType commonTypeForBinaryComparison(RelDataType type1, RelDataType type2) {
    if (type1 != null && type2 != null) {
      boolean nullable = type1.isNullable() || type2.isNullable();
      if (SqlTypeUtil.isDecimal(type1) && SqlTypeUtil.isCharacter(type2)) {
        return factory.createTypeWithNullability(type1, nullable);
      }
      if (SqlTypeUtil.isCharacter(type1) && SqlTypeUtil.isDecimal(type2)) {
        return factory.createTypeWithNullability(type2, nullable);
      }
      // A UUID compared with text compares as UUIDs, as in DuckDB and PostgreSQL, so that
      // 'A0EE...' equals a0ee... and the literal can prune by the column's bounds.
      if (isUuid(type1) && SqlTypeUtil.isCharacter(type2)) {
        return factory.createTypeWithNullability(type1, nullable);
      }
      if (SqlTypeUtil.isCharacter(type1) && isUuid(type2)) {
        return factory.createTypeWithNullability(type2, nullable);
      }
    }
    return super.commonTypeForBinaryComparison(type1, type2);
  }

  private static boolean isUuid(RelDataType type) {
    return type.getSqlTypeName() == SqlTypeName.UUID;
  }
}
