package dev.cairn.wire.batch;

import dev.cairn.wire.ColumnStats;
import dev.cairn.wire.ContentId;
import java.util.List;

/**
 * A finished batch blob with what a manifest records about it: its content id (the root of
 * its chunk tree, so also the chunk root the manifest signs), row count, per-column statistics
 * in schema order, and the size of its Arrow buffers before compression.
 */
public final class EncodedBatch {
  private final byte[] bytes;
  private final ContentId id;
  private final long rowCount;
  private final List<ColumnStats> columnStats;
  private final long uncompressedBytes;

  EncodedBatch(byte[] bytes, long rowCount, List<ColumnStats> columnStats,
      long uncompressedBytes) {
    this.bytes = bytes;
    this.id = ContentId.of(bytes); // the chunk tree's root: one hash pass names the blob
    this.rowCount = rowCount;
    this.columnStats = List.copyOf(columnStats);
    this.uncompressedBytes = uncompressedBytes;
  }

  /** Returns a copy of the blob bytes. */
  public byte[] bytes() {
    return bytes.clone();
  }

  /** Returns the blob length in bytes. */
  public int size() {
    return bytes.length;
  }

  public ContentId id() {
    return id;
  }

  /** Returns the root of the blob's chunk tree, which the manifest signs: the id itself. */
  public ContentId chunkRoot() {
    return id;
  }

  public long rowCount() {
    return rowCount;
  }

  /** Returns one {@link ColumnStats} per column, in schema order. */
  public List<ColumnStats> columnStats() {
    return columnStats;
  }

  /** Returns the total length of the Arrow buffers (bitmaps, offsets, values) uncompressed. */
  public long uncompressedBytes() {
    return uncompressedBytes;
  }
}
