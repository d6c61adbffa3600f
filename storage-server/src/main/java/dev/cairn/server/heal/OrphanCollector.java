package dev.cairn.server.heal;

import dev.cairn.wire.ContentId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.ToLongFunction;

/**
 * Decides which held blobs are <b>orphans</b>: blobs no signed manifest names, which a writer
 * stored (or last asked for) longer than the orphan grace ago. Pure: no I/O.
 *
 * <p>Such a blob is what a publish that failed halfway leaves behind, still charged to its
 * writer. The grace covers a publish in flight (blobs stored, head not yet published) and a
 * resumed one (a writer's HAS restarts a blob's grace, so the resume has all of it to publish).
 *
 * <p>Nothing a manifest names is ever an orphan, kept version or not ({@code keep-versions}
 * drops those by its own rule), and neither is a blob this collector once saw named: a
 * metadata service that later withholds a table cannot make this donor drop its history. The
 * caller asks only when its view is whole (every table and version read, from every
 * configured metadata service), so a table it could not read is never taken for no table.
 */
final class OrphanCollector {
  /** Held blobs some manifest named since this donor started; trimmed to the held ones. */
  private final Set<ContentId> seenNamed = new HashSet<>();

  /**
   * Returns the blobs of {@code held} that {@code named} does not name, that were never seen
   * named before, and that nobody stored or asked for since {@code cutoffMillis} (by {@code
   * lastWantedMillis}, -1 for a blob gone meanwhile); remembers the named ones.
   */
  List<ContentId> orphans(List<ContentId> held, Set<ContentId> named,
      ToLongFunction<ContentId> lastWantedMillis, long cutoffMillis) {
    seenNamed.retainAll(new HashSet<>(held));
    List<ContentId> orphans = new ArrayList<>();
    for (ContentId id : held) {
      if (named.contains(id)) {
        seenNamed.add(id);
        continue;
      }
      if (seenNamed.contains(id)) {
        continue;
      }
      long wanted = lastWantedMillis.applyAsLong(id);
      if (wanted >= 0 && wanted < cutoffMillis) {
        orphans.add(id);
      }
    }
    return orphans;
  }
}
