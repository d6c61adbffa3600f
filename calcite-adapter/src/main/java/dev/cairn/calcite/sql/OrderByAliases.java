package dev.cairn.calcite.sql;

import dev.cairn.wire.ErrorCode;
import java.util.List;
import org.apache.calcite.sql.SqlBasicCall;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.util.SqlShuttle;
import org.apache.calcite.util.Litmus;

/**
 * Makes every ORDER BY column of the written SQL mean in DuckDB what it meant in the plan.
 *
 * <p>Calcite's SQL writer names a sort key by the input column it sorts on
 * ({@code SELECT "id" AS "qty", "qty" AS "id" ... ORDER BY "id"} for the user's
 * {@code ORDER BY qty}), but DuckDB, like PostgreSQL, reads a bare name in ORDER BY as an
 * output column first, here the other column. Such a key becomes the ordinal of the select
 * item that holds the column; if none does, it is qualified with the name of the one relation
 * it is read from; failing that, the query is refused rather than sorted wrongly.
 */
final class OrderByAliases extends SqlShuttle {
  private OrderByAliases() {}

  /** Fixes, in place, the ORDER BY lists of every SELECT in {@code statement}. */
  static void fix(SqlNode statement) {
    statement.accept(new OrderByAliases());
  }

  @Override
  public SqlNode visit(SqlCall call) {
    if (call instanceof SqlSelect) {
      fixSelect((SqlSelect) call);
    }
    return super.visit(call);
  }

  private static void fixSelect(SqlSelect select) {
    SqlNodeList order = select.getOrderList();
    SqlNodeList items = select.getSelectList();
    if (order == null || items == null) {
      return;
    }
    for (int i = 0; i < order.size(); i++) {
      SqlNode key = order.get(i);
      SqlNode column = key;
      SqlBasicCall wrapper = null;
      while (column.getKind() == SqlKind.DESCENDING || column.getKind() == SqlKind.NULLS_FIRST
          || column.getKind() == SqlKind.NULLS_LAST) {
        wrapper = (SqlBasicCall) column;
        column = wrapper.operand(0);
      }
      if (!(column instanceof SqlIdentifier) || !hidden((SqlIdentifier) column, items)) {
        continue;
      }
      SqlNode unambiguous = unambiguous((SqlIdentifier) column, select);
      if (wrapper == null) {
        order.set(i, unambiguous);
      } else {
        wrapper.setOperand(0, unambiguous);
      }
    }
  }

  /** Whether an output column other than {@code column} itself bears its name. */
  private static boolean hidden(SqlIdentifier column, SqlNodeList items) {
    String name = last(column.names);
    for (SqlNode item : items) {
      if (item.getKind() == SqlKind.AS) {
        SqlCall as = (SqlCall) item;
        String alias = ((SqlIdentifier) as.operand(1)).getSimple();
        if (alias.equals(name) && !as.operand(0).equalsDeep(column, Litmus.IGNORE)) {
          return true;
        }
      }
    }
    return false;
  }

  /** The select item's ordinal, or the column qualified by its relation's name. */
  private static SqlNode unambiguous(SqlIdentifier column, SqlSelect select) {
    SqlNodeList items = select.getSelectList();
    for (int i = 0; i < items.size(); i++) {
      SqlNode item = items.get(i);
      SqlNode expression = item.getKind() == SqlKind.AS ? ((SqlCall) item).operand(0) : item;
      if (expression.equalsDeep(column, Litmus.IGNORE)) {
        return SqlLiteral.createExactNumeric(Integer.toString(i + 1), SqlParserPos.ZERO);
      }
    }
    SqlNode from = select.getFrom();
    String relation = null;
    if (from instanceof SqlIdentifier) {
      relation = last(((SqlIdentifier) from).names);
    } else if (from != null && from.getKind() == SqlKind.AS) {
      relation = ((SqlIdentifier) ((SqlCall) from).operand(1)).getSimple();
    }
    if (column.isSimple() && relation != null) {
      return new SqlIdentifier(List.of(relation, column.getSimple()), SqlParserPos.ZERO);
    }
    throw new SqlTranslationException(ErrorCode.UNSUPPORTED_SQL,
        SqlTranslationException.FEATURE_NOT_SUPPORTED, "ORDER BY " + column
            + " names an input column hidden by an output column of the same name;"
            + " select it or rename the output column", null);
  }

  private static String last(List<String> names) {
    return names.get(names.size() - 1);
  }
}
