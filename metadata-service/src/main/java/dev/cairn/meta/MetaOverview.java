package dev.cairn.meta;

import dev.cairn.meta.TableRegistry.TableSummary;
import dev.cairn.wire.message.MetaMessages.NodeInfo;
import java.util.ArrayList;
import java.util.List;

/**
 * One moment of a metadata service as its status page and metrics show it: every known node,
 * and every table with the redundancy health of its newest version.
 *
 * @param nodes every node, live or not, by key
 * @param tables every table, by schema and name
 */
record MetaOverview(List<NodeInfo> nodes, List<TableHealth> tables) {
  /**
   * A table and how its newest version's blobs are held now.
   *
   * @param summary the table
   * @param shortOfCopies blobs with fewer live holders than the table asks for
   * @param unheld blobs with no live holder at all: unreadable until a holder returns
   */
  record TableHealth(TableSummary summary, int shortOfCopies, int unheld) {
    /** Returns {@code schema.table}, the table's label in the metrics. */
    String name() {
      return summary.schema() + "." + summary.table();
    }
  }

  /** Takes the overview now. */
  static MetaOverview take(NodeRegistry nodes, TableRegistry tables) {
    List<TableHealth> health = new ArrayList<>();
    for (TableSummary summary : tables.summaries()) {
      int[] holders = nodes.liveHolderCounts(summary.blobs());
      int shortOf = 0;
      int unheld = 0;
      for (int count : holders) {
        shortOf += count < summary.replicas() ? 1 : 0;
        unheld += count == 0 ? 1 : 0;
      }
      health.add(new TableHealth(summary, shortOf, unheld));
    }
    return new MetaOverview(nodes.nodes(), health);
  }
}
