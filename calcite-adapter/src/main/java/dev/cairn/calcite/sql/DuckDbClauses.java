package dev.cairn.calcite.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.calcite.sql.SqlBasicCall;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlFunctionCategory;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlIntervalQualifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlNumericLiteral;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlOperatorTable;
import org.apache.calcite.sql.SqlOrderBy;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.SqlSyntax;
import org.apache.calcite.sql.SqlWindow;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.util.SqlBasicVisitor;
import org.apache.calcite.sql.validate.SqlNameMatchers;

/**
 * Turns the markers {@link DuckDbSyntax} leaves for two DuckDB clauses into standard SQL in the
 * parsed tree, before validation:
 *
 * <ul>
 *   <li>{@code SELECT DISTINCT ON (k1, k2) ... ORDER BY o} keeps the first row of each
 *       {@code (k1, k2)} group in ORDER BY's order, which is
 *       {@code QUALIFY row_number() OVER (PARTITION BY k1, k2 ORDER BY o) = 1};
 *   <li>{@code GROUP BY ALL} groups by every select item that contains no aggregate (DuckDB's
 *       rule), or not at all if every item is an aggregate;
 *   <li>{@code ORDER BY ALL [DESC]} orders by every select item, left to right.
 * </ul>
 * Keys and order items given as a select item's position or alias stand for its expression.
 * Also {@code date_trunc(d, MONTH)} (the unit last, as Calcite and BigQuery write it) becomes
 * DuckDB's and PostgreSQL's {@code date_trunc('month', d)}.
 */
final class DuckDbClauses {
  private static final SqlParserPos POS = SqlParserPos.ZERO;

  private DuckDbClauses() {}

  /** Rewrites the markers in {@code parsed} in place and returns it. */
  static SqlNode rewrite(SqlNode parsed, SqlOperatorTable operators) {
    parsed.accept(new SqlBasicVisitor<Void>() {
      @Override
      public Void visit(SqlCall call) {
        if (call instanceof SqlOrderBy && ((SqlOrderBy) call).query instanceof SqlSelect) {
          SqlOrderBy orderBy = (SqlOrderBy) call;
          orderByAll(orderBy.orderList, ((SqlSelect) orderBy.query).getSelectList());
          rewriteSelect((SqlSelect) orderBy.query, orderBy.orderList, operators);
        } else if (call instanceof SqlSelect) {
          rewriteSelect((SqlSelect) call, ((SqlSelect) call).getOrderList(), operators);
        } else if (isUnitLastDateTrunc(call)) {
          SqlNode value = call.operand(0);
          SqlIntervalQualifier unit = call.operand(1);
          call.setOperand(0, SqlLiteral.createCharString(
              unit.getStartUnit().name().toLowerCase(Locale.ROOT), POS));
          call.setOperand(1, value);
        }
        return super.visit(call);
      }
    });
    return parsed;
  }

  /**
   * Replaces {@code ORDER BY ALL [DESC]} by every select item's position, left to right, each
   * with the direction given.
   */
  private static void orderByAll(SqlNodeList order, SqlNodeList items) {
    if (order.size() != 1 || items == null) {
      return;
    }
    SqlNode only = order.get(0);
    boolean descending = only.getKind() == SqlKind.DESCENDING;
    if (!isMarker(descending ? ((SqlCall) only).operand(0) : only, DuckDbSyntax.ORDER_BY_ALL)) {
      return;
    }
    order.clear();
    for (int i = 1; i <= items.size(); i++) {
      SqlNode position = SqlLiteral.createExactNumeric(Integer.toString(i), POS);
      order.add(descending ? SqlStdOperatorTable.DESC.createCall(POS, position) : position);
    }
  }

  /** Returns whether {@code call} is Calcite's and BigQuery's {@code date_trunc(d, MONTH)}. */
  private static boolean isUnitLastDateTrunc(SqlCall call) {
    return call instanceof SqlBasicCall && call.operandCount() == 2
        && call.getOperator().getName().equalsIgnoreCase("date_trunc")
        && call.operand(1) instanceof SqlIntervalQualifier
        && ((SqlIntervalQualifier) call.operand(1)).isSingleDatetimeField();
  }

  private static void rewriteSelect(SqlSelect select, SqlNodeList order,
      SqlOperatorTable operators) {
    SqlNodeList items = select.getSelectList();
    if (items != null && !items.isEmpty() && isMarker(items.get(0), DuckDbSyntax.DISTINCT_ON)) {
      SqlCall keys = (SqlCall) items.get(0);
      items.remove(0);
      distinctOn(select, keys.getOperandList(), order);
    }
    SqlNodeList group = select.getGroup();
    if (group != null && group.size() == 1
        && isMarker(group.get(0), DuckDbSyntax.GROUP_BY_ALL)) {
      List<SqlNode> keys = new ArrayList<>();
      for (SqlNode item : items) {
        SqlNode expression = expression(item);
        if (!(expression instanceof SqlIdentifier && ((SqlIdentifier) expression).isStar())
            && !containsAggregate(expression, operators)) {
          keys.add(expression);
        }
      }
      select.setGroupBy(keys.isEmpty() ? null : new SqlNodeList(keys, POS));
    }
  }

  private static void distinctOn(SqlSelect select, List<SqlNode> keys, SqlNodeList order) {
    SqlNodeList items = select.getSelectList();
    List<SqlNode> partition = new ArrayList<>();
    for (SqlNode key : keys) {
      partition.add(resolve(key, items));
    }
    List<SqlNode> orderKeys = new ArrayList<>();
    if (order != null) {
      for (SqlNode key : order) {
        orderKeys.add(resolveOrderItem(key, items));
      }
    }
    SqlWindow window = SqlWindow.create(null, null, new SqlNodeList(partition, POS),
        new SqlNodeList(orderKeys, POS), SqlLiteral.createBoolean(false, POS), null, null, null,
        POS);
    SqlNode first = SqlStdOperatorTable.EQUALS.createCall(POS,
        SqlStdOperatorTable.OVER.createCall(POS, SqlStdOperatorTable.ROW_NUMBER.createCall(POS),
            window),
        SqlLiteral.createExactNumeric("1", POS));
    SqlNode qualify = select.getQualify();
    select.setQualify(qualify == null ? first
        : SqlStdOperatorTable.AND.createCall(POS, qualify, first));
  }

  /** Resolves the key under DESC / NULLS FIRST / NULLS LAST wrappers. */
  private static SqlNode resolveOrderItem(SqlNode key, SqlNodeList items) {
    if (key instanceof SqlBasicCall && (key.getKind() == SqlKind.DESCENDING
        || key.getKind() == SqlKind.NULLS_FIRST || key.getKind() == SqlKind.NULLS_LAST)) {
      SqlBasicCall call = (SqlBasicCall) key;
      return call.getOperator().createCall(POS, resolveOrderItem(call.operand(0), items));
    }
    return resolve(key, items);
  }

  /** Returns the expression a position ({@code 2}) or alias of a select item stands for. */
  private static SqlNode resolve(SqlNode key, SqlNodeList items) {
    if (key instanceof SqlNumericLiteral && ((SqlNumericLiteral) key).isInteger()) {
      int position = ((SqlNumericLiteral) key).intValue(true);
      if (position >= 1 && position <= items.size()) {
        return expression(items.get(position - 1));
      }
    }
    if (key instanceof SqlIdentifier && ((SqlIdentifier) key).isSimple()) {
      String name = ((SqlIdentifier) key).getSimple();
      for (SqlNode item : items) {
        if (item.getKind() == SqlKind.AS
            && ((SqlIdentifier) ((SqlCall) item).operand(1)).getSimple().equals(name)) {
          return ((SqlCall) item).operand(0);
        }
      }
    }
    return key;
  }

  private static SqlNode expression(SqlNode item) {
    return item.getKind() == SqlKind.AS ? ((SqlCall) item).operand(0) : item;
  }

  private static boolean isMarker(SqlNode node, String name) {
    return node instanceof SqlCall && ((SqlCall) node).getOperator().getName().equals(name);
  }

  /** Returns whether {@code node} calls an aggregate outside a window and a sub-query. */
  private static boolean containsAggregate(SqlNode node, SqlOperatorTable operators) {
    boolean[] found = {false};
    node.accept(new SqlBasicVisitor<Void>() {
      @Override
      public Void visit(SqlCall call) {
        if (call.getKind() == SqlKind.OVER || call instanceof SqlSelect
            || call.getKind() == SqlKind.ORDER_BY) {
          return null;
        }
        if (isAggregate(call.getOperator(), operators)) {
          found[0] = true;
          return null;
        }
        return super.visit(call);
      }
    });
    return found[0];
  }

  private static boolean isAggregate(SqlOperator op, SqlOperatorTable operators) {
    if (op.isAggregator()) {
      return true;
    }
    if (op.getSyntax() != SqlSyntax.FUNCTION) {
      return false;
    }
    List<SqlOperator> found = new ArrayList<>();
    operators.lookupOperatorOverloads(new SqlIdentifier(op.getName(), POS),
        SqlFunctionCategory.USER_DEFINED_FUNCTION, SqlSyntax.FUNCTION, found,
        SqlNameMatchers.withCaseSensitive(false));
    return found.stream().anyMatch(SqlOperator::isAggregator);
  }
}
