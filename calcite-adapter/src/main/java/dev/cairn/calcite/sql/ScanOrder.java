package dev.cairn.calcite.sql;

import java.util.List;
import java.util.Set;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Aggregate;
import org.apache.calcite.rel.core.AggregateCall;
import org.apache.calcite.rel.core.Filter;
import org.apache.calcite.rel.core.Join;
import org.apache.calcite.rel.core.JoinRelType;
import org.apache.calcite.rel.core.Project;
import org.apache.calcite.rel.core.Sort;
import org.apache.calcite.rel.core.TableScan;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexOver;
import org.apache.calcite.rex.RexUtil;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * Decides whether a query scans one table once and its answer is the same whatever order that
 * scan gives rows in: then the runtime may hand DuckDB the table's batches in the order they
 * arrive, while later ones are still being fetched (a cold query's overlap), instead of in
 * manifest order once all are loaded.
 *
 * <p>The rule is narrow on purpose, so it never changes an answer. Under an optional ORDER BY
 * (with or without LIMIT, which then picks among the aggregate's rows, not the scan's) and
 * projections, the plan must be an aggregate whose every call gives the same value in any
 * order: COUNT, MIN, MAX, and SUM or AVG of an exact type (a floating sum's last bits depend on
 * the order of its terms), none DISTINCT-filtered or ordered (WITHIN GROUP). Below it only
 * filters, projections, inner joins and scans, without window functions or sub-queries.
 */
final class ScanOrder {
  private static final Set<SqlKind> ANY_ORDER = Set.of(SqlKind.COUNT, SqlKind.MIN, SqlKind.MAX,
      SqlKind.SUM, SqlKind.SUM0, SqlKind.AVG);
  private static final Set<SqlTypeName> INEXACT = Set.of(SqlTypeName.DOUBLE, SqlTypeName.FLOAT,
      SqlTypeName.REAL);

  private ScanOrder() {}

  /**
   * Returns true if {@code plan} scans one table once and its answer does not depend on the
   * order that scan gives rows in. (One scan: the arriving batches are a stream DuckDB can read
   * once.)
   */
  static boolean arrivingScan(RelNode plan) {
    RelNode node = plan;
    while (node instanceof Sort || node instanceof Project) {
      if (node instanceof Project p && !plainExpressions(p.getProjects())) {
        return false;
      }
      node = node.getInput(0);
    }
    return node instanceof Aggregate aggregate && anyOrder(aggregate)
        && plainBelow(aggregate.getInput()) && scans(aggregate.getInput()) == 1;
  }

  private static int scans(RelNode node) {
    if (node instanceof TableScan) {
      return 1;
    }
    return node.getInputs().stream().mapToInt(ScanOrder::scans).sum();
  }

  private static boolean anyOrder(Aggregate aggregate) {
    if (aggregate.getGroupType() != Aggregate.Group.SIMPLE) {
      return false;
    }
    for (AggregateCall call : aggregate.getAggCallList()) {
      SqlKind kind = call.getAggregation().getKind();
      if (!ANY_ORDER.contains(kind) || call.isDistinct() || call.hasFilter()
          || !call.getCollation().getFieldCollations().isEmpty()) {
        return false;
      }
      boolean sums = kind == SqlKind.SUM || kind == SqlKind.SUM0 || kind == SqlKind.AVG;
      if (sums && call.getArgList().stream().anyMatch(i -> INEXACT.contains(aggregate.getInput()
          .getRowType().getFieldList().get(i).getType().getSqlTypeName()))) {
        return false;
      }
    }
    return true;
  }

  /** Returns true if {@code node} is filters, projections, inner joins and scans only. */
  private static boolean plainBelow(RelNode node) {
    if (node instanceof TableScan) {
      return true;
    }
    if (node instanceof Project p) {
      return plainExpressions(p.getProjects()) && plainBelow(p.getInput());
    }
    if (node instanceof Filter f) {
      return plainExpressions(List.of(f.getCondition())) && plainBelow(f.getInput());
    }
    if (node instanceof Join j) {
      return j.getJoinType() == JoinRelType.INNER
          && plainExpressions(List.of(j.getCondition()))
          && plainBelow(j.getLeft()) && plainBelow(j.getRight());
    }
    return false;
  }

  private static boolean plainExpressions(List<RexNode> expressions) {
    return !RexOver.containsOver(expressions, null)
        && RexUtil.SubQueryFinder.find(expressions) == null;
  }
}
