package dev.cairn.calcite.runtime;

import dev.cairn.client.net.VerifiedHead;
import dev.cairn.wire.ContentId;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Remembers, per table, the highest version this process has seen, so that a metadata service
 * that went backwards (rolled back, restored from an old backup, or withholding new heads) is
 * noticed: a signed head cannot be forged, but an old one can be replayed.
 *
 * <p>Tables are keyed by writer key as well as by name: the writer key is the authority over a
 * table, and two unrelated clusters may both have an {@code alice.orders}. One tracker is shared
 * by the whole JVM ({@link #JVM}); tests may create their own.
 */
public final class HeadTracker {
  /** The tracker every session of this JVM shares unless told otherwise. */
  public static final HeadTracker JVM = new HeadTracker();

  /** The highest version seen of one table and its manifest id. */
  public record Seen(long version, ContentId manifestId) { }

  private record Key(String writer, String schema, String table) { }

  private final Map<Key, Seen> highest = new HashMap<>();

  /** Returns the highest version of {@code head}'s table seen before, if higher than it. */
  public synchronized Optional<Seen> newerThan(VerifiedHead head) {
    Seen seen = highest.get(key(head));
    return seen != null && seen.version() > head.version() ? Optional.of(seen)
        : Optional.empty();
  }

  /** Records {@code head} as seen. */
  public synchronized void observe(VerifiedHead head) {
    highest.merge(key(head), new Seen(head.version(), head.id()),
        (a, b) -> a.version() >= b.version() ? a : b);
  }

  /** Returns the highest version seen of {@code schema.table} by any writer, if any. */
  public synchronized Optional<Seen> highest(String schema, String table) {
    Seen best = null;
    for (Map.Entry<Key, Seen> e : highest.entrySet()) {
      if (e.getKey().schema().equals(schema) && e.getKey().table().equals(table)
          && (best == null || e.getValue().version() > best.version())) {
        best = e.getValue();
      }
    }
    return Optional.ofNullable(best);
  }

  private static Key key(VerifiedHead head) {
    return new Key(head.signed().manifest().writerKey().toHex(), head.schema(), head.table());
  }
}
