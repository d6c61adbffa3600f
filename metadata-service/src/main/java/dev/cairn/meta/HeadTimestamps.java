package dev.cairn.meta;

import static java.util.Objects.requireNonNull;

import dev.cairn.wire.CairnException;
import dev.cairn.wire.ContentId;
import dev.cairn.wire.ErrorCode;
import dev.cairn.wire.manifest.HeadTimestamp;
import dev.cairn.wire.manifest.HeadValidity;
import dev.cairn.wire.manifest.Manifest;
import dev.cairn.wire.manifest.ManifestHeader;
import dev.cairn.wire.manifest.SignedManifest;
import dev.cairn.wire.message.MetaMessages.TableHead;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The newest verified head timestamp of each table's current head (docs/protocol.md 4.7, 9.3),
 * and the rules a new one must pass against that head. At most one per table: a timestamp of
 * an older head is worth nothing once a newer version exists. Not thread-safe: the {@link
 * TableRegistry} calls it under its own lock, after the head-log append.
 */
final class HeadTimestamps {
  private final Map<ContentId, HeadTimestamp> byManifest = new HashMap<>();
  private final Map<TableKey, ContentId> manifestOfTable = new HashMap<>();

  /**
   * Checks {@code timestamp} against {@code head}, the current head of its table, at {@code
   * nowMillis}; returns false if it is exactly the newest one held (an idempotent repeat).
   * Refusals: STALE_VERSION when it names another manifest than the head or is not newer than
   * the one held; BAD_FORMAT when the head makes no freshness promise or the timestamp reaches
   * further ahead than {@link HeadValidity#validUntilMaxMillis} allows.
   */
  boolean check(SignedManifest head, HeadTimestamp timestamp, long nowMillis) {
    requireNonNull(head, "head");
    Manifest m = head.manifest();
    String table = "table " + m.tableName() + " of writer " + m.writerKey().fingerprint();
    if (!timestamp.matches(head)) {
      throw new CairnException(ErrorCode.STALE_VERSION, "timestamp names manifest "
          + timestamp.manifestId().toShortHex() + " version " + timestamp.version()
          + ", but the head of " + table + " here is " + head.id().toShortHex() + " version "
          + m.version());
    }
    if (m.refreshEveryMillis() == 0) {
      throw new CairnException(ErrorCode.BAD_FORMAT, "version " + m.version() + " of " + table
          + " makes no freshness promise (published without --refresh-every), so a timestamp"
          + " means nothing for it");
    }
    long max = HeadValidity.validUntilMaxMillis(m.refreshEveryMillis(), nowMillis);
    if (timestamp.validUntilMillis() > max) {
      throw new CairnException(ErrorCode.BAD_FORMAT, "timestamp of " + table + " is valid until "
          + Instant.ofEpochMilli(timestamp.validUntilMillis()) + ", more than "
          + HeadValidity.REFRESH_PERIODS_AHEAD_MAX + " refresh periods (plus clock skew) ahead;"
          + " the latest accepted now is " + Instant.ofEpochMilli(max));
    }
    HeadTimestamp held = byManifest.get(head.id());
    if (held == null) {
      return true;
    }
    if (held.equals(timestamp)) {
      return false;
    }
    if (timestamp.validUntilMillis() <= held.validUntilMillis()) {
      throw new CairnException(ErrorCode.STALE_VERSION, "timestamp of " + table
          + " is valid until " + Instant.ofEpochMilli(timestamp.validUntilMillis())
          + ", not later than the one held, valid until "
          + Instant.ofEpochMilli(held.validUntilMillis()));
    }
    return true;
  }

  /** Keeps {@code timestamp} as its table's newest, dropping the one of an older head. */
  void put(HeadTimestamp timestamp) {
    ContentId previous = manifestOfTable.put(TableKey.of(timestamp), timestamp.manifestId());
    if (previous != null && !previous.equals(timestamp.manifestId())) {
      byManifest.remove(previous);
    }
    byManifest.put(timestamp.manifestId(), timestamp);
  }

  /** Returns the newest timestamp held for manifest {@code id}, or null. */
  HeadTimestamp newest(ContentId id) {
    return byManifest.get(id);
  }

  /**
   * Returns the encoded newest timestamp of each of {@code heads} that has one. Reads only each
   * manifest's header to find its table's timestamp, and hashes a manifest (to compare ids) only
   * when the version matches: a listing of many tables costs no hashing of the others.
   */
  List<byte[]> encodedFor(List<TableHead> heads) {
    List<byte[]> found = new ArrayList<>();
    if (byManifest.isEmpty()) {
      return found;
    }
    for (TableHead head : heads) {
      byte[] manifest = head.manifest();
      ManifestHeader header = ManifestHeader.peek(manifest); // verified when it was accepted
      ContentId candidate = manifestOfTable.get(TableKey.of(header));
      HeadTimestamp timestamp = candidate == null ? null : byManifest.get(candidate);
      if (timestamp != null && timestamp.version() == header.version()
          && candidate.equals(ContentId.sha256(manifest))) {
        found.add(timestamp.encoded());
      }
    }
    return found;
  }
}
