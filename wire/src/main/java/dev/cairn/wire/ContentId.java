package dev.cairn.wire;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The name of a blob (a batch, an erasure shard): the root of its {@link ChunkTree}, the
 * RFC 6962 Merkle tree over its 64 KiB chunks (docs/protocol.md 2 and 4.6). A manifest is named
 * differently, by the SHA-256 of its bytes ({@link #sha256}; protocol 4.4), in the same form.
 *
 * <p>Why the tree root and not the SHA-256 of the bytes: the tree is what audits and chunk
 * proofs need anyway, so every party that checks a blob (writer, donors, readers) hashes its
 * bytes once instead of twice (docs/decisions.md, "Content ids are chunk-tree roots").
 *
 * <p>Printed as 64 lowercase hex characters. {@link #parse} accepts exactly that form and
 * nothing else, so an id read from the network or a file name can be used as a path component
 * only after it went through here.
 */
public final class ContentId implements Comparable<ContentId> {
  /** Length of an id in bytes. */
  public static final int BYTES = 32;
  /** Length of an id's printed form in characters. */
  public static final int HEX_CHARS = BYTES * 2;

  private static final HexFormat HEX = HexFormat.of();

  private final byte[] bytes;

  private ContentId(byte[] bytes) {
    this.bytes = bytes;
  }

  /** Returns the id of the blob {@code data}: its chunk tree's root. */
  public static ContentId of(byte[] data) {
    return of(data, 0, data.length);
  }

  /** Returns the id of the blob of {@code length} bytes of {@code data} from {@code offset}. */
  public static ContentId of(byte[] data, int offset, int length) {
    return ChunkTree.builder().update(data, offset, length).build().root();
  }

  /** Returns the id of the blob in the remaining bytes of {@code data}, position unchanged. */
  public static ContentId of(ByteBuffer data) {
    return ChunkTree.builder().update(data.duplicate()).build().root();
  }

  /**
   * Returns the SHA-256 of {@code data} in an id's form: a manifest's id (docs/protocol.md 4.4)
   * and the other names that are not blob ids. Never use it to name or check a blob.
   */
  public static ContentId sha256(byte[] data) {
    return new ContentId(newSha256().digest(data));
  }

  /** Wraps 32 raw id bytes (copied). */
  public static ContentId fromBytes(byte[] raw) {
    if (raw.length != BYTES) {
      throw new CairnException(ErrorCode.BAD_FORMAT,
          "content id must be " + BYTES + " bytes, got " + raw.length);
    }
    return new ContentId(raw.clone());
  }

  /** Parses the printed form: exactly 64 lowercase hex characters. */
  public static ContentId parse(String hex) {
    if (hex == null || hex.length() != HEX_CHARS) {
      throw new CairnException(ErrorCode.BAD_FORMAT,
          "content id must be " + HEX_CHARS + " lowercase hex characters");
    }
    for (int i = 0; i < HEX_CHARS; i++) {
      char c = hex.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
        throw new CairnException(ErrorCode.BAD_FORMAT,
            "content id has a character that is not lowercase hex at index " + i);
      }
    }
    return new ContentId(HEX.parseHex(hex));
  }

  /** Returns a fresh SHA-256 digest, the hash every id and tree node is made of. */
  public static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java 17 runtime has SHA-256", e);
    }
  }

  /** Returns true if {@code data} is the blob this id names. */
  public boolean matches(byte[] data) {
    return equals(of(data));
  }

  /** Throws BAD_HASH unless {@code data} is the blob this id names. */
  public void verify(byte[] data) {
    ContentId actual = of(data);
    if (!equals(actual)) {
      throw new CairnException(ErrorCode.BAD_HASH,
          "bytes hash to " + actual.toHex() + " but were expected to be " + toHex());
    }
  }

  /** Returns a copy of the 32 raw bytes. */
  public byte[] toBytes() {
    return bytes.clone();
  }

  /** Writes the 32 raw bytes into {@code target}. */
  public void writeTo(ByteBuffer target) {
    target.put(bytes);
  }

  /** Returns the 64-character lowercase hex form. */
  public String toHex() {
    return HEX.formatHex(bytes);
  }

  /** Returns the first 12 hex characters, for logs and tables meant for people. */
  public String toShortHex() {
    return toHex().substring(0, 12);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ContentId && Arrays.equals(bytes, ((ContentId) o).bytes);
  }

  @Override
  public int hashCode() {
    // The bytes are a cryptographic hash: the first four are as good as any mix of them.
    return (bytes[0] & 0xff) << 24 | (bytes[1] & 0xff) << 16 | (bytes[2] & 0xff) << 8
        | (bytes[3] & 0xff);
  }

  @Override
  public int compareTo(ContentId other) {
    return Arrays.compareUnsigned(bytes, other.bytes);
  }

  @Override
  public String toString() {
    return toHex();
  }
}
