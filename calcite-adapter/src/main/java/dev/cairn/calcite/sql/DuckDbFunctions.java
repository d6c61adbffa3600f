package dev.cairn.calcite.sql;

import static java.util.Objects.requireNonNull;

import dev.cairn.calcite.sql.DuckDbFunctionCatalog.Binding;
import dev.cairn.calcite.sql.DuckDbFunctionCatalog.Function;
import dev.cairn.calcite.sql.DuckDbFunctionCatalog.Kind;
import dev.cairn.calcite.sql.DuckDbFunctionCatalog.Overload;
import dev.cairn.wire.ErrorCode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.sql.SqlAggFunction;
import org.apache.calcite.sql.SqlCallBinding;
import org.apache.calcite.sql.SqlFunction;
import org.apache.calcite.sql.SqlFunctionCategory;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlOperandCountRange;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlOperatorBinding;
import org.apache.calcite.sql.SqlTableFunction;
import org.apache.calcite.sql.type.ReturnTypes;
import org.apache.calcite.sql.type.SqlOperandCountRanges;
import org.apache.calcite.sql.type.SqlOperandTypeChecker;
import org.apache.calcite.sql.type.SqlOperandTypeInference;
import org.apache.calcite.sql.type.SqlReturnTypeInference;
import org.apache.calcite.sql.type.SqlTypeFamily;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.util.Optionality;

/**
 * Calcite operators for DuckDB's functions ({@link DuckDbFunctionCatalog}): a call is checked
 * and typed by DuckDB's own binder, and written back unchanged, so it runs with DuckDB's
 * semantics and Calcite knows the type it returns. Scalar functions and macros, aggregates
 * (which accept {@code ORDER BY} inside the call and {@code FILTER}), and the table functions
 * {@code range} and {@code generate_series}.
 */
final class DuckDbFunctions {
  private DuckDbFunctions() {}

  /** Returns the Calcite operator for {@code function}. */
  static SqlOperator operator(Function function) {
    return switch (function.kind()) {
      case SCALAR -> new Scalar(function);
      case AGGREGATE -> new Aggregate(function);
      case TABLE -> new Table(function);
    };
  }

  /** A DuckDB scalar function or scalar macro. */
  static final class Scalar extends SqlFunction {
    Scalar(Function function) {
      super(function.name(), SqlKind.OTHER_FUNCTION, new Returns(function),
          new OperandTypes(function), new Checker(function), SqlFunctionCategory.SYSTEM);
    }

    @Override
    public boolean isDeterministic() {
      return false; // some are not (random, now); none is ever evaluated by Calcite
    }
  }

  /** A DuckDB aggregate function; an ORDER BY inside the call is allowed and passed on. */
  static final class Aggregate extends SqlAggFunction {
    Aggregate(Function function) {
      super(function.name(), null, SqlKind.OTHER_FUNCTION, new Returns(function),
          new OperandTypes(function), new Checker(function), SqlFunctionCategory.SYSTEM,
          false, false, Optionality.OPTIONAL);
    }
  }

  /** A DuckDB table function, called in FROM; its columns are those DuckDB binds. */
  static final class Table extends SqlFunction implements SqlTableFunction {
    private final Function function;

    Table(Function function) {
      super(function.name(), SqlKind.OTHER_FUNCTION, ReturnTypes.CURSOR,
          new OperandTypes(function), new Checker(function),
          SqlFunctionCategory.USER_DEFINED_TABLE_FUNCTION);
      this.function = function;
    }

    @Override
    public SqlReturnTypeInference getRowTypeInference() {
      return new Returns(function);
    }
  }

  /**
   * Returns the DuckDB statement that binds {@code function} applied to the operands; with
   * {@code samples}, non-constant operands are typed constants instead of typed NULLs.
   */
  static String probe(Function function, SqlOperatorBinding binding, boolean samples) {
    List<String> arguments = new ArrayList<>();
    for (int i = 0; i < binding.getOperandCount(); i++) {
      String sample = samples && !isLiteral(binding, i) ? sample(binding.getOperandType(i))
          : null;
      arguments.add(sample != null ? sample : argument(function, binding, i));
    }
    String call = function.name() + "(" + String.join(", ", arguments) + ")";
    return function.kind() == Kind.TABLE ? "SELECT * FROM " + call : "SELECT " + call;
  }

  /**
   * Returns operand {@code i} as DuckDB should see it: constants as themselves (some
   * functions type by a constant argument, such as {@code date_trunc('month', d)}), anything
   * else as a typed NULL.
   */
  private static String argument(Function function, SqlOperatorBinding binding, int i) {
    RelDataType type = binding.getOperandType(i);
    SqlTypeName name = type.getSqlTypeName();
    if (name == SqlTypeName.NULL) {
      return "NULL";
    }
    if (isLiteral(binding, i)) {
      if (SqlTypeFamily.CHARACTER.contains(type)) {
        String text = binding.getOperandLiteralValue(i, String.class);
        if (text != null) {
          return "'" + text.replace("'", "''") + "'";
        }
      } else if (SqlTypeFamily.NUMERIC.contains(type)) {
        BigDecimal number = binding.getOperandLiteralValue(i, BigDecimal.class);
        if (number != null) {
          return number.toPlainString();
        }
      }
    }
    String duckdb = DuckDbTypes.toDuckDb(type);
    if (duckdb == null) {
      throw new SqlTranslationException(ErrorCode.UNSUPPORTED_SQL,
          SqlTranslationException.FEATURE_NOT_SUPPORTED, "SQL error: " + function.name()
              + "() cannot take a value of type " + type.getFullTypeString(), null);
    }
    return "CAST(NULL AS " + duckdb + ")";
  }

  /** Returns a constant of {@code type} (its value does not matter), or null for none. */
  private static String sample(RelDataType type) {
    String duckdb = DuckDbTypes.toDuckDb(type);
    if (duckdb == null) {
      return null;
    }
    if (SqlTypeFamily.NUMERIC.contains(type)) {
      return "CAST(0 AS " + duckdb + ")";
    }
    switch (type.getSqlTypeName()) {
      case CHAR: case VARCHAR: return "''";
      case BOOLEAN: return "false";
      case DATE: return "DATE '2000-01-01'";
      case TIMESTAMP: return "TIMESTAMP '2000-01-01 00:00:00'";
      default: return null;
    }
  }

  /** Returns whether operand {@code i} is a constant; an aggregate's binding cannot say. */
  private static boolean isLiteral(SqlOperatorBinding binding, int i) {
    try {
      return binding.isOperandLiteral(i, false);
    } catch (UnsupportedOperationException e) {
      return false;
    }
  }

  /** Types a call by asking DuckDB's binder; a table function gets DuckDB's columns. */
  private static final class Returns implements SqlReturnTypeInference {
    private final Function function;

    Returns(Function function) {
      this.function = requireNonNull(function, "function");
    }

    @Override
    public RelDataType inferReturnType(SqlOperatorBinding binding) {
      DuckDbFunctionCatalog duckdb = DuckDbFunctionCatalog.get();
      Binding bound = duckdb.bind(probe(function, binding, false));
      if (bound.error() != null) {
        // Some functions want a constant (quantile_cont(x, 0.5)); an aggregate's binding
        // after validation no longer shows constants, so try typed sample constants.
        Binding sampled = duckdb.bind(probe(function, binding, true));
        if (sampled.error() != null) {
          throw rejected(function, bound.error());
        }
        bound = sampled;
      }
      RelDataTypeFactory types = binding.getTypeFactory();
      List<RelDataType> columns = new ArrayList<>();
      for (String typeName : bound.columnTypes()) {
        RelDataType type = DuckDbTypes.toCalcite(typeName, types);
        if (type == null) {
          throw new SqlTranslationException(ErrorCode.UNSUPPORTED_SQL,
              SqlTranslationException.FEATURE_NOT_SUPPORTED, "SQL error: " + function.name()
                  + "() returns " + typeName + " here, a type Cairn cannot return", null);
        }
        columns.add(type);
      }
      return function.kind() == Kind.TABLE
          ? types.createStructType(columns, bound.columnNames()) : columns.get(0);
    }
  }

  static SqlTranslationException rejected(Function function, String why) {
    String forms = function.overloads().stream().map(o -> o.describe(function.name()))
        .distinct().collect(Collectors.joining(", "));
    return new SqlTranslationException(ErrorCode.BAD_FORMAT,
        SqlTranslationException.UNDEFINED_FUNCTION, "SQL error: " + function.name()
            + "() cannot be applied to these arguments (" + stripEngine(why)
            + "); its forms are " + forms, null);
  }

  /**
   * Drops DuckDB's error class prefix ({@code Binder Error: }), its names for constants'
   * types ({@code INTEGER_LITERAL}) and its hint from a message.
   */
  private static String stripEngine(String why) {
    return why.replaceFirst("^[A-Za-z ]+Error: ", "").replace("_LITERAL", "")
        .replace(" You might need to add explicit type casts.", "");
  }

  /**
   * Accepts any operand types an overload could take and leaves the real check to
   * {@link Returns}, which asks DuckDB (its implicit casts decide).
   */
  private static final class Checker implements SqlOperandTypeChecker {
    private final Function function;

    Checker(Function function) {
      this.function = function;
    }

    @Override
    public boolean checkOperandTypes(SqlCallBinding binding, boolean throwOnFailure) {
      return true;
    }

    @Override
    public SqlOperandCountRange getOperandCountRange() {
      int max = function.operandsMax();
      return max < 0 ? SqlOperandCountRanges.from(function.operandsMin())
          : SqlOperandCountRanges.between(function.operandsMin(), max);
    }

    @Override
    public String getAllowedSignatures(SqlOperator op, String opName) {
      return function.overloads().stream().map(o -> o.describe(opName)).distinct()
          .collect(Collectors.joining("\n"));
    }
  }

  /**
   * Gives a parameter ({@code ?}) or untyped NULL operand the parameter type every overload of
   * that arity agrees on; otherwise VARCHAR, which DuckDB casts from.
   */
  private static final class OperandTypes implements SqlOperandTypeInference {
    private final Function function;

    OperandTypes(Function function) {
      this.function = function;
    }

    @Override
    public void inferOperandTypes(SqlCallBinding binding, RelDataType returnType,
        RelDataType[] operandTypes) {
      RelDataTypeFactory types = binding.getTypeFactory();
      for (int i = 0; i < operandTypes.length; i++) {
        String agreed = null;
        boolean conflict = false;
        for (Overload o : function.overloads()) {
          String t = i < o.parameterTypes().size() ? o.parameterTypes().get(i) : o.varargs();
          if (t == null) {
            continue;
          }
          conflict |= agreed != null && !agreed.equals(t);
          agreed = t;
        }
        RelDataType type = agreed == null || conflict ? null
            : DuckDbTypes.toCalcite(agreed, types);
        operandTypes[i] = type != null ? type
            : types.createTypeWithNullability(types.createSqlType(SqlTypeName.VARCHAR), true);
      }
    }
  }
}
