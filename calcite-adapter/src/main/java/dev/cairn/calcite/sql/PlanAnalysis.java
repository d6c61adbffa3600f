package dev.cairn.calcite.sql;

import dev.cairn.calcite.CatalogTable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.plan.hep.HepMatchOrder;
import org.apache.calcite.plan.hep.HepPlanner;
import org.apache.calcite.plan.hep.HepProgram;
import org.apache.calcite.plan.hep.HepProgramBuilder;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Filter;
import org.apache.calcite.rel.core.Project;
import org.apache.calcite.rel.core.TableScan;
import org.apache.calcite.rel.rules.CoreRules;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexShuttle;
import org.apache.calcite.rex.RexSubQuery;
import org.apache.calcite.rex.RexUtil;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.util.ImmutableBitSet;

/**
 * Finds, for a logical plan, every table version it reads, the columns it reads from each, and
 * pruning predicates that hold for every row it needs from each.
 *
 * <p>Columns come from the plan as converted and trimmed: the filters and the projection right
 * above a scan (the field trimmer puts one there) name the columns used; with any other
 * consumer, all columns count. A sub-query in such a filter or projection adds the columns it
 * reads through their correlation variables ({@link CorrelatedColumns}); an EXISTS sub-query's
 * own output ({@code SELECT *}) is not read, only its conditions (TPC-H Q4, Q21 and Q22 loaded
 * every column of lineitem or orders before).
 *
 * <p>Pruning predicates come from a rewritten copy of the plan: a small {@link HepPlanner}
 * program pushes filters through joins, projections, aggregates and set operations down to the
 * scans and simplifies conditions (ranges and IN lists become Sargs); constants are folded by
 * {@link ConstantFolder} rather than Calcite's code-generating executor; then the conjuncts of
 * a filter directly on a scan hold
 * for every row of that scan the rewritten (equivalent) plan reads. The rules are
 * semantics-preserving, so they never push a filter into the null-producing side of an outer
 * join, and a predicate under OR is not a conjunct. A table scanned several times keeps only
 * predicates that every one of its scans has. Sub-queries (kept as {@link RexSubQuery}) are
 * analysed the same way, each on its own. The DuckDB SQL is written from the plan before
 * rewriting, which is measured to translate cleanly.
 */
final class PlanAnalysis {
  /**
   * Most rule applications the pushdown program makes per plan (and per sub-query). At the cap
   * the planner stops early: the analysis stays sound but may find fewer pruning predicates.
   */
  static final int HEP_MATCH_LIMIT = 2_000;

  private static final HepProgram PUSHDOWN = new HepProgramBuilder()
      .addMatchLimit(HEP_MATCH_LIMIT)
      .addMatchOrder(HepMatchOrder.TOP_DOWN)
      .addRuleCollection(List.of(
          CoreRules.FILTER_REDUCE_EXPRESSIONS, // simplifies only: no executor is set
          CoreRules.FILTER_MERGE,
          CoreRules.FILTER_INTO_JOIN,
          CoreRules.JOIN_CONDITION_PUSH,
          CoreRules.EXPAND_FILTER_DISJUNCTION_LOCAL,
          CoreRules.FILTER_PROJECT_TRANSPOSE,
          CoreRules.FILTER_AGGREGATE_TRANSPOSE,
          CoreRules.FILTER_SET_OP_TRANSPOSE))
      .build();

  /** What the query does with one table version, gathered over all of its scans. */
  private static final class Use {
    final CatalogRelTable table;
    final TreeSet<Integer> columns = new TreeSet<>();
    List<PruningPredicate> pruning;

    Use(CatalogRelTable table) {
      this.table = table;
    }
  }

  private final Map<List<Object>, Use> uses = new LinkedHashMap<>();

  private PlanAnalysis() {}

  /** Returns the table uses of {@code plan}, in order of first appearance. */
  static List<TableUse> analyse(RelNode plan) {
    PlanAnalysis analysis = new PlanAnalysis();
    analysis.collectColumns(plan, new ArrayList<>(), null);
    analysis.collectPruning(plan);
    List<TableUse> out = new ArrayList<>();
    for (Use u : analysis.uses.values()) {
      CatalogTable t = u.table.table();
      out.add(new TableUse(t.schema(), t.table(), t.version(), u.table.system(),
          u.table.duckdbRelation(), u.columns,
          u.pruning == null ? List.of() : u.pruning));
    }
    return out;
  }

  private Use use(TableScan scan) {
    CatalogRelTable table = scan.getTable().unwrap(CatalogRelTable.class);
    if (table == null) {
      throw new IllegalStateException("scan of a table not from the catalog: " + scan);
    }
    CatalogTable t = table.table();
    List<Object> key = List.of(t.schema(), t.table(), t.version(), table.system());
    return uses.computeIfAbsent(key, k -> new Use(table));
  }

  /** True for a scan of a WITH item DuckDB evaluates: its own translation reads the tables. */
  private static boolean withItem(RelNode node) {
    return node instanceof TableScan scan && scan.getTable().unwrap(WithItemTable.class) != null;
  }

  private void collectColumns(RelNode node, List<RelNode> ancestors, RelNode unreadRoot) {
    if (node instanceof TableScan && !withItem(node)) {
      usedColumns(use((TableScan) node), node.getRowType().getFieldCount(), ancestors,
          unreadRoot);
    }
    node.accept(new RexShuttle() {
      @Override
      public RexNode visitSubQuery(RexSubQuery subQuery) {
        // EXISTS reads no column of its sub-query's rows, only whether there is one.
        collectColumns(subQuery.rel, new ArrayList<>(),
            subQuery.getKind() == SqlKind.EXISTS ? subQuery.rel : null);
        return super.visitSubQuery(subQuery);
      }
    });
    ancestors.add(node);
    for (RelNode input : node.getInputs()) {
      collectColumns(input, ancestors, unreadRoot);
    }
    ancestors.remove(ancestors.size() - 1);
  }

  /**
   * Adds the columns a scan's consumers read: the conditions of the filters right above it
   * plus the projection above those, and the columns of the row their sub-queries read
   * through the correlation variables those consumers set. Any other consumer counts as
   * reading every column. {@code unreadRoot} is the root of an EXISTS sub-query's plan (or
   * null), whose output nobody reads: if the consumers reach it, a filter there is all its
   * scan's rows are read for, and a projection there that passes its input through ({@code
   * SELECT *}, written as {@code *}, so a view with fewer columns still serves it) reads
   * nothing.
   */
  private static void usedColumns(Use use, int fieldCount, List<RelNode> ancestors,
      RelNode unreadRoot) {
    ImmutableBitSet.Builder used = ImmutableBitSet.builder();
    for (int i = ancestors.size() - 1; i >= 0; i--) {
      RelNode consumer = ancestors.get(i);
      boolean unread = i == 0 && consumer == unreadRoot;
      List<RexNode> expressions;
      if (consumer instanceof Filter) {
        expressions = List.of(((Filter) consumer).getCondition());
      } else if (consumer instanceof Project) {
        expressions = ((Project) consumer).getProjects();
        if (unread && RexUtil.isIdentity(expressions, consumer.getInput(0).getRowType())) {
          expressions = List.of();
        }
      } else {
        break;
      }
      if (RexUtil.SubQueryFinder.find(expressions) != null) {
        ImmutableBitSet correlated = CorrelatedColumns.of(consumer, expressions);
        if (correlated == null) {
          break; // a sub-query may read the whole row
        }
        used.addAll(correlated);
      }
      used.addAll(RelOptUtil.InputFinder.bits(expressions, null));
      if (consumer instanceof Project || unread) {
        used.build().forEach(use.columns::add);
        return;
      }
    }
    for (int i = 0; i < fieldCount; i++) {
      use.columns.add(i);
    }
  }

  private void collectPruning(RelNode plan) {
    HepPlanner planner = new HepPlanner(PUSHDOWN);
    planner.setRoot(plan);
    collectPruning(planner.findBestExp(), null);
  }

  private void collectPruning(RelNode node, RelNode parent) {
    if (node instanceof TableScan && !withItem(node)) {
      Use u = use((TableScan) node);
      List<PruningPredicate> found = parent instanceof Filter
          ? PruningPredicates.of(((Filter) parent).getCondition(), u.table.table().columns())
          : List.of();
      if (u.pruning == null) {
        u.pruning = found;
      } else {
        List<PruningPredicate> common = new ArrayList<>(u.pruning);
        common.retainAll(found);
        u.pruning = common;
      }
    }
    forEachSubQuery(node, this::collectPruning);
    for (RelNode input : node.getInputs()) {
      collectPruning(input, node);
    }
  }

  /** Calls {@code action} on the plan of every sub-query in {@code node}'s own expressions. */
  private static void forEachSubQuery(RelNode node, java.util.function.Consumer<RelNode> action) {
    node.accept(new RexShuttle() {
      @Override
      public RexNode visitSubQuery(RexSubQuery subQuery) {
        action.accept(subQuery.rel);
        return super.visitSubQuery(subQuery);
      }
    });
  }
}
