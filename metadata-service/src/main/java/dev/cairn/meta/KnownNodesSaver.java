package dev.cairn.meta;

import java.time.Duration;
import java.util.List;
import java.util.logging.Logger;

/**
 * Writes the registry's nodes to {@link KnownNodesFile}: within {@link #CHECK_EVERY} of a node
 * coming, going or changing its address or zone, at least every {@link #REFRESH_EVERY} while the
 * service runs (so a recorded last-heard time is at most that old), and once more at shutdown.
 */
final class KnownNodesSaver {
  private static final Logger LOG = Logger.getLogger(KnownNodesSaver.class.getName());
  /** How often the registry is asked whether a node came, went or moved. */
  static final Duration CHECK_EVERY = Duration.ofSeconds(1);
  /** Longest time between two saves, to keep the last-heard times fresh. */
  static final Duration REFRESH_EVERY = Duration.ofMinutes(1);

  private final NodeRegistry nodes;
  private final KnownNodesFile file;
  private long lastSaveNanos = System.nanoTime();

  KnownNodesSaver(NodeRegistry nodes, KnownNodesFile file) {
    this.nodes = nodes;
    this.file = file;
  }

  /** Saves if something changed or the last save is {@link #REFRESH_EVERY} old; never throws. */
  synchronized void saveIfDue() {
    save(System.nanoTime() - lastSaveNanos >= REFRESH_EVERY.toNanos());
  }

  /** Saves now, changed or not (at shutdown); never throws. */
  synchronized void saveNow() {
    save(true);
  }

  private void save(boolean evenIfUnchanged) {
    try {
      List<KnownNodesFile.Known> known =
          nodes.takeKnownNodes(System.currentTimeMillis(), evenIfUnchanged);
      if (known != null) {
        file.save(known);
        lastSaveNanos = System.nanoTime();
      }
    } catch (RuntimeException e) {
      // A scheduled task that throws is cancelled for good; the nodes stay in memory.
      LOG.warning("cannot save the known nodes (they stay in memory): " + e.getMessage());
    }
  }
}
