package dev.cairn.meta;

import static java.util.Objects.requireNonNull;

import dev.cairn.wire.CairnException;
import dev.cairn.wire.ContentId;
import dev.cairn.wire.ErrorCode;
import dev.cairn.wire.crypto.PublicKey;
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
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

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
 */
final class TableRegistry {
  /** A table: the key that signs it and its name within that writer's tables. */
  private record TableKey(PublicKey writer, String table) {}

  private final Map<String, NameClaim> claimsByName = new HashMap<>();
  private final Map<PublicKey, NameClaim> claimsByKey = new HashMap<>();
  private final Map<TableKey, NavigableMap<Long, SignedManifest>> tables = new HashMap<>();
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
      publish(ManifestCodec.decode(manifest.encoded()));
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
   * order and the hash chain. Re-publishing the current head is an idempotent success.
   */
  synchronized HeadOk publish(SignedManifest signed) {
    Manifest manifest = signed.manifest();
    if (!claimsByKey.containsKey(manifest.writerKey())) {
      throw new CairnException(ErrorCode.UNKNOWN_WRITER, "writer key "
          + manifest.writerKey().fingerprint() + " holds no publisher name; claim a name first");
    }
    TableKey key = new TableKey(manifest.writerKey(), manifest.tableName());
    NavigableMap<Long, SignedManifest> history = tables.get(key);
    SignedManifest head = history == null ? null : history.lastEntry().getValue();
    if (head != null && head.id().equals(signed.id())) {
      return new HeadOk(signed.id(), manifest.version());
    }
    checkFollows(signed, head);
    if (log != null) {
      log.appendManifest(signed.encoded());
    }
    tables.computeIfAbsent(key, k -> new TreeMap<>()).put(manifest.version(), signed);
    return new HeadOk(signed.id(), manifest.version());
  }

  private static void checkFollows(SignedManifest signed, SignedManifest head) {
    Manifest manifest = signed.manifest();
    String table = "table " + manifest.tableName() + " of writer "
        + manifest.writerKey().fingerprint();
    if (head == null) {
      if (manifest.parentId() != null) {
        throw new CairnException(ErrorCode.STALE_VERSION, "parent "
            + manifest.parentId().toHex() + " is not the head of " + table
            + ": the table has no version here yet, and a first version has no parent");
      }
      return;
    }
    long headVersion = head.manifest().version();
    if (manifest.version() <= headVersion) {
      throw new CairnException(ErrorCode.STALE_VERSION, "version " + manifest.version()
          + " of " + table + " is not newer than the head version " + headVersion);
    }
    ContentId parent = manifest.parentId();
    if (parent == null || !parent.equals(head.id())) {
      throw new CairnException(ErrorCode.STALE_VERSION, "parent "
          + (parent == null ? "(none)" : parent.toHex()) + " is not the head "
          + head.id().toHex() + " (version " + headVersion + ") of " + table);
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
    NavigableMap<Long, SignedManifest> history =
        tables.get(new TableKey(timestamp.writerKey(), timestamp.tableName()));
    if (history == null) {
      throw new CairnException(ErrorCode.NOT_FOUND, "no table " + timestamp.tableName()
          + " of writer " + timestamp.writerKey().fingerprint() + " here");
    }
    SignedManifest head = history.lastEntry().getValue();
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

  /** Returns one version (0 = newest) of {@code schema.table}; NOT_FOUND if absent. */
  synchronized TableHead head(String schema, String table, long version) {
    NavigableMap<Long, SignedManifest> history = history(schema, table);
    SignedManifest signed = version == 0 ? history.lastEntry().getValue() : history.get(version);
    if (signed == null) {
      throw new CairnException(ErrorCode.NOT_FOUND, "table " + schema + "." + table
          + " has no version " + Long.toUnsignedString(version) + " here (versions "
          + history.firstKey() + " to " + history.lastKey() + ")");
    }
    return toHead(signed);
  }

  /** Returns every version of {@code schema.table}, oldest first; NOT_FOUND if absent. */
  synchronized List<TableHead> versions(String schema, String table) {
    List<TableHead> heads = new ArrayList<>();
    history(schema, table).values().forEach(s -> heads.add(toHead(s)));
    return heads;
  }

  /** Returns the head of every table, ordered by schema and then table name. */
  synchronized List<TableHead> allHeads() {
    List<SignedManifest> newest = new ArrayList<>();
    tables.values().forEach(h -> newest.add(h.lastEntry().getValue()));
    newest.sort(Comparator.comparing(
        (SignedManifest s) -> claimsByKey.get(s.manifest().writerKey()).name())
        .thenComparing(s -> s.manifest().tableName()));
    List<TableHead> heads = new ArrayList<>(newest.size());
    newest.forEach(s -> heads.add(toHead(s)));
    return heads;
  }

  /** Returns the newest version number of a table here, or 0 if it has none. */
  synchronized long headVersion(PublicKey writer, String table) {
    NavigableMap<Long, SignedManifest> history = tables.get(new TableKey(writer, table));
    return history == null ? 0 : history.lastKey();
  }

  private NavigableMap<Long, SignedManifest> history(String schema, String table) {
    requireNonNull(schema, "schema");
    NameClaim claim = claimsByName.get(schema);
    NavigableMap<Long, SignedManifest> history =
        claim == null ? null : tables.get(new TableKey(claim.writerKey(), table));
    if (history == null) {
      throw new CairnException(ErrorCode.NOT_FOUND, "no table " + schema + "." + table
          + " here" + (claim == null ? " (no writer holds the name '" + schema + "')" : ""));
    }
    return history;
  }

  private TableHead toHead(SignedManifest signed) {
    NameClaim claim = claimsByKey.get(signed.manifest().writerKey());
    return new TableHead(claim.name(), claim.signature(), signed.encoded());
  }

  /** Closes the log; the registry must not be changed afterwards. */
  synchronized void close() {
    if (log != null) {
      log.close();
    }
  }
}
