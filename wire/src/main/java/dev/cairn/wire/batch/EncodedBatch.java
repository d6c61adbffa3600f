package dev.cairn.wire.batch;

import dev.cairn.wire.ColumnStats;
import dev.cairn.wire.ContentId;
import dev.cairn.wire.manifest.ChunkTree;
import java.security.MessageDigest;
import java.util.List;

/**
 * A finished batch blob with what a manifest records about it: its content id (SHA-256 of
 * the bytes), its {@link ChunkTree} root, row count, per-column statistics in schema order,
 * and the size of its Arrow buffers before compression.
 */
public final class EncodedBatch {
  private final byte[] bytes;
  private final ContentId id;
  private final ContentId chunkRoot;
  private final long rowCount;
  private final List<ColumnStats> columnStats;
  private final long uncompressedBytes;

  EncodedBatch(byte[] bytes, long rowCount, List<ColumnStats> columnStats,
      long uncompressedBytes) {
    this.bytes = bytes;
    // One pass, chunk by chunk, feeds both hashes while each chunk is in cache.
    MessageDigest whole = ContentId.newDigest();
    ChunkTree.Builder tree = ChunkTree.builder();
    for (int offset = 0; offset < bytes.length; offset += ChunkTree.CHUNK_BYTES) {
      int length = Math.min(ChunkTree.CHUNK_BYTES, bytes.length - offset);
      whole.update(bytes, offset, length);
      tree.update(bytes, offset, length);
    }
    this.id = ContentId.fromDigest(whole);
    this.chunkRoot = tree.build().root();
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

  /** Returns the root of the blob's chunk tree, which the manifest signs. */
  public ContentId chunkRoot() {
    return chunkRoot;
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
