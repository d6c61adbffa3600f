package dev.cairn.calcite.sql;

import dev.cairn.wire.ErrorCode;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlFunction;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlSyntax;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.util.SqlBasicVisitor;
import org.apache.calcite.sql.util.SqlString;

/**
 * Guards the last step of translation, writing the plan as DuckDB SQL, against the two ways it
 * can go wrong: a function Calcite knows that DuckDB does not ({@code rand()}; DuckDB calls it
 * {@code random()}), which DuckDB would reject at run time in terms of the generated SQL; and an
 * internal operator of Calcite's plan that has no SQL spelling at all (SPECIAL syntax, such as
 * {@code Reinterpret}), which Calcite's writer rejects with an UnsupportedOperationException.
 * Both become {@code UNSUPPORTED_SQL} (SQLSTATE 0A000) naming the function in the user's terms.
 */
final class DuckDbWritable {
  /**
   * Calcite functions written as plain calls that DuckDB parses as syntax, so they are not in
   * {@code duckdb_functions()}. Found by listing every such Calcite standard function DuckDB's
   * catalog lacks.
   */
  private static final Set<String> DUCKDB_SYNTAX = Set.of("coalesce", "grouping", "grouping_id",
      "percentile_cont", "percentile_disc");

  private DuckDbWritable() {}

  /** Refuses {@code statement} if it calls a function DuckDB does not define. */
  static void check(SqlNode statement) {
    DuckDbFunctionCatalog duckdb = DuckDbFunctionCatalog.get();
    statement.accept(new SqlBasicVisitor<Void>() {
      @Override
      public Void visit(SqlCall call) {
        SqlOperator op = call.getOperator();
        if (op instanceof SqlFunction && op.getSyntax() == SqlSyntax.FUNCTION
            && writtenByName(op) && !CairnFunctions.ALL.contains(op)
            && !duckdb.knows(op.getName())
            && !DUCKDB_SYNTAX.contains(op.getName().toLowerCase(Locale.ROOT))) {
          throw new SqlTranslationException(ErrorCode.UNSUPPORTED_SQL,
              SqlTranslationException.FEATURE_NOT_SUPPORTED, "SQL error: "
                  + op.getName().toLowerCase(Locale.ROOT) + "() is not supported: the engine"
                  + " Cairn runs queries on has no such function", null);
        }
        return super.visit(call);
      }
    });
  }

  /**
   * Returns whether {@code op} is written as {@code name(args)}: it keeps the inherited
   * {@code unparse}. Operators with their own spelling ({@code EXTRACT(YEAR FROM d)}) are
   * standard syntax that DuckDB parses.
   */
  private static boolean writtenByName(SqlOperator op) {
    try {
      Class<?> declaring = op.getClass().getMethod("unparse", SqlWriter.class, SqlCall.class,
          int.class, int.class).getDeclaringClass();
      return declaring == SqlOperator.class || declaring == SqlFunction.class;
    } catch (NoSuchMethodException e) {
      throw new AssertionError(e);
    }
  }

  /** Writes {@code statement} as DuckDB SQL, or refuses what has no SQL spelling. */
  static SqlString unparse(SqlNode statement) {
    try {
      return statement.toSqlString(DuckDbDialect.INSTANCE);
    } catch (UnsupportedOperationException e) {
      throw new SqlTranslationException(ErrorCode.UNSUPPORTED_SQL,
          SqlTranslationException.FEATURE_NOT_SUPPORTED, "SQL error: this query uses "
              + specialOperators(statement) + ", which Cairn cannot write for its engine", e);
    }
  }

  private static String specialOperators(SqlNode statement) {
    Set<String> names = new LinkedHashSet<>();
    statement.accept(new SqlBasicVisitor<Void>() {
      @Override
      public Void visit(SqlCall call) {
        if (call.getOperator().getSyntax() == SqlSyntax.SPECIAL) {
          names.add(call.getOperator().getName());
        }
        return super.visit(call);
      }
    });
    return names.isEmpty() ? "an expression" : "the internal operator(s) " + names;
  }
}
