package dev.cairn.calcite.sql;

import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.sql.SqlBasicCall;
import org.apache.calcite.sql.SqlDynamicParam;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.util.SqlShuttle;
import org.apache.calcite.sql.util.SqlString;

/**
 * Writes a logical plan as one DuckDB statement. Dynamic parameters stay {@code ?} when the
 * written text presents them in the user's order (0, 1, 2, ...), which is the common case;
 * otherwise every parameter is written as DuckDB's numbered {@code $n} (n = its position in the
 * user's text, from 1), which DuckDB binds by number, so the caller binds them the same way.
 *
 * <p>Result column names: the outermost select list is given an alias for every item whose
 * name DuckDB would not derive as wanted ({@link OutputNames}: PostgreSQL's {@code sum} where
 * DuckDB would say {@code sum(t1.l_quantity)}), so DuckDB's result labels are exactly
 * {@link TranslatedQuery#columns()}' names, duplicates included. A statement whose names do not
 * come from one select list of its own (a set operation, {@code SELECT *} over VALUES) is
 * wrapped in one that renames its columns by position; DuckDB keeps the inner order.
 */
final class DuckDbSql {
  private DuckDbSql() {}

  static String write(RelNode plan, int parameterCount, List<String> names) {
    SqlNode statement = new DuckDbSqlWriter().visitRoot(plan).asStatement();
    if (!nameOutputs(statement, names)
        && !names.equals(plan.getRowType().getFieldNames())) {
      statement = renamed(statement, names);
    }
    OrderByAliases.fix(statement);
    DuckDbWritable.check(statement);
    SqlString sql = DuckDbWritable.unparse(statement);
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
    return DuckDbWritable.unparse(numbered).getSql();
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

  /** Aliases the items of a top-level select list; false if the statement has none. */
  private static boolean nameOutputs(SqlNode statement, List<String> names) {
    if (!(statement instanceof SqlSelect)) {
      return false;
    }
    SqlNodeList items = ((SqlSelect) statement).getSelectList();
    if (items == null || items.size() != names.size()) {
      return false;
    }
    for (SqlNode item : items) {
      if (item instanceof SqlIdentifier && ((SqlIdentifier) item).isStar()) {
        return false; // SELECT *: the names come from below, where Calcite wrote them
      }
    }
    for (int i = 0; i < items.size(); i++) {
      SqlNode item = items.get(i);
      String name = names.get(i);
      if (item.getKind() == SqlKind.AS) {
        SqlBasicCall as = (SqlBasicCall) item;
        if (!name.equals(((SqlIdentifier) as.operand(1)).getSimple())) {
          items.set(i, alias(as.operand(0), name));
        }
      } else if (!isColumnNamed(item, name)) {
        items.set(i, alias(item, name));
      }
    }
    return true;
  }

  /** {@code SELECT "$1" AS name1, ... FROM (statement) AS "t" ("$1", ...)}. */
  private static SqlNode renamed(SqlNode statement, List<String> names) {
    SqlNodeList items = new SqlNodeList(SqlParserPos.ZERO);
    List<SqlNode> tableAlias = new ArrayList<>();
    tableAlias.add(statement);
    tableAlias.add(new SqlIdentifier("t", SqlParserPos.ZERO));
    for (int i = 0; i < names.size(); i++) {
      SqlIdentifier position = new SqlIdentifier("$" + (i + 1), SqlParserPos.ZERO);
      tableAlias.add(position);
      items.add(alias(position, names.get(i)));
    }
    SqlNode from = SqlStdOperatorTable.AS.createCall(SqlParserPos.ZERO, tableAlias);
    return new SqlSelect(SqlParserPos.ZERO, null, items, from, null, null, null, null, null,
        null, null, null, null);
  }

  private static boolean isColumnNamed(SqlNode item, String name) {
    if (!(item instanceof SqlIdentifier) || ((SqlIdentifier) item).isStar()) {
      return false;
    }
    List<String> parts = ((SqlIdentifier) item).names;
    return name.equals(parts.get(parts.size() - 1));
  }

  private static SqlNode alias(SqlNode node, String name) {
    return SqlStdOperatorTable.AS.createCall(SqlParserPos.ZERO, node,
        new SqlIdentifier(name, SqlParserPos.ZERO));
  }
}
