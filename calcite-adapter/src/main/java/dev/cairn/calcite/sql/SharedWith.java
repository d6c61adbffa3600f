package dev.cairn.calcite.sql;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlDynamicParam;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlJoin;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOrderBy;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.SqlWith;
import org.apache.calcite.sql.SqlWithItem;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.util.SqlBasicVisitor;

/**
 * A query whose top-level WITH has an item read more than once, split so that DuckDB sees the
 * WITH: Calcite would expand each reference into its own copy of the item's plan (TPC-H Q15
 * scans and aggregates lineitem twice), where DuckDB materialises an item once. Each item is
 * translated on its own, and every reference to it (in the body and in later items) reads a
 * table of schema {@link #SCHEMA} named like the item, under the item's name as alias.
 *
 * <p>Only the plain case is split: no query parameters (they are numbered across the whole
 * statement) and no WITH nested inside (whose names could shadow these). Anything else is
 * translated whole, as before.
 */
final class SharedWith {
  /** The Calcite schema holding one table per WITH item while the query is translated. */
  static final String SCHEMA = "cairn$with";

  /** One WITH item: its name, its column names if it lists them, its query, and its uses. */
  record Item(String name, List<String> columnNames, SqlNode query, int references) {
    /** Returns the name the DuckDB SQL gives the item. */
    String duckdbName() {
      return "with$" + name;
    }
  }

  private final List<Item> items;
  private final SqlNode body;

  private SharedWith(List<Item> items, SqlNode body) {
    this.items = items;
    this.body = body;
  }

  /** The items in declaration order (each may read the ones before it). */
  List<Item> items() {
    return items;
  }

  /** The query after the WITH, its references to the items rewritten. */
  SqlNode body() {
    return body;
  }

  /**
   * Returns the split of {@code parsed} if its top-level WITH has an item read more than once
   * and nothing forbids splitting; rewrites the references in {@code parsed} in place.
   */
  static Optional<SharedWith> of(SqlNode parsed) {
    SqlWith with;
    SqlOrderBy order = null;
    if (parsed instanceof SqlWith w) {
      with = w;
    } else if (parsed instanceof SqlOrderBy o && o.query instanceof SqlWith w) {
      with = w;
      order = o;
    } else {
      return Optional.empty();
    }
    Map<String, Integer> references = new HashMap<>();
    for (SqlNode node : with.withList) {
      references.put(((SqlWithItem) node).name.getSimple(), 0);
    }
    List<SqlNode> parts = new ArrayList<>();
    for (SqlNode node : with.withList) {
      parts.add(((SqlWithItem) node).query);
    }
    parts.add(with.body);
    if (order != null) {
      parts.add(order.orderList);
    }
    for (SqlNode part : parts) {
      if (!plain(part)) {
        return Optional.empty();
      }
    }
    for (SqlNode part : parts) {
      rewriteReferences(part, references, false);
    }
    if (references.values().stream().noneMatch(n -> n > 1)) {
      return Optional.empty();
    }
    for (SqlNode part : parts) {
      rewriteReferences(part, references, true);
    }
    List<Item> items = new ArrayList<>();
    for (SqlNode node : with.withList) {
      SqlWithItem item = (SqlWithItem) node;
      List<String> columns = null;
      if (item.columnList != null) {
        columns = new ArrayList<>();
        for (SqlNode c : item.columnList) {
          columns.add(((SqlIdentifier) c).getSimple());
        }
      }
      String name = item.name.getSimple();
      items.add(new Item(name, columns, item.query, references.get(name)));
    }
    SqlNode body = order == null ? with.body : new SqlOrderBy(order.getParserPosition(),
        with.body, order.orderList, order.offset, order.fetch);
    return Optional.of(new SharedWith(List.copyOf(items), body));
  }

  /** True if {@code node} has no query parameter and no WITH of its own. */
  private static boolean plain(SqlNode node) {
    boolean[] plain = {true};
    node.accept(new SqlBasicVisitor<Void>() {
      @Override
      public Void visit(SqlDynamicParam param) {
        plain[0] = false;
        return null;
      }

      @Override
      public Void visit(SqlCall call) {
        if (call instanceof SqlWith) {
          plain[0] = false;
          return null;
        }
        return super.visit(call);
      }
    });
    return plain[0];
  }

  /**
   * Counts (or, with {@code rewrite}, replaces) every FROM reference to a WITH item in {@code
   * node}, sub-queries included.
   */
  private static void rewriteReferences(SqlNode node, Map<String, Integer> references,
      boolean rewrite) {
    node.accept(new SqlBasicVisitor<Void>() {
      @Override
      public Void visit(SqlCall call) {
        if (call instanceof SqlSelect select && select.getFrom() != null) {
          select.setFrom(from(select.getFrom(), references, rewrite));
        }
        return super.visit(call);
      }
    });
  }

  private static SqlNode from(SqlNode node, Map<String, Integer> references, boolean rewrite) {
    if (node instanceof SqlIdentifier id && id.isSimple() && references.containsKey(id.getSimple())) {
      if (!rewrite) {
        references.merge(id.getSimple(), 1, Integer::sum);
        return node;
      }
      return SqlStdOperatorTable.AS.createCall(SqlParserPos.ZERO, table(id), id);
    }
    if (node instanceof SqlJoin join) {
      join.setLeft(from(join.getLeft(), references, rewrite));
      join.setRight(from(join.getRight(), references, rewrite));
    } else if (node instanceof SqlCall call && call.getKind() == SqlKind.AS
        && call.operand(0) instanceof SqlIdentifier id && id.isSimple()
        && references.containsKey(id.getSimple())) {
      if (!rewrite) {
        references.merge(id.getSimple(), 1, Integer::sum);
      } else {
        call.setOperand(0, table(id));
      }
    }
    return node;
  }

  private static SqlIdentifier table(SqlIdentifier reference) {
    return new SqlIdentifier(List.of(SCHEMA, reference.getSimple()), SqlParserPos.ZERO);
  }
}
