package dev.cairn.calcite.sql;

import java.math.BigDecimal;
import java.util.OptionalLong;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Project;
import org.apache.calcite.rel.core.Sort;
import org.apache.calcite.rel.core.TableScan;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexOver;
import org.apache.calcite.rex.RexUtil;

/**
 * Detects a plain scan with LIMIT: projections (no window functions, no sub-queries) over a
 * LIMIT without ORDER BY over projections over one table scan. Then any LIMIT + OFFSET rows of
 * the table give a correct answer, so the runtime may stop fetching batches once it has that
 * many rows. Anything else (filter, sort, aggregate, join, a parameter as the limit) has none.
 */
final class RowLimit {
  private RowLimit() {}

  static OptionalLong of(RelNode plan) {
    RelNode node = skipProjects(plan);
    if (!(node instanceof Sort)) {
      return OptionalLong.empty();
    }
    Sort sort = (Sort) node;
    if (!sort.getCollation().getFieldCollations().isEmpty()
        || !(skipProjects(sort.getInput()) instanceof TableScan)) {
      return OptionalLong.empty();
    }
    long fetch = literal(sort.fetch);
    long offset = sort.offset == null ? 0 : literal(sort.offset);
    if (fetch < 0 || offset < 0 || fetch > Long.MAX_VALUE - offset) {
      return OptionalLong.empty();
    }
    return OptionalLong.of(fetch + offset);
  }

  private static RelNode skipProjects(RelNode node) {
    while (node instanceof Project) {
      Project p = (Project) node;
      if (RexOver.containsOver(p.getProjects(), null)
          || RexUtil.SubQueryFinder.find(p.getProjects()) != null) {
        return p;
      }
      node = p.getInput();
    }
    return node;
  }

  /** Returns a non-negative integer literal's value, or -1 for anything else. */
  private static long literal(RexNode node) {
    if (!(node instanceof RexLiteral)) {
      return -1;
    }
    BigDecimal value = ((RexLiteral) node).getValueAs(BigDecimal.class);
    try {
      return value == null || value.signum() < 0 ? -1 : value.longValueExact();
    } catch (ArithmeticException e) {
      return -1;
    }
  }
}
