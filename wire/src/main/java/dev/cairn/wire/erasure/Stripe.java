package dev.cairn.wire.erasure;

import static java.util.Objects.requireNonNull;

/**
 * Cuts a blob into the k + m shards of one stripe and joins k data shards back into the blob.
 * Every shard has {@link #shardBytes} bytes, ceil(length / k) and at least 1; data shard i holds
 * blob bytes [i·s, (i+1)·s), the tail of the last ones padded with zeros. The true length is
 * not in the shards: the manifest records it, and {@link #join} cuts the padding off with it.
 */
public final class Stripe {
  /**
   * Largest shard an auditor checks (docs/protocol.md 4.8, "Audits"): format 3 signs no
   * per-shard chunk root, so auditors read a shard whole and hash it; publishers cut batches so
   * that no shard is larger, and auditors report a larger shard from another writer as
   * unauditable.
   */
  public static final int AUDITED_SHARD_BYTES_MAX = 16 << 20;

  private Stripe() {}

  /**
   * Returns the most blob bytes a batch cut into {@code dataCount} data shards may have so that
   * every shard stays within {@link #AUDITED_SHARD_BYTES_MAX}: k × 16 MiB.
   */
  public static long auditableBlobBytesMax(int dataCount) {
    if (dataCount < 1) {
      throw new IllegalArgumentException("no data shards: " + dataCount);
    }
    return (long) dataCount * AUDITED_SHARD_BYTES_MAX;
  }

  /** Returns whether a shard of {@code shardBytes} is small enough to be audited whole. */
  public static boolean auditable(long shardBytes) {
    return shardBytes <= AUDITED_SHARD_BYTES_MAX;
  }

  /** Returns the size of every shard of a blob of {@code blobBytes} cut into k data shards. */
  public static int shardBytes(long blobBytes, int dataCount) {
    if (blobBytes < 0 || dataCount < 1) {
      throw new IllegalArgumentException("cannot cut " + blobBytes + " bytes into "
          + dataCount + " shards");
    }
    long size = Math.max(1, (blobBytes + dataCount - 1) / dataCount);
    if (size > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("a shard of " + size + " bytes is too large");
    }
    return (int) size;
  }

  /** Returns the k data then m parity shards of {@code blob} under {@code code}. */
  public static byte[][] cut(byte[] blob, ReedSolomon code) {
    requireNonNull(blob, "blob");
    int shardBytes = shardBytes(blob.length, code.dataCount());
    byte[][] shards = new byte[code.totalCount()][shardBytes];
    for (int i = 0; i < code.dataCount(); i++) {
      long from = (long) i * shardBytes;
      int length = (int) Math.max(0, Math.min(shardBytes, blob.length - from));
      if (length > 0) {
        System.arraycopy(blob, (int) from, shards[i], 0, length);
      }
    }
    code.encodeParity(shards, shardBytes);
    return shards;
  }

  /**
   * Returns the blob of {@code blobBytes} from its k data shards (parity entries may be null),
   * each exactly {@link #shardBytes} long.
   */
  public static byte[] join(byte[][] shards, int dataCount, long blobBytes) {
    requireNonNull(shards, "shards");
    int shardBytes = shardBytes(blobBytes, dataCount);
    if (blobBytes > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("a blob of " + blobBytes + " bytes is too large");
    }
    byte[] blob = new byte[(int) blobBytes];
    for (int i = 0; i < dataCount; i++) {
      if (shards[i] == null || shards[i].length != shardBytes) {
        throw new IllegalArgumentException("data shard " + i + " is missing or not "
            + shardBytes + " bytes");
      }
      long from = (long) i * shardBytes;
      int length = (int) Math.max(0, Math.min(shardBytes, blobBytes - from));
      if (length > 0) {
        System.arraycopy(shards[i], 0, blob, (int) from, length);
      }
    }
    return blob;
  }

  /**
   * Returns the blob of {@code blobBytes} from any k of its shards ({@code null} where a shard
   * is missing), decoding only when a data shard is missing. The present shards are trusted:
   * callers verify each against its content id first.
   */
  public static byte[] decode(byte[][] shards, ReedSolomon code, long blobBytes) {
    requireNonNull(shards, "shards");
    int shardBytes = shardBytes(blobBytes, code.dataCount());
    boolean[] present = new boolean[code.totalCount()];
    boolean dataComplete = true;
    byte[][] work = shards.clone();
    for (int i = 0; i < work.length; i++) {
      present[i] = work[i] != null;
      if (!present[i]) {
        dataComplete &= i >= code.dataCount();
        work[i] = new byte[shardBytes];
      }
    }
    if (!dataComplete) {
      code.reconstruct(work, present, shardBytes, true);
    }
    return join(work, code.dataCount(), blobBytes);
  }
}
