package dev.cairn.calcite.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.calcite.sql.SqlBasicCall;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlDataTypeSpec;
import org.apache.calcite.sql.SqlFunction;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlOrderBy;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.SqlWith;

/**
 * Result column names as PostgreSQL gives them, where Calcite would invent {@code EXPR$n}: an
 * unaliased function or aggregate call is named after the function ({@code count}, {@code sum},
 * {@code coalesce}; a window function too), a CASE {@code case}, a cast after what it casts,
 * a VALUES column {@code column1, column2, ...}, anything else {@code ?column?}. Aliases and
 * plain columns keep their names; a set operation takes its first branch's names.
 *
 * <p>Read from the parsed query, before validation rewrites it (Calcite turns {@code COALESCE}
 * into {@code CASE}, and names both {@code EXPR$n}).
 */
final class OutputNames {
  /** PostgreSQL's name for an expression it cannot name otherwise. */
  static final String UNNAMED = "?column?";

  /** One name per parsed select item; null keeps Calcite's, and a star stands for several. */
  private final List<String> itemNames;
  private final List<Boolean> stars;

  private OutputNames(List<String> itemNames, List<Boolean> stars) {
    this.itemNames = itemNames;
    this.stars = stars;
  }

  /** Reads the names a parsed query's result columns should have. */
  static OutputNames of(SqlNode parsed) {
    List<String> names = new ArrayList<>();
    List<Boolean> stars = new ArrayList<>();
    SqlNode top = outermost(parsed);
    if (top instanceof SqlSelect) {
      for (SqlNode item : ((SqlSelect) top).getSelectList()) {
        boolean star = item instanceof SqlIdentifier && ((SqlIdentifier) item).isStar();
        stars.add(star);
        names.add(star ? null : itemName(item));
      }
    } else if (top != null && top.getKind() == SqlKind.VALUES) {
      SqlNode row = ((SqlCall) top).operand(0);
      int width = row instanceof SqlCall ? ((SqlCall) row).operandCount() : 1;
      for (int i = 1; i <= width; i++) {
        stars.add(false);
        names.add("column" + i);
      }
    }
    return new OutputNames(names, stars);
  }

  /**
   * Returns the result names: Calcite's {@code validated} names with PostgreSQL's in place of
   * the ones Calcite invented. Items after a star are matched from the end.
   */
  List<String> resolve(List<String> validated) {
    List<String> out = new ArrayList<>(validated);
    int first = stars.indexOf(true);
    int last = stars.lastIndexOf(true);
    if (first < 0 && itemNames.size() != validated.size()) {
      return out; // not the shape we read: keep Calcite's names
    }
    for (int i = 0; i < itemNames.size(); i++) {
      int field = first < 0 || i < first ? i
          : i > last ? validated.size() - (itemNames.size() - i) : -1;
      String name = itemNames.get(i);
      if (name != null && field >= 0 && field < out.size()) {
        out.set(field, name);
      }
    }
    return out;
  }

  /** The SELECT or VALUES whose items name the result. */
  private static SqlNode outermost(SqlNode node) {
    while (true) {
      if (node instanceof SqlOrderBy) {
        node = ((SqlOrderBy) node).query;
      } else if (node instanceof SqlWith) {
        node = ((SqlWith) node).body;
      } else if (node != null && node.getKind().belongsTo(SqlKind.SET_QUERY)) {
        node = ((SqlCall) node).operand(0);
      } else {
        return node;
      }
    }
  }

  /** A select item's name if Calcite would invent one, else null. */
  private static String itemName(SqlNode item) {
    if (item.getKind() == SqlKind.AS || item instanceof SqlIdentifier) {
      return null;
    }
    return expressionName(item);
  }

  private static String expressionName(SqlNode node) {
    if (node instanceof SqlIdentifier) {
      List<String> parts = ((SqlIdentifier) node).names;
      return parts.get(parts.size() - 1);
    }
    if (node instanceof SqlSelect) {
      SqlNodeList items = ((SqlSelect) node).getSelectList();
      if (items.size() == 1) {
        SqlNode only = items.get(0);
        return only.getKind() == SqlKind.AS
            ? ((SqlIdentifier) ((SqlCall) only).operand(1)).getSimple() : expressionName(only);
      }
      return UNNAMED;
    }
    if (!(node instanceof SqlCall)) {
      return UNNAMED;
    }
    SqlCall call = (SqlCall) node;
    switch (call.getKind()) {
      case OVER: case FILTER: case WITHIN_GROUP: case WITHIN_DISTINCT:
      case RESPECT_NULLS: case IGNORE_NULLS:
        return expressionName(call.operand(0));
      case CASE:
        return "case";
      case EXISTS:
        return "exists";
      case CAST:
        String inner = expressionName(call.operand(0));
        return inner.equals(UNNAMED) && call.operand(1) instanceof SqlDataTypeSpec
            ? ((SqlDataTypeSpec) call.operand(1)).getTypeName().getSimple()
                .toLowerCase(Locale.ROOT)
            : inner;
      default:
        break;
    }
    if (call instanceof SqlBasicCall && call.getOperator() instanceof SqlFunction) {
      return call.getOperator().getName().toLowerCase(Locale.ROOT);
    }
    return UNNAMED;
  }
}
