package dev.cairn.client.heads;

import static java.util.Objects.requireNonNull;

import dev.cairn.client.net.VerifiedHead;
import dev.cairn.wire.ContentId;
import dev.cairn.wire.crypto.PublicKey;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Per table (writer key, schema, table): the newest verified head seen (with the longest-valid
 * head timestamp seen for it, kept in memory only), and the head id seen for each of the most
 * recent {@link #VERSIONS_PER_TABLE_MAX} versions. An id, once recorded for
 * a version, is never replaced: a different id for that version is a {@link Conflict} (a fork),
 * reported to the caller and not recorded, so nothing can silently switch what was seen.
 *
 * <p>A writer also keeps the signed heads of its own recent versions ({@link #keep}, at most
 * {@link #KEPT_PER_TABLE_MAX} per table): with them it can bring a metadata service that missed
 * versions up to date, one signed version after the other, when no other service that holds
 * them is reachable (docs/protocol.md 9.5.1). Readers keep none.
 *
 * <p>Bounded: at most {@link #TABLES_MAX} tables (more are not recorded, and {@link #observe}
 * says so) and {@link #VERSIONS_PER_TABLE_MAX} ids per table (the oldest are forgotten). Not
 * thread-safe: owners synchronize.
 */
public final class SeenHeads {
  /** Most tables remembered. */
  public static final int TABLES_MAX = 10_000;
  /** Most version ids remembered per table; older versions' ids are forgotten first. */
  public static final int VERSIONS_PER_TABLE_MAX = 1_000;
  /** Most signed heads a writer keeps per table ({@link #keep}); older ones are forgotten. */
  public static final int KEPT_PER_TABLE_MAX = 32;

  /** A table: the key that signs it, its publisher name and its name. */
  public record TableKey(PublicKey writer, String schema, String table) {
    public TableKey {
      requireNonNull(writer, "writer");
      requireNonNull(schema, "schema");
      requireNonNull(table, "table");
    }

    /** Returns the key of {@code head}'s table. */
    public static TableKey of(VerifiedHead head) {
      return new TableKey(head.signed().manifest().writerKey(), head.schema(), head.table());
    }
  }

  /**
   * One table's record: its newest head, the ids of the versions seen, by version, and the
   * signed heads kept on purpose ({@link #keep}), oldest first.
   */
  public record Table(VerifiedHead newest, NavigableMap<Long, ContentId> ids,
      List<VerifiedHead> kept) {
    public Table {
      requireNonNull(newest, "newest");
      ids = Collections.unmodifiableNavigableMap(new TreeMap<>(ids));
      kept = List.copyOf(kept);
    }
  }

  /** A version seen with one id and now offered with another. */
  public record Conflict(TableKey table, long version, ContentId seen, ContentId offered) {}

  /** What {@link #observe} did. */
  public enum Outcome {
    /** Already known; nothing changed. */
    UNCHANGED,
    /** Recorded something new. */
    CHANGED,
    /** A different id is already recorded for that version: a fork; nothing recorded. */
    CONFLICT,
    /** The table is new and {@link #TABLES_MAX} are already remembered; nothing recorded. */
    FULL
  }

  private final Map<TableKey, VerifiedHead> newest = new LinkedHashMap<>();
  private final Map<TableKey, TreeMap<Long, ContentId>> ids = new LinkedHashMap<>();
  private final Map<TableKey, TreeMap<Long, VerifiedHead>> kept = new LinkedHashMap<>();

  /** Returns the id seen for version {@code version} of {@code table}, if remembered. */
  public Optional<ContentId> idAt(TableKey table, long version) {
    TreeMap<Long, ContentId> seen = ids.get(table);
    return Optional.ofNullable(seen == null ? null : seen.get(version));
  }

  /** Returns the newest head seen of {@code table}. */
  public Optional<VerifiedHead> newest(TableKey table) {
    return Optional.ofNullable(newest.get(table));
  }

  /** Returns the id recorded for {@code head}'s version if it differs from {@code head}'s. */
  public Optional<Conflict> conflict(VerifiedHead head) {
    TableKey key = TableKey.of(head);
    return idAt(key, head.version()).filter(id -> !id.equals(head.id()))
        .map(id -> new Conflict(key, head.version(), id, head.id()));
  }

  /** Records {@code head} as seen unless it conflicts with what was seen before. */
  public Outcome observe(VerifiedHead head) {
    TableKey key = TableKey.of(head);
    if (conflict(head).isPresent()) {
      return Outcome.CONFLICT;
    }
    if (!newest.containsKey(key) && newest.size() >= TABLES_MAX) {
      return Outcome.FULL;
    }
    boolean changed = false;
    VerifiedHead known = newest.get(key);
    if (known == null || known.version() < head.version()) {
      newest.put(key, head);
      changed = true;
    } else if (known.version() == head.version() && known != VerifiedHead.newer(known, head)) {
      // The same head (no conflict) with a longer-valid timestamp: held so a reader serving
      // it when the services fall behind honours the latest promise it saw. Timestamps are
      // not part of what state files record, so this is no change for them.
      newest.put(key, head);
    }
    TreeMap<Long, ContentId> seen = ids.computeIfAbsent(key, k -> new TreeMap<>());
    // A version older than every one kept in a full window would be evicted at once: adding
    // it changes nothing, and saying it did would rewrite the state file on every query.
    boolean evictedAtOnce = seen.size() >= VERSIONS_PER_TABLE_MAX
        && head.version() < seen.firstKey();
    if (!evictedAtOnce && seen.putIfAbsent(head.version(), head.id()) == null) {
      changed = true;
      while (seen.size() > VERSIONS_PER_TABLE_MAX) {
        seen.pollFirstEntry();
      }
    }
    return changed ? Outcome.CHANGED : Outcome.UNCHANGED;
  }

  /**
   * Records {@code head} (see {@link #observe}) and keeps its signed head, so that the writer
   * that published it can hand it to a metadata service that lacks it; the oldest kept head
   * goes beyond {@link #KEPT_PER_TABLE_MAX}. A head that conflicts with an id seen, or of a
   * table not recorded, is not kept; returns what {@link #observe} did.
   */
  public Outcome keep(VerifiedHead head) {
    Outcome outcome = observe(head);
    if (outcome == Outcome.CONFLICT || outcome == Outcome.FULL) {
      return outcome;
    }
    TreeMap<Long, VerifiedHead> heads = kept.computeIfAbsent(TableKey.of(head),
        k -> new TreeMap<>());
    if (heads.putIfAbsent(head.version(), head) == null) {
      outcome = Outcome.CHANGED;
      while (heads.size() > KEPT_PER_TABLE_MAX) {
        heads.pollFirstEntry();
      }
    }
    return outcome;
  }

  /** Returns the signed heads kept of {@code table} ({@link #keep}), oldest first. */
  public List<VerifiedHead> kept(TableKey table) {
    TreeMap<Long, VerifiedHead> heads = kept.get(table);
    return heads == null ? List.of() : List.copyOf(heads.values());
  }

  /**
   * Records a version id seen without its signed head (read back from a state file, or merged
   * from another process); a conflicting id is returned and not recorded.
   */
  Optional<Conflict> observeId(TableKey table, long version, ContentId id) {
    TreeMap<Long, ContentId> seen = ids.get(table);
    if (seen == null) {
      return Optional.empty(); // only tables with a signed newest head are remembered
    }
    ContentId known = seen.get(version);
    if (known != null && !known.equals(id)) {
      return Optional.of(new Conflict(table, version, known, id));
    }
    if (known == null && version < newest.get(table).version()) {
      seen.put(version, id);
      while (seen.size() > VERSIONS_PER_TABLE_MAX) {
        seen.pollFirstEntry();
      }
    }
    return Optional.empty();
  }

  /**
   * Absorbs everything {@code other} remembers; where both remember a different id for one
   * version, this one's is kept and the conflict returned.
   */
  public List<Conflict> merge(SeenHeads other) {
    List<Conflict> conflicts = new ArrayList<>();
    for (Table table : other.tables()) {
      if (observe(table.newest()) == Outcome.CONFLICT) {
        conflict(table.newest()).ifPresent(conflicts::add);
        continue;
      }
      TableKey key = TableKey.of(table.newest());
      for (VerifiedHead head : table.kept()) {
        if (keep(head) == Outcome.CONFLICT) {
          conflict(head).ifPresent(conflicts::add);
        }
      }
      table.ids().forEach((version, id) -> observeId(key, version, id)
          .ifPresent(conflicts::add));
    }
    return conflicts;
  }

  /** Returns every table remembered. */
  public List<Table> tables() {
    List<Table> all = new ArrayList<>(newest.size());
    newest.forEach((key, head) -> all.add(new Table(head, ids.get(key), kept(key))));
    return all;
  }

  /** Returns how many tables are remembered. */
  public int size() {
    return newest.size();
  }
}
