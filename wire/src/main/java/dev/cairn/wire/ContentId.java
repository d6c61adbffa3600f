package dev.cairn.wire;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The name of a blob: the SHA-256 of its bytes (docs/decisions.md, "Content ids").
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

  /** Returns the id of {@code data}. */
  public static ContentId of(byte[] data) {
    return of(data, 0, data.length);
  }

  /** Returns the id of {@code length} bytes of {@code data} from {@code offset}. */
  public static ContentId of(byte[] data, int offset, int length) {
    MessageDigest digest = newDigest();
    digest.update(data, offset, length);
    return new ContentId(digest.digest());
  }

  /** Returns the id of the remaining bytes of {@code data}, leaving its position unchanged. */
  public static ContentId of(ByteBuffer data) {
    MessageDigest digest = newDigest();
    digest.update(data.duplicate());
    return new ContentId(digest.digest());
  }

  /** Wraps a finished digest, e.g. from a {@link #newDigest()} fed while streaming. */
  public static ContentId fromDigest(MessageDigest digest) {
    return new ContentId(digest.digest());
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

  /** Returns a fresh SHA-256 digest for hashing a blob in pieces. */
  public static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java 17 runtime has SHA-256", e);
    }
  }

  /** Returns true if {@code data} hashes to this id. */
  public boolean matches(byte[] data) {
    return equals(of(data));
  }

  /** Throws BAD_HASH unless {@code data} hashes to this id. */
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
