package dev.cairn.calcite.runtime;

import dev.cairn.client.heads.HeadStateFile;
import dev.cairn.client.heads.SeenHeads;
import dev.cairn.client.net.Fork;
import dev.cairn.client.net.VerifiedHead;
import dev.cairn.wire.CairnException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Remembers, per table, the newest head and the head id of each version this reader has seen,
 * so that a metadata service that went backwards (rolled back, restored from an old backup, or
 * withholding new heads) is noticed, and so is a fork: the same version with another head id
 * is reported ({@link #fork}), never silently switched to. A signed head cannot be forged, but
 * an old one can be replayed, and a writer's key can sign two different versions 21.
 *
 * <p>Tables are keyed by writer key as well as by name: the writer key is the authority over a
 * table, and two unrelated clusters may both have an {@code alice.orders}. Without a cache
 * directory the tracker lives in memory ({@link #inMemory}), owned by one runtime and forgotten
 * when it closes; with one ({@link #open}) it is kept in {@code <cache.dir>/heads-seen} as
 * signed heads ({@link HeadStateFile}), re-verified on load, so a restarted reader never goes
 * below what it saw.
 *
 * <p>The newest head it keeps is the writer-signed head itself, verified when it arrived (and
 * again when loaded from the file), so when every reachable service offers an older version
 * than this reader saw (a service restarted behind while the one holding the newest head is
 * down) the reader answers from the head it holds ({@link #newerThan}) rather than fail or go
 * back: the services can withhold that head but not take back its signature. One head per table
 * ({@link SeenHeads}), so what is held stays bounded by the tables remembered.
 */
public final class HeadTracker {
  private static final Logger LOG = Logger.getLogger(HeadTracker.class.getName());
  /** The file a tracker keeps in a reader's cache directory. */
  public static final String FILE_NAME = "heads-seen";

  private final HeadStateFile file;
  private final SeenHeads seen;
  /** Per table, the held version last logged as served in place of an older offer. */
  private final Map<SeenHeads.TableKey, Long> reportedBehind = new HashMap<>();

  private HeadTracker(HeadStateFile file) {
    this.file = file;
    this.seen = file == null ? new SeenHeads() : file.load();
  }

  /** Returns a tracker kept in memory only (bounded like the file: see {@link SeenHeads}). */
  public static HeadTracker inMemory() {
    return new HeadTracker(null);
  }

  /** Returns a tracker kept in {@code directory}/{@value #FILE_NAME}, loading what it holds. */
  public static HeadTracker open(Path directory) {
    return new HeadTracker(new HeadStateFile(directory.resolve(FILE_NAME)));
  }

  /**
   * Returns the newest head of {@code head}'s table seen before, if its version is higher: the
   * signed head as verified then, with the longest-valid timestamp seen for it.
   */
  public synchronized Optional<VerifiedHead> newerThan(VerifiedHead head) {
    return seen.newest(SeenHeads.TableKey.of(head))
        .filter(newest -> newest.version() > head.version());
  }

  /**
   * Logs, once per table and held version, that the services offered only {@code offered}
   * and this reader answers from {@code held}: the services are behind, which an operator
   * should know even though queries succeed.
   */
  public synchronized void reportBehind(VerifiedHead offered, VerifiedHead held) {
    SeenHeads.TableKey key = SeenHeads.TableKey.of(held);
    // Only tables the tracker remembers come here, so this map is bounded like it.
    Long last = reportedBehind.put(key, held.version());
    if (last == null || last != held.version()) {
      LOG.warning("metadata services offer version " + offered.version() + " of "
          + held.schema() + "." + held.table() + " but this reader holds the signed version "
          + held.version() + " it verified before; answering from version " + held.version()
          + " (a restarted or rolled-back service is behind)");
    }
  }

  /**
   * Returns the FORK error if {@code head} has another id than the one seen for its version
   * ({@code where} says where it came from, for the message). A newer version is never a fork
   * here, even if it descends from another branch: a successor is how a writer resolves one.
   */
  public synchronized Optional<CairnException> fork(VerifiedHead head, String where) {
    return seen.conflict(head).map(conflict -> Fork.error(head.schema(), head.table(),
        head.version(), Fork.describe(conflict.seen(), "here (seen before by this reader)")
            + " and " + Fork.describe(conflict.offered(), where)));
  }

  /**
   * Records every head of {@code heads} that does not contradict what was seen, and writes the
   * file, if there is one and anything changed.
   */
  public synchronized void observeAll(List<VerifiedHead> heads) {
    boolean changed = false;
    for (VerifiedHead head : heads) {
      SeenHeads.Outcome outcome = seen.observe(head); // CONFLICT: a fork, left unrecorded
      changed |= outcome == SeenHeads.Outcome.CHANGED;
      if (outcome == SeenHeads.Outcome.FULL) {
        LOG.warning("head tracker is full (" + SeenHeads.TABLES_MAX + " tables); not "
            + "remembering " + head.schema() + "." + head.table());
      }
    }
    if (changed && file != null) {
      seen.merge(file.update(seen));
    }
  }
}
