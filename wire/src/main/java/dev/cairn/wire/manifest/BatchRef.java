package dev.cairn.wire.manifest;

import static java.util.Objects.requireNonNull;

import dev.cairn.wire.CairnException;
import dev.cairn.wire.ChunkTree;
import dev.cairn.wire.ColumnStats;
import dev.cairn.wire.ContentId;
import dev.cairn.wire.ErrorCode;
import dev.cairn.wire.TableSchema;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One batch of a table version as its manifest lists it: the content id of the batch blob, its
 * size and row count, the root of its {@link ChunkTree} (null in a format 1 manifest, whose
 * batches cannot be chunk-audited), and one {@link ColumnStats} per column in schema order. The
 * manifest checks the statistics against the schema; this class checks only what it can alone.
 *
 * <p>A batch of an erasure-coded version (format 3) also lists the content ids of its k + m
 * shards in shard-index order (docs/protocol.md, 4.8): data shards 0..k-1, then parity. Its
 * {@link #byteSize} is the blob's true length, and each shard has {@link
 * dev.cairn.wire.erasure.Stripe#shardBytes} bytes; the manifest checks the count against its
 * policy. A batch of a replicated version lists no shards.
 *
 * <p>A batch carried into a version whose table gained columns or widened a type since the
 * batch was written keeps the columns it stores ({@link #stored}: ids, names, types as its
 * blob has them, docs/protocol.md 4.9); its statistics are then one entry per stored column,
 * in that order, and {@link Manifest#tableStats} gives them in the table's terms. A batch
 * stored with exactly the table's columns has no stored schema of its own (null).
 *
 * <p>A DOUBLE bound of -0.0 is replaced by +0.0: the two compare equal in SQL, and keeping one
 * spelling keeps the encoding canonical (decoders reject the bits of -0.0).
 */
public final class BatchRef {
  private static final ContentId NO_ROOT = ContentId.fromBytes(new byte[ContentId.BYTES]);

  private final ContentId id;
  private final long byteSize;
  private final long rowCount;
  private final ContentId chunkRoot;
  private final List<ColumnStats> stats;
  private final List<ContentId> shardIds;
  private final TableSchema stored;

  /**
   * Creates a batch reference; sizes and counts are 0 to 2^63-1, nullCount ≤ rowCount, and
   * {@code chunkRoot} is the blob's chunk tree root or null when unknown (format 1).
   */
  public BatchRef(ContentId id, long byteSize, long rowCount, ContentId chunkRoot,
      List<ColumnStats> stats) {
    this(id, byteSize, rowCount, chunkRoot, stats, List.of());
  }

  /**
   * Creates a batch reference of an erasure-coded version: as above, plus the content ids of
   * its shards in index order (empty for a replicated version).
   */
  public BatchRef(ContentId id, long byteSize, long rowCount, ContentId chunkRoot,
      List<ColumnStats> stats, List<ContentId> shardIds) {
    this(id, byteSize, rowCount, chunkRoot, stats, shardIds, null);
  }

  /**
   * Creates a batch reference whose blob stores the columns {@code stored} (null: exactly the
   * table's), with one statistics entry per stored column in that order.
   */
  public BatchRef(ContentId id, long byteSize, long rowCount, ContentId chunkRoot,
      List<ColumnStats> stats, List<ContentId> shardIds, TableSchema stored) {
    this.stored = stored;
    this.shardIds = List.copyOf(requireNonNull(shardIds, "shardIds"));
    this.id = requireNonNull(id, "id");
    // 32 zero bytes is how format 2 spells "unknown": one spelling, so decoding round-trips.
    this.chunkRoot = NO_ROOT.equals(chunkRoot) ? null : chunkRoot;
    requireNonNull(stats, "stats");
    if (byteSize < 0 || rowCount < 0) {
      throw new CairnException(ErrorCode.BAD_FORMAT, "batch " + id.toShortHex()
          + ": byte size and row count must not be negative");
    }
    List<ColumnStats> normalised = new ArrayList<>(stats.size());
    for (ColumnStats s : stats) {
      requireNonNull(s, "stats element");
      if (s.nullCount() > rowCount) {
        throw new CairnException(ErrorCode.BAD_FORMAT, "batch " + id.toShortHex() + ": null count "
            + s.nullCount() + " exceeds row count " + rowCount);
      }
      normalised.add(withoutNegativeZero(s));
    }
    this.byteSize = byteSize;
    this.rowCount = rowCount;
    this.stats = List.copyOf(normalised);
  }

  private static ColumnStats withoutNegativeZero(ColumnStats s) {
    if (isNegativeZero(s.min()) || isNegativeZero(s.max())) {
      return new ColumnStats(s.nullCount(), isNegativeZero(s.min()) ? 0.0d : s.min(),
          isNegativeZero(s.max()) ? 0.0d : s.max());
    }
    return s;
  }

  private static boolean isNegativeZero(Object value) {
    return value instanceof Double
        && Double.doubleToRawLongBits((Double) value) == Long.MIN_VALUE;
  }

  /** Returns the content id of the batch blob. */
  public ContentId id() {
    return id;
  }

  /** Returns the size of the batch blob in bytes. */
  public long byteSize() {
    return byteSize;
  }

  public long rowCount() {
    return rowCount;
  }

  /**
   * Returns the root of the blob's {@link ChunkTree} as the writer signed it, or null for a
   * batch of a format 1 manifest. A root is a claim of the writer, not checked against the
   * blob: see {@link dev.cairn.wire.rpc.ChunkAudit} for what an audit makes of a wrong one.
   */
  public ContentId chunkRoot() {
    return chunkRoot;
  }

  /** Returns one statistics entry per column, in schema order. */
  public List<ColumnStats> stats() {
    return stats;
  }

  /**
   * Returns the content ids of the batch's shards in shard-index order (data first, then
   * parity), or an empty list for a batch stored in whole copies.
   */
  public List<ContentId> shardIds() {
    return shardIds;
  }

  /** Returns a copy of this reference listing {@code shards} as its shard ids. */
  public BatchRef withShards(List<ContentId> shards) {
    return new BatchRef(id, byteSize, rowCount, chunkRoot, stats, shards, stored);
  }

  /**
   * Returns the columns the blob stores when they are not exactly its table's (a batch kept
   * from a version before a column was added or a type widened), else null.
   */
  public TableSchema stored() {
    return stored;
  }

  /** Returns a copy of this reference whose blob stores {@code columns} (null: the table's). */
  public BatchRef withStored(TableSchema columns) {
    return new BatchRef(id, byteSize, rowCount, chunkRoot, stats, shardIds, columns);
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof BatchRef)) {
      return false;
    }
    BatchRef b = (BatchRef) o;
    return id.equals(b.id) && byteSize == b.byteSize && rowCount == b.rowCount
        && Objects.equals(chunkRoot, b.chunkRoot) && stats.equals(b.stats)
        && shardIds.equals(b.shardIds) && Objects.equals(stored, b.stored);
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, byteSize, rowCount, chunkRoot, stats, shardIds, stored);
  }

  @Override
  public String toString() {
    return "BatchRef{" + id.toShortHex() + ", " + byteSize + " bytes, " + rowCount + " rows, "
        + (chunkRoot == null ? "no chunk root" : "chunk root " + chunkRoot.toShortHex()) + ", "
        + (shardIds.isEmpty() ? "" : shardIds.size() + " shards, ")
        + (stored == null ? "" : "stores " + stored + ", ") + stats + "}";
  }
}
