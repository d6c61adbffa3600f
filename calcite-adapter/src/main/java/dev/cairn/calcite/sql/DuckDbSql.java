package dev.cairn.calcite.sql;

import java.util.List;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.sql.SqlDynamicParam;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.util.SqlShuttle;
import org.apache.calcite.sql.util.SqlString;

/**
 * Writes a logical plan as one DuckDB statement. Dynamic parameters stay {@code ?} when the
 * written text presents them in the user's order (0, 1, 2, ...), which is the common case;
 * otherwise every parameter is written as DuckDB's numbered {@code $n} (n = its position in the
 * user's text, from 1), which DuckDB binds by number, so the caller binds them the same way.
 */
final class DuckDbSql {
  private DuckDbSql() {}

  static String write(RelNode plan, int parameterCount) {
    SqlNode statement = new DuckDbSqlWriter().visitRoot(plan).asStatement();
    SqlString sql = statement.toSqlString(DuckDbDialect.INSTANCE);
    List<Integer> order = sql.getDynamicParameters();
    boolean inOrder = order == null ? parameterCount == 0 : order.size() == parameterCount;
    for (int i = 0; inOrder && i < parameterCount; i++) {
      inOrder = order.get(i) == i;
    }
    if (inOrder) {
      return sql.getSql();
    }
    SqlNode numbered = statement.accept(new SqlShuttle() {
      @Override
      public SqlNode visit(SqlDynamicParam param) {
        return new NumberedParameter(param.getIndex());
      }
    });
    return numbered.toSqlString(DuckDbDialect.INSTANCE).getSql();
  }

  /** A dynamic parameter written as {@code $n}, 1-based. */
  private static final class NumberedParameter extends SqlDynamicParam {
    NumberedParameter(int index) {
      super(index, SqlParserPos.ZERO);
    }

    @Override
    public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
      writer.print(" $" + (getIndex() + 1) + " ");
    }
  }
}
