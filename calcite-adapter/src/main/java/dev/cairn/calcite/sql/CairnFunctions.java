package dev.cairn.calcite.sql;

import java.util.List;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlFunction;
import org.apache.calcite.sql.SqlFunctionCategory;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.fun.SqlLibraryOperators;
import org.apache.calcite.sql.type.OperandTypes;
import org.apache.calcite.sql.type.ReturnTypes;
import org.apache.calcite.sql.type.SqlTypeTransforms;

/**
 * Functions Cairn defines beyond Calcite's standard ones and DuckDB's library: {@code version()}
 * answers itself, because DuckDB's answer would describe the engine underneath; and
 * {@code TRY_CAST(x AS type)}, which is syntax, not a function DuckDB's catalog lists.
 */
final class CairnFunctions {
  /** Cairn's version, as {@code version()} reports it. */
  static final String CAIRN_VERSION = "0.1.0";

  /** {@code version()}: {@code Cairn 0.1.0 (DuckDB v1.4.1)}, written as a string constant. */
  static final SqlFunction VERSION = new SqlFunction("VERSION", SqlKind.OTHER_FUNCTION,
      ReturnTypes.VARCHAR.andThen(SqlTypeTransforms.TO_NOT_NULLABLE),
      null, OperandTypes.NILADIC, SqlFunctionCategory.SYSTEM) {
    @Override
    public void unparse(SqlWriter writer, SqlCall call, int leftPrec, int rightPrec) {
      writer.literal("'" + versionText().replace("'", "''") + "'");
    }
  };

  /** Every Cairn function. */
  static final List<SqlOperator> ALL = List.of(VERSION, SqlLibraryOperators.TRY_CAST);

  private CairnFunctions() {}

  /** Returns what {@code version()} answers. */
  static String versionText() {
    return "Cairn " + CAIRN_VERSION + " (DuckDB " + DuckDbFunctionCatalog.get().duckdbVersion()
        + ")";
  }
}
