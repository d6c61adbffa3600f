package dev.cairn.calcite.sql;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** Combines the table uses of the parts of one query that were translated apart. */
final class TableUses {
  private TableUses() {}

  /**
   * Returns one use per DuckDB relation: the columns any part reads, and only the pruning
   * predicates every part's reads satisfy (a batch one part skips another may need).
   */
  static List<TableUse> merge(List<TableUse> uses) {
    Map<String, TableUse> byRelation = new LinkedHashMap<>();
    for (TableUse use : uses) {
      byRelation.merge(use.duckdbRelation(), use, (a, b) -> {
        TreeSet<Integer> columns = new TreeSet<>(a.columns());
        columns.addAll(b.columns());
        List<PruningPredicate> pruning = new ArrayList<>(a.pruning());
        pruning.retainAll(b.pruning());
        return new TableUse(a.schema(), a.table(), a.version(), a.system(), a.duckdbRelation(),
            columns, pruning);
      });
    }
    return new ArrayList<>(byRelation.values());
  }
}
