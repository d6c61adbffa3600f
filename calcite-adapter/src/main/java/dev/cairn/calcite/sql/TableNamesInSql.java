package dev.cairn.calcite.sql;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlJoin;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.util.SqlBasicVisitor;

/**
 * The names a parsed query reads in its FROM clauses (of every SELECT, subqueries included),
 * as {@code [schema, table]} (a bare name in {@code defaultSchema}), so the catalog can fetch
 * their heads in one request before validation asks for them one by one. A hint only: a name
 * that is a CTE or does not exist is simply not found.
 */
final class TableNamesInSql {
  private TableNamesInSql() {}

  /** Returns the {@code [schema, table]} names {@code query} reads, in order, once each. */
  static List<List<String>> of(SqlNode query, String defaultSchema) {
    Set<List<String>> names = new LinkedHashSet<>();
    query.accept(new SqlBasicVisitor<Void>() {
      @Override
      public Void visit(SqlCall call) {
        if (call instanceof SqlSelect select && select.getFrom() != null) {
          from(select.getFrom(), defaultSchema, names);
        }
        return super.visit(call);
      }
    });
    return new ArrayList<>(names);
  }

  private static void from(SqlNode node, String defaultSchema, Set<List<String>> names) {
    if (node instanceof SqlIdentifier id) {
      if (id.names.size() == 2) {
        names.add(List.copyOf(id.names));
      } else if (id.names.size() == 1 && defaultSchema != null) {
        names.add(List.of(defaultSchema, id.names.get(0)));
      }
    } else if (node instanceof SqlJoin join) {
      from(join.getLeft(), defaultSchema, names);
      from(join.getRight(), defaultSchema, names);
    } else if (node instanceof SqlCall call && call.getKind() == SqlKind.AS) {
      from(call.operand(0), defaultSchema, names);
    }
  }
}
