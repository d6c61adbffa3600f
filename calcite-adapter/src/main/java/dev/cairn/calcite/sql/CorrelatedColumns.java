package dev.cairn.calcite.sql;

import java.util.List;
import java.util.Set;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.CorrelationId;
import org.apache.calcite.rex.RexCorrelVariable;
import org.apache.calcite.rex.RexFieldAccess;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexShuttle;
import org.apache.calcite.rex.RexSubQuery;
import org.apache.calcite.util.ImmutableBitSet;

/**
 * Finds which fields of a plan node's input row the sub-queries in its expressions read
 * through the correlation variables the node sets (Q20's {@code l_partkey = ps_partkey} reads
 * {@code ps_partkey} of the row being filtered), looking into nested sub-queries too.
 */
final class CorrelatedColumns {
  private final Set<CorrelationId> ids;
  private final ImmutableBitSet.Builder fields = ImmutableBitSet.builder();
  private boolean wholeRow;

  private CorrelatedColumns(Set<CorrelationId> ids) {
    this.ids = ids;
  }

  /**
   * Returns the fields of {@code node}'s input that the sub-queries in {@code expressions}
   * read through {@code node}'s correlation variables, or null if one reads the whole row.
   */
  static ImmutableBitSet of(RelNode node, List<RexNode> expressions) {
    CorrelatedColumns found = new CorrelatedColumns(node.getVariablesSet());
    RexShuttle visitor = found.visitor();
    for (RexNode e : expressions) {
      e.accept(visitor);
    }
    return found.wholeRow ? null : found.fields.build();
  }

  private RexShuttle visitor() {
    return new RexShuttle() {
      @Override
      public RexNode visitFieldAccess(RexFieldAccess access) {
        if (access.getReferenceExpr() instanceof RexCorrelVariable v && ids.contains(v.id)) {
          fields.set(access.getField().getIndex());
          return access;
        }
        return super.visitFieldAccess(access);
      }

      @Override
      public RexNode visitCorrelVariable(RexCorrelVariable variable) {
        // Reached only when not under a field access: the whole row is used.
        wholeRow |= ids.contains(variable.id);
        return variable;
      }

      @Override
      public RexNode visitSubQuery(RexSubQuery subQuery) {
        visitPlan(subQuery.rel, this);
        return super.visitSubQuery(subQuery);
      }
    };
  }

  private static void visitPlan(RelNode node, RexShuttle visitor) {
    node.accept(visitor);
    for (RelNode input : node.getInputs()) {
      visitPlan(input, visitor);
    }
  }
}
