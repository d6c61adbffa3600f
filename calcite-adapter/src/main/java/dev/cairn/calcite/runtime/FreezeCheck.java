package dev.cairn.calcite.runtime;

import dev.cairn.calcite.sql.TableUse;
import dev.cairn.client.net.VerifiedHead;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Refuses a query that reads, as a table's current version, a head that has outlived its
 * writer's freshness promise (FROZEN, docs/protocol.md 4.7): the metadata services may be
 * withholding newer versions, and answering from the old one would hide that. Naming a version
 * on purpose ({@code trips$v3}) reads history, which no promise covers, and is allowed.
 */
final class FreezeCheck {
  private FreezeCheck() {}

  /** Throws FROZEN for the first use in {@code uses} that reads an expired head as current. */
  static void check(CatalogSnapshot snapshot, List<TableUse> uses, long nowMillis) {
    Map<String, Long> readAsCurrent = snapshot.headsLookedUp();
    for (TableUse use : uses) {
      Long looked = readAsCurrent.get(use.schema() + "." + use.table());
      if (use.system() || looked == null || looked != use.version()) {
        continue;
      }
      Optional<VerifiedHead> head = snapshot.head(use.schema(), use.table());
      if (head.isPresent() && head.get().version() == use.version()) {
        head.get().checkNotFrozen(nowMillis);
      }
    }
  }
}
