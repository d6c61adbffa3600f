package dev.cairn.wire.batch;

import java.util.Arrays;

/**
 * Compresses one LZ4 block of at most 64 KiB with the classic single-probe LZ4 fast algorithm
 * (docs/protocol.md, 5.2): a 2<sup>13</sup>-entry table of 16-bit positions keyed by the
 * multiplicative hash of four bytes read little-endian, a search step that grows by one every
 * 64 misses, matches extended backwards to the last sequence's end, and the last five bytes
 * always literals. Its output is, byte for byte, what lz4-java's Java fast compressor writes for
 * such a block on a little-endian machine ({@code Lz4BlockCompressorTest} compares the two on
 * every shape of input), so content ids do not change with it; reading the hash's bytes
 * little-endian on every machine is what makes them the same on a big-endian one too, where
 * lz4-java reads them in the machine's order.
 *
 * <p>Why our own: LZ4 was 45% of a publish worker's encoding, lz4-java's safe Java compressor
 * reads each byte on its own, its faster Java one is reachable only through a factory lz4-java
 * marks insecure, and its native one writes other bytes (other content ids).
 * Reading four and eight bytes at a time through {@link ByteArrayViews} gives the fast
 * one's speed with every access bounds-checked (docs/decisions.md). Not thread-safe: one per
 * thread, for its reused table.
 */
final class Lz4BlockCompressor {
  /** The largest block this compressor takes: positions must fit the table's 16 bits. */
  static final int INPUT_BYTES_MAX = 64 * 1024;

  private static final int MIN_MATCH = 4;
  /** The last bytes of a block are always literals. */
  private static final int LAST_LITERALS = 5;
  /** No match starts within this many bytes of the end. */
  private static final int MATCH_START_MARGIN = 12;
  /** A shorter block is all literals. */
  private static final int MIN_INPUT = MATCH_START_MARGIN + 1;
  private static final int HASH_BITS = 13;
  /** Misses before the search step grows by one byte. */
  private static final int SKIP_SHIFT = 6;
  private static final int LENGTH_BITS = 4;
  /** A token's 4-bit length field; at this value more length bytes follow. */
  private static final int LENGTH_MASK = (1 << LENGTH_BITS) - 1;

  private final short[] positions = new short[1 << HASH_BITS];

  /** The most bytes a block of {@code length} input bytes can take (LZ4's compress bound). */
  static int maxCompressedLength(int length) {
    return length + length / 255 + 16;
  }

  /**
   * Compresses {@code src[srcOff, srcOff + srcLen)} into {@code dest} from {@code destOff},
   * which must have at least {@link #maxCompressedLength} bytes free; returns the block's size.
   */
  int compress(byte[] src, int srcOff, int srcLen, byte[] dest, int destOff) {
    if (srcLen < 0 || srcLen > INPUT_BYTES_MAX
        || dest.length - destOff < maxCompressedLength(srcLen)) {
      throw new IllegalArgumentException("an LZ4 block of " + srcLen + " bytes into "
          + (dest.length - destOff) + " free");
    }
    int end = srcOff + srcLen;
    int anchor = srcOff;
    int d = destOff;
    if (srcLen >= MIN_INPUT) {
      int matchEndLimit = end - LAST_LITERALS;
      int matchStartLimit = end - MATCH_START_MARGIN;
      Arrays.fill(positions, (short) 0);
      int s = srcOff + 1;
      search:
      while (true) {
        int ref;
        int next = s;
        int step = 1;
        int misses = 1 << SKIP_SHIFT;
        do {
          s = next;
          next += step;
          step = misses++ >>> SKIP_SHIFT;
          if (next > matchStartLimit) {
            break search;
          }
          int slot = slot(src, s);
          ref = srcOff + (positions[slot] & 0xFFFF);
          positions[slot] = (short) (s - srcOff);
        } while (readInt(src, ref) != readInt(src, s));
        while (ref > srcOff && s > anchor && src[ref - 1] == src[s - 1]) {
          ref--;
          s--;
        }
        int token = d;
        d = writeLiterals(src, anchor, s - anchor, dest, token);
        while (true) { // one match, and more while the next position matches at once
          int offset = s - ref;
          dest[d] = (byte) offset;
          dest[d + 1] = (byte) (offset >>> 8);
          d += 2;
          s += MIN_MATCH;
          int extra = commonBytes(src, ref + MIN_MATCH, s, matchEndLimit);
          s += extra;
          if (extra >= LENGTH_MASK) {
            dest[token] |= (byte) LENGTH_MASK;
            d = writeLength(extra - LENGTH_MASK, dest, d);
          } else {
            dest[token] |= (byte) extra;
          }
          if (s > matchStartLimit) {
            anchor = s;
            break search;
          }
          positions[slot(src, s - 2)] = (short) (s - 2 - srcOff);
          int slot = slot(src, s);
          ref = srcOff + (positions[slot] & 0xFFFF);
          positions[slot] = (short) (s - srcOff);
          if (readInt(src, s) != readInt(src, ref)) {
            break;
          }
          token = d++;
          dest[token] = 0;
        }
        anchor = s++;
      }
    }
    return writeLiterals(src, anchor, end - anchor, dest, d) - destOff;
  }

  /**
   * Starts a sequence at {@code token}: the token with the literals' length (a match's length
   * is added to it later), the length's extra bytes, then the literals; returns where the next
   * byte goes.
   */
  private static int writeLiterals(byte[] src, int from, int count, byte[] dest, int token) {
    int d = token + 1;
    if (count >= LENGTH_MASK) {
      dest[token] = (byte) (LENGTH_MASK << LENGTH_BITS);
      d = writeLength(count - LENGTH_MASK, dest, d);
    } else {
      dest[token] = (byte) (count << LENGTH_BITS);
    }
    System.arraycopy(src, from, dest, d, count);
    return d + count;
  }

  private static int slot(byte[] src, int at) {
    return (readInt(src, at) * -1640531535) >>> (32 - HASH_BITS);
  }

  private static int readInt(byte[] src, int at) {
    return (int) ByteArrayViews.INT_LE.get(src, at);
  }

  /** Returns how many bytes from {@code ref} equal those from {@code s}, stopping at limit. */
  private static int commonBytes(byte[] src, int ref, int s, int limit) {
    int count = 0;
    while (s <= limit - 8) {
      long diff = (long) ByteArrayViews.LONG_LE.get(src, s)
          ^ (long) ByteArrayViews.LONG_LE.get(src, ref);
      if (diff != 0) {
        return count + (Long.numberOfTrailingZeros(diff) >>> 3);
      }
      count += 8;
      s += 8;
      ref += 8;
    }
    while (s < limit && src[ref] == src[s]) {
      count++;
      s++;
      ref++;
    }
    return count;
  }

  /** Writes the rest of a length above a token's 4 bits: 255s, then what remains. */
  private static int writeLength(int rest, byte[] dest, int d) {
    while (rest >= 255) {
      dest[d++] = (byte) 255;
      rest -= 255;
    }
    dest[d++] = (byte) rest;
    return d;
  }
}
