package dev.cairn.meta;

import static java.util.Objects.requireNonNull;

import dev.cairn.wire.CairnException;
import dev.cairn.wire.ContentId;
import dev.cairn.wire.ErrorCode;
import dev.cairn.wire.crypto.PublicKey;
import dev.cairn.wire.erasure.Stripe;
import dev.cairn.wire.manifest.BatchRef;
import dev.cairn.wire.manifest.HeadTimestamp;
import dev.cairn.wire.manifest.Manifest;
import dev.cairn.wire.manifest.ManifestCodec;
import dev.cairn.wire.manifest.SignedManifest;
import dev.cairn.wire.message.MetaMessages.HeadOk;
import dev.cairn.wire.message.MetaMessages.TableHead;
import dev.cairn.wire.message.MetaMessages.TimestampOk;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.logging.Logger;

/**
 * Names and table histories: the state the head log records, and the rules that guard it.
 *
 * <p>Rules: a name belongs to the first key that claims it with a valid signature, and a key
 * holds at most one name. A table is a writer key and a table name; its versions form a hash
 * chain: a first version has no parent, every later one names the current head's manifest id
 * as its parent and has a higher version number. A writer must hold a name to publish, so
 * that readers can address its tables as {@code name.table}.
 *
 * <p>Design: every change is checked, then written to the {@link HeadLog} and forced to disk,
 * and only then applied in memory, all under this object's lock; so memory never shows a
 * change the disk could lose, and replay after a restart goes through the very same checks.
 * Peers' data is ingested through them as well, so a peer cannot make this service accept
 * anything a writer could not publish here directly.
 *
 * <p>Forks: a writer key can sign two different manifests for one version (a rolled-back
 * service, a copied key). A direct publish of the second is refused (STALE_VERSION), but when
 * one arrives from a peer or the log ({@link #ingest}) both are kept, logged as an error once,
 * and served together for that version, so that no reply names one of them the newest and
 * every reader gets the signed proof. A successor of either (a higher version whose parent is
 * one of them) makes the table linear again.
 */
final class TableRegistry {
  /** A version of a table, for logging each fork once. */
  private record ForkKey(TableKey table, long version) {}

  private static final Logger LOG = Logger.getLogger(TableRegistry.class.getName());
  /** Most different heads kept for one version: a fork needs two; more is a writer gone mad. */
  static final int FORK_HEADS_MAX = 4;

  private final Map<String, NameClaim> claimsByName = new HashMap<>();
  private final Map<PublicKey, NameClaim> claimsByKey = new HashMap<>();
  /** Per table, per version, its heads: one, or several when the writer forked it. */
  private final Map<TableKey, NavigableMap<Long, List<SignedManifest>>> tables = new HashMap<>();
  private final Set<ForkKey> loggedForks = new HashSet<>();
  /** Every batch of every version held here that has a chunk root, by blob id: audits. */
  private final Map<ContentId, BatchRef> auditable = new HashMap<>();
  /** Shards larger than an auditor reads whole, from other writers' manifests: never audited. */
  private final Set<ContentId> unauditableShards = new HashSet<>();
  private final HeadTimestamps timestamps = new HeadTimestamps();
  private HeadLog log; // null while replaying

  /** Opens the log at {@code logFile}, replays it through the rules, and returns the state. */
  static TableRegistry open(java.nio.file.Path logFile) {
    TableRegistry registry = new TableRegistry();
    HeadLog log = HeadLog.open(logFile, registry::replay);
    registry.log = log;
    return registry;
  }

  private void replay(HeadLog.Entry entry) {
    if (entry instanceof HeadLog.ClaimEntry claim) {
      claim(NameClaim.of(claim.claim()));
    } else if (entry instanceof HeadLog.ManifestEntry manifest) {
      ingest(ManifestCodec.decode(manifest.encoded()));
    } else if (entry instanceof HeadLog.TimestampEntry timestamp) {
      timestamp(HeadTimestamp.decode(timestamp.encoded()));
    }
  }

  /**
   * Binds {@code claim}'s name to its key. Idempotent for the same key and name; NAME_TAKEN if
   * the name is another key's or the key holds another name; BAD_SIGNATURE if forged.
   */
  synchronized void claim(NameClaim claim) {
    claim.verify();
    NameClaim owner = claimsByName.get(claim.name());
    if (owner != null) {
      if (owner.writerKey().equals(claim.writerKey())) {
        return;
      }
      throw new CairnException(ErrorCode.NAME_TAKEN, "the name '" + claim.name()
          + "' belongs to another writer key (" + owner.writerKey().fingerprint() + ")");
    }
    NameClaim held = claimsByKey.get(claim.writerKey());
    if (held != null) {
      throw new CairnException(ErrorCode.NAME_TAKEN, "writer key "
          + claim.writerKey().fingerprint() + " already holds the name '" + held.name()
          + "'; a key holds at most one name, use a new key for another name");
    }
    if (log != null) {
      log.appendClaim(claim);
    }
    claimsByName.put(claim.name(), claim);
    claimsByKey.put(claim.writerKey(), claim);
  }

  /**
   * Makes {@code signed} its table's new head, after checking the writer's name, the version
   * order and the hash chain. Re-publishing a current head is an idempotent success. When the
   * newest version is forked, a successor of any of its heads resolves the fork.
   */
  synchronized HeadOk publish(SignedManifest signed) {
    Manifest manifest = signed.manifest();
    NavigableMap<Long, List<SignedManifest>> history = tables.get(TableKey.of(manifest));
    List<SignedManifest> tips = history == null ? List.of() : history.lastEntry().getValue();
    if (contains(tips, signed.id())) {
      return new HeadOk(signed.id(), manifest.version());
    }
    checkFollows(signed, tips);
    append(signed, history);
    return new HeadOk(signed.id(), manifest.version());
  }

  /**
   * Takes {@code signed} from a peer or from the head log: like {@link #publish}, and also a
   * second head for a version held with another id, when both are validly signed by the
   * writer and the new one's parent is held here: a fork, kept (durably) and served with the
   * other head(s) of that version, so readers get the proof, until a successor resolves it.
   * Returns false if {@code signed} was already held.
   */
  synchronized boolean ingest(SignedManifest signed) {
    Manifest manifest = signed.manifest();
    TableKey key = TableKey.of(manifest);
    NavigableMap<Long, List<SignedManifest>> history = tables.get(key);
    List<SignedManifest> same = history == null ? null : history.get(manifest.version());
    if (same == null) {
      publish(signed);
      return true;
    }
    if (contains(same, signed.id())) {
      return false;
    }
    checkForkParent(signed, history);
    if (same.size() >= FORK_HEADS_MAX) {
      throw new CairnException(ErrorCode.FORK, describe(manifest) + " version "
          + manifest.version() + " already has " + same.size() + " different heads here; "
          + "refusing more");
    }
    append(signed, history);
    if (loggedForks.add(new ForkKey(key, manifest.version()))) {
      LOG.severe("FORK: " + describe(manifest) + " version " + manifest.version() + " has "
          + "different heads signed by its writer: " + ids(history.get(manifest.version()))
          + "; serving all of them and none as the newest until the writer publishes a "
          + "successor of one");
    }
    return true;
  }

  private void checkForkParent(SignedManifest signed, NavigableMap<Long, List<SignedManifest>>
      history) {
    Manifest manifest = signed.manifest();
    ContentId parent = manifest.parentId();
    NavigableMap<Long, List<SignedManifest>> below = history.headMap(manifest.version(), false);
    boolean fits = parent == null ? below.isEmpty()
        : below.values().stream().anyMatch(heads -> contains(heads, parent));
    if (!fits) {
      throw new CairnException(ErrorCode.STALE_VERSION, "version " + manifest.version()
          + " of " + describe(manifest) + " is held here with another id, and its parent "
          + (parent == null ? "(none)" : parent.toShortHex()) + " is not held here");
    }
  }

  /** Logs {@code signed} to disk (unless replaying) and adds it to its table's history. */
  private void append(SignedManifest signed, NavigableMap<Long, List<SignedManifest>> history) {
    Manifest manifest = signed.manifest();
    if (log != null) {
      log.appendManifest(signed.encoded());
    }
    if (history != null && history.lastEntry().getValue().size() > 1
        && manifest.version() > history.lastKey()) {
      LOG.warning(describe(manifest) + ": version " + manifest.version() + " ("
          + signed.id().toShortHex() + ") follows " + manifest.parentId().toShortHex()
          + " and resolves the fork of version " + history.lastKey());
    }
    tables.computeIfAbsent(TableKey.of(manifest), k -> new TreeMap<>())
        .computeIfAbsent(manifest.version(), v -> new ArrayList<>(1)).add(signed);
    for (BatchRef batch : manifest.batches()) {
      if (batch.chunkRoot() != null) {
        auditable.put(batch.id(), batch);
      }
      long shardBytes = batch.shardIds().isEmpty() ? 0
          : Stripe.shardBytes(batch.byteSize(),
              manifest.redundancy().dataShards());
      if (shardBytes > 0 && Stripe.auditable(shardBytes)) {
        // No chunk root for shards (format 3): the auditor reads a shard whole, by its id.
        for (ContentId shard : batch.shardIds()) {
          auditable.put(shard, new BatchRef(shard, shardBytes, 0, null, List.of()));
        }
      } else if (shardBytes > 0 && unauditableShards.addAll(batch.shardIds())) {
        // Our publisher never cuts such shards (docs/protocol.md 4.8); another writer did.
        LOG.warning(describe(manifest) + ": UNAUDITABLE shards: batch "
            + batch.id().toShortHex() + " has shards of " + shardBytes + " bytes, more than"
            + " the " + Stripe.AUDITED_SHARD_BYTES_MAX + " an auditor reads whole; its "
            + batch.shardIds().size() + " shards are never audited");
      }
    }
  }

  private static boolean contains(List<SignedManifest> heads, ContentId id) {
    for (SignedManifest head : heads) {
      if (head.id().equals(id)) {
        return true;
      }
    }
    return false;
  }

  private static String ids(List<SignedManifest> heads) {
    List<String> ids = new ArrayList<>();
    heads.forEach(h -> ids.add(h.id().toShortHex() + ".."));
    return String.join(" and ", ids);
  }

  private static String describe(Manifest manifest) {
    return "table " + manifest.tableName() + " of writer " + manifest.writerKey().fingerprint();
  }

  private void checkWriterHoldsName(Manifest manifest) {
    if (!claimsByKey.containsKey(manifest.writerKey())) {
      throw new CairnException(ErrorCode.UNKNOWN_WRITER, "writer key "
          + manifest.writerKey().fingerprint() + " holds no publisher name; claim a name first");
    }
  }

  private void checkFollows(SignedManifest signed, List<SignedManifest> tips) {
    Manifest manifest = signed.manifest();
    checkWriterHoldsName(manifest);
    String table = describe(manifest);
    if (tips.isEmpty()) {
      if (manifest.parentId() != null) {
        throw new CairnException(ErrorCode.STALE_VERSION, "parent "
            + manifest.parentId().toHex() + " is not the head of " + table
            + ": the table has no version here yet, and a first version has no parent");
      }
      return;
    }
    long headVersion = tips.get(0).manifest().version();
    if (manifest.version() <= headVersion) {
      throw new CairnException(ErrorCode.STALE_VERSION, "version " + manifest.version()
          + " of " + table + " is not newer than the head version " + headVersion);
    }
    ContentId parent = manifest.parentId();
    if (parent == null || !contains(tips, parent)) {
      throw new CairnException(ErrorCode.STALE_VERSION, "parent "
          + (parent == null ? "(none)" : parent.toHex()) + " is not the head "
          + ids(tips) + " (version " + headVersion + ") of " + table);
    }
  }

  /**
   * Keeps {@code timestamp} as the newest of its table's head, after the rules of {@link
   * HeadTimestamps#check} and a claimed name (UNKNOWN_WRITER) and existing table (NOT_FOUND).
   * Repeating the newest one held is an idempotent success.
   */
  synchronized TimestampOk timestamp(HeadTimestamp timestamp) {
    if (!claimsByKey.containsKey(timestamp.writerKey())) {
      throw new CairnException(ErrorCode.UNKNOWN_WRITER, "writer key "
          + timestamp.writerKey().fingerprint() + " holds no publisher name");
    }
    NavigableMap<Long, List<SignedManifest>> history = tables.get(TableKey.of(timestamp));
    if (history == null) {
      throw new CairnException(ErrorCode.NOT_FOUND, "no table " + timestamp.tableName()
          + " of writer " + timestamp.writerKey().fingerprint() + " here");
    }
    // With a forked newest version, the timestamp is checked against the head it names.
    List<SignedManifest> tips = history.lastEntry().getValue();
    SignedManifest head = tips.get(0);
    for (SignedManifest tip : tips) {
      if (tip.id().equals(timestamp.manifestId())) {
        head = tip;
      }
    }
    if (timestamps.check(head, timestamp, System.currentTimeMillis())) {
      if (log != null) {
        log.appendTimestamp(timestamp.encoded());
      }
      timestamps.put(timestamp);
    }
    HeadTimestamp newest = timestamps.newest(head.id());
    return new TimestampOk(head.id(), newest.validUntilMillis());
  }

  /** Returns the newest timestamp held for manifest {@code id}, or null. */
  synchronized HeadTimestamp newestTimestamp(ContentId id) {
    return timestamps.newest(id);
  }

  /** Returns the encoded newest timestamps of those of {@code heads} that have one. */
  synchronized List<byte[]> timestampsFor(List<TableHead> heads) {
    return timestamps.encodedFor(heads);
  }

  /**
   * Returns one version (0 = newest) of {@code schema.table}: one head, or every head of that
   * version when it is forked; NOT_FOUND if absent.
   */
  synchronized List<TableHead> head(String schema, String table, long version) {
    NavigableMap<Long, List<SignedManifest>> history = history(schema, table);
    List<SignedManifest> heads = version == 0 ? history.lastEntry().getValue()
        : history.get(version);
    if (heads == null) {
      throw new CairnException(ErrorCode.NOT_FOUND, "table " + schema + "." + table
          + " has no version " + Long.toUnsignedString(version) + " here (versions "
          + history.firstKey() + " to " + history.lastKey() + ")");
    }
    return toHeads(heads);
  }

  /** Returns every version of {@code schema.table} (each head of a forked one), oldest first. */
  synchronized List<TableHead> versions(String schema, String table) {
    List<TableHead> heads = new ArrayList<>();
    history(schema, table).values().forEach(v -> heads.addAll(toHeads(v)));
    return heads;
  }

  /**
   * Returns the head of every table (every head of a table whose newest version is forked),
   * ordered by schema and then table name.
   */
  synchronized List<TableHead> allHeads() {
    List<SignedManifest> newest = new ArrayList<>();
    tables.values().forEach(h -> newest.addAll(h.lastEntry().getValue()));
    newest.sort(Comparator.comparing(
        (SignedManifest s) -> claimsByKey.get(s.manifest().writerKey()).name())
        .thenComparing(s -> s.manifest().tableName()));
    return toHeads(newest);
  }

  /**
   * One table as the status page and metrics show it: its newest version, how many versions
   * and newest heads (more than one: forked) are kept, the copies it asks for, and the blobs
   * of its newest version (of its first head when forked).
   */
  record TableSummary(String schema, String table, String writer, long headVersion,
      int versions, int heads, int replicas, List<ContentId> blobs) {}

  /** Returns a summary of every table, ordered by schema then table name. */
  synchronized List<TableSummary> summaries() {
    List<TableSummary> summaries = new ArrayList<>();
    tables.forEach((key, history) -> {
      List<SignedManifest> newest = history.lastEntry().getValue();
      Manifest head = newest.get(0).manifest();
      NameClaim claim = claimsByKey.get(key.writer());
      summaries.add(new TableSummary(claim == null ? "?" : claim.name(), key.table(),
          key.writer().fingerprint().toString(), head.version(), history.size(),
          newest.size(), head.redundancy().replicas(),
          head.batches().stream().map(BatchRef::id).toList()));
    });
    summaries.sort(Comparator.comparing(TableSummary::schema)
        .thenComparing(TableSummary::table));
    return summaries;
  }

  /** Returns the newest version number of a table here, or 0 if it has none. */
  synchronized long headVersion(PublicKey writer, String table) {
    NavigableMap<Long, List<SignedManifest>> history = tables.get(new TableKey(writer, table));
    return history == null ? 0 : history.lastKey();
  }

  /** Returns true if this service holds exactly {@code id} as that version of that table. */
  synchronized boolean holds(PublicKey writer, String table, long version, ContentId id) {
    NavigableMap<Long, List<SignedManifest>> history = tables.get(new TableKey(writer, table));
    List<SignedManifest> heads = history == null ? null : history.get(version);
    return heads != null && contains(heads, id);
  }

  private NavigableMap<Long, List<SignedManifest>> history(String schema, String table) {
    requireNonNull(schema, "schema");
    NameClaim claim = claimsByName.get(schema);
    NavigableMap<Long, List<SignedManifest>> history =
        claim == null ? null : tables.get(new TableKey(claim.writerKey(), table));
    if (history == null) {
      throw new CairnException(ErrorCode.NOT_FOUND, "no table " + schema + "." + table
          + " here" + (claim == null ? " (no writer holds the name '" + schema + "')" : ""));
    }
    return history;
  }

  private List<TableHead> toHeads(List<SignedManifest> signed) {
    List<TableHead> heads = new ArrayList<>(signed.size());
    for (SignedManifest s : signed) {
      NameClaim claim = claimsByKey.get(s.manifest().writerKey());
      heads.add(new TableHead(claim.name(), claim.signature(), s.encoded()));
    }
    return heads;
  }

  /**
   * Returns a batch with blob id {@code id} and a chunk root, as a manifest held here signs
   * it, or null when no such manifest is held (the blob cannot be audited from here).
   */
  synchronized BatchRef auditable(ContentId id) {
    return auditable.get(id);
  }

  /**
   * Returns how many distinct shards held manifests name that are larger than {@link
   * Stripe#AUDITED_SHARD_BYTES_MAX} and so are never audited (docs/operations.md, "Audits of
   * erasure-coded shards").
   */
  synchronized int unauditableShardCount() {
    return unauditableShards.size();
  }

  /** Closes the log; the registry must not be changed afterwards. */
  synchronized void close() {
    if (log != null) {
      log.close();
    }
  }
}
