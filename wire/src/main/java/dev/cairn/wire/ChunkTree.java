package dev.cairn.wire;

import static java.util.Objects.requireNonNull;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The Merkle tree over a blob's fixed-size chunks: its root is the blob's content id ({@link
 * ContentId#of}) and the chunk root a manifest signs, so that any one chunk can be checked
 * alone against it (docs/protocol.md 2 and 4.6).
 *
 * <p>A blob of n bytes is cut into {@link #CHUNK_BYTES} (64 KiB) chunks, the last one shorter;
 * an empty blob has exactly one, empty, chunk, so every blob has a root and chunk 0. Hashing is
 * SHA-256, domain-separated as in RFC 6962: a leaf is {@code H(0x00 || chunk)}, an inner node
 * {@code H(0x01 || left || right)}. The tree is RFC 6962's Merkle Tree Hash: level by level,
 * neighbours are paired from the left and a last node without a partner is promoted unchanged
 * to the next level (never duplicated). A proof (the audit path) lists the sibling of each
 * level from the leaf up, skipping the levels where the node was promoted.
 *
 * <p>An instance holds the leaf hashes of one blob (32 bytes per 64 KiB chunk) and makes
 * proofs; {@link #verify} needs only the root and the blob's size.
 */
public final class ChunkTree {
  /** Size of every chunk but a blob's last. */
  public static final int CHUNK_BYTES = 64 * 1024;
  /** Most hashes a proof may have; 31 is the real bound, as chunk indexes are ints. */
  public static final int PROOF_HASHES_MAX = 64;
  /** Largest blob a tree describes: one whose chunk count still fits an int. */
  public static final long BLOB_BYTES_MAX = (long) Integer.MAX_VALUE * CHUNK_BYTES;

  private static final byte LEAF_PREFIX = 0x00;
  private static final byte NODE_PREFIX = 0x01;

  private final long blobBytes;
  private final byte[][] leaves;

  private ChunkTree(long blobBytes, byte[][] leaves) {
    this.blobBytes = blobBytes;
    this.leaves = leaves;
  }

  /** Returns the tree of a whole blob held in memory. */
  public static ChunkTree of(byte[] blob) {
    return builder().update(blob, 0, blob.length).build();
  }

  /** Returns the root of a whole blob held in memory. */
  public static ContentId root(byte[] blob) {
    return of(blob).root();
  }

  /** Returns a builder to feed a blob's bytes in pieces, e.g. while it is being encoded. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Rebuilds a tree from its leaf hashes (32 bytes each, concatenated, as {@link
   * #leafHashes()} returns them); BAD_FORMAT if their number does not fit {@code blobBytes}.
   */
  public static ChunkTree fromLeafHashes(long blobBytes, byte[] leafHashes) {
    int count = chunkCount(blobBytes);
    if (leafHashes.length != (long) count * ContentId.BYTES) {
      throw new CairnException(ErrorCode.BAD_FORMAT, leafHashes.length + " bytes of leaf "
          + "hashes do not fit a blob of " + blobBytes + " bytes (" + count + " chunks)");
    }
    byte[][] leaves = new byte[count][];
    for (int i = 0; i < count; i++) {
      leaves[i] = Arrays.copyOfRange(leafHashes, i * ContentId.BYTES, (i + 1) * ContentId.BYTES);
    }
    return new ChunkTree(blobBytes, leaves);
  }

  /** Returns the number of chunks of a blob of {@code blobBytes}: at least 1. */
  public static int chunkCount(long blobBytes) {
    if (blobBytes < 0 || blobBytes > BLOB_BYTES_MAX) {
      throw new CairnException(ErrorCode.BAD_FORMAT, "a chunk tree covers 0 to "
          + BLOB_BYTES_MAX + " bytes, not " + blobBytes);
    }
    return blobBytes == 0 ? 1 : (int) ((blobBytes + CHUNK_BYTES - 1) / CHUNK_BYTES);
  }

  /** Returns the byte offset of chunk {@code chunkIndex} in its blob. */
  public static long chunkOffset(int chunkIndex) {
    return (long) chunkIndex * CHUNK_BYTES;
  }

  /** Returns the length of chunk {@code chunkIndex} of a blob of {@code blobBytes}. */
  public static int chunkLength(long blobBytes, int chunkIndex) {
    int count = chunkCount(blobBytes);
    if (chunkIndex < 0 || chunkIndex >= count) {
      throw new CairnException(ErrorCode.BAD_FORMAT, "chunk " + chunkIndex + " is outside the "
          + count + " chunks of a blob of " + blobBytes + " bytes");
    }
    return (int) Math.min(CHUNK_BYTES, blobBytes - chunkOffset(chunkIndex));
  }

  /** Returns the size of the blob this tree describes. */
  public long blobBytes() {
    return blobBytes;
  }

  /** Returns the number of chunks (leaves). */
  public int chunkCount() {
    return leaves.length;
  }

  /** Returns the leaf hashes concatenated, 32 bytes per chunk in order (a copy). */
  public byte[] leafHashes() {
    byte[] all = new byte[leaves.length * ContentId.BYTES];
    for (int i = 0; i < leaves.length; i++) {
      System.arraycopy(leaves[i], 0, all, i * ContentId.BYTES, ContentId.BYTES);
    }
    return all;
  }

  /** Returns the root: the Merkle Tree Hash of the leaves. */
  public ContentId root() {
    MessageDigest digest = ContentId.newSha256();
    byte[][] level = leaves;
    while (level.length > 1) {
      level = parentLevel(digest, level);
    }
    return ContentId.fromBytes(level[0]);
  }

  /** Returns the audit path of chunk {@code chunkIndex}: siblings from the leaf up. */
  public List<ContentId> proof(int chunkIndex) {
    if (chunkIndex < 0 || chunkIndex >= leaves.length) {
      throw new CairnException(ErrorCode.BAD_FORMAT, "chunk " + chunkIndex + " is outside the "
          + leaves.length + " chunks of this blob");
    }
    MessageDigest digest = ContentId.newSha256();
    List<ContentId> path = new ArrayList<>();
    byte[][] level = leaves;
    int index = chunkIndex;
    while (level.length > 1) {
      int sibling = index ^ 1;
      if (sibling < level.length) {
        path.add(ContentId.fromBytes(level[sibling]));
      }
      level = parentLevel(digest, level);
      index >>>= 1;
    }
    return List.copyOf(path);
  }

  private static byte[][] parentLevel(MessageDigest digest, byte[][] level) {
    byte[][] parents = new byte[(level.length + 1) / 2][];
    for (int i = 0; i < parents.length; i++) {
      int left = 2 * i;
      parents[i] = left + 1 < level.length
          ? node(digest, level[left], level[left + 1])
          : level[left];
    }
    return parents;
  }

  /**
   * Returns true if {@code chunk} is chunk {@code chunkIndex} of the blob of {@code blobBytes}
   * whose tree has root {@code root}, by {@code proof}. False, never an exception, for any
   * input that does not prove it: an index outside the blob, a chunk of the wrong length, a
   * proof of the wrong length (more than {@link #PROOF_HASHES_MAX} included) or wrong hashes.
   */
  public static boolean verify(ContentId root, long blobBytes, int chunkIndex, byte[] chunk,
      List<ContentId> proof) {
    requireNonNull(root, "root");
    requireNonNull(chunk, "chunk");
    requireNonNull(proof, "proof");
    if (blobBytes < 0 || blobBytes > BLOB_BYTES_MAX || proof.size() > PROOF_HASHES_MAX) {
      return false;
    }
    int count = chunkCount(blobBytes);
    if (chunkIndex < 0 || chunkIndex >= count
        || chunk.length != chunkLength(blobBytes, chunkIndex)) {
      return false;
    }
    MessageDigest digest = ContentId.newSha256();
    byte[] hash = leaf(digest, chunk, 0, chunk.length);
    int index = chunkIndex;
    int width = count;
    int used = 0;
    while (width > 1) {
      boolean right = (index & 1) == 1;
      if (right || index + 1 < width) {
        if (used == proof.size()) {
          return false;
        }
        byte[] sibling = proof.get(used++).toBytes();
        hash = right ? node(digest, sibling, hash) : node(digest, hash, sibling);
      }
      index >>>= 1;
      width = (width + 1) / 2;
    }
    return used == proof.size() && MessageDigest.isEqual(hash, root.toBytes());
  }

  /** Returns the leaf hash {@code H(0x00 || chunk)} of {@code length} bytes from offset. */
  public static ContentId leafHash(byte[] chunk, int offset, int length) {
    return ContentId.fromBytes(leaf(ContentId.newSha256(), chunk, offset, length));
  }

  private static byte[] leaf(MessageDigest digest, byte[] chunk, int offset, int length) {
    digest.update(LEAF_PREFIX);
    digest.update(chunk, offset, length);
    return digest.digest();
  }

  private static byte[] node(MessageDigest digest, byte[] left, byte[] right) {
    digest.update(NODE_PREFIX);
    digest.update(left);
    digest.update(right);
    return digest.digest();
  }

  /** Feeds a blob's bytes in any pieces and cuts them into chunks; one builder per blob. */
  public static final class Builder {
    private final MessageDigest digest = ContentId.newSha256();
    private final List<byte[]> leaves = new ArrayList<>();
    private int inChunk;
    private long total;
    private boolean built;

    private Builder() {
      digest.update(LEAF_PREFIX);
    }

    /** Adds {@code length} bytes of {@code data} from {@code offset}. */
    public Builder update(byte[] data, int offset, int length) {
      return update(ByteBuffer.wrap(data, offset, length));
    }

    /** Adds the remaining bytes of {@code data}, consuming them. */
    public Builder update(ByteBuffer data) {
      if (built) {
        throw new IllegalStateException("this builder has already built its tree");
      }
      while (data.hasRemaining()) {
        int take = Math.min(data.remaining(), CHUNK_BYTES - inChunk);
        ByteBuffer piece = data.slice();
        piece.limit(take);
        digest.update(piece);
        data.position(data.position() + take);
        inChunk += take;
        total += take;
        if (inChunk == CHUNK_BYTES) {
          finishLeaf();
        }
      }
      return this;
    }

    private void finishLeaf() {
      leaves.add(digest.digest());
      digest.update(LEAF_PREFIX);
      inChunk = 0;
    }

    /** Returns the tree of everything fed; the builder cannot be fed afterwards. */
    public ChunkTree build() {
      if (built) {
        throw new IllegalStateException("this builder has already built its tree");
      }
      built = true;
      if (total > BLOB_BYTES_MAX) {
        throw new CairnException(ErrorCode.BAD_FORMAT, "a chunk tree covers at most "
            + BLOB_BYTES_MAX + " bytes, not " + total);
      }
      if (inChunk > 0 || leaves.isEmpty()) {
        finishLeaf();
      }
      return new ChunkTree(total, leaves.toArray(new byte[0][]));
    }
  }
}
