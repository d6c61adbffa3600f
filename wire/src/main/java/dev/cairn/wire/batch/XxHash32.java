package dev.cairn.wire.batch;

/**
 * xxHash32 (the LZ4 frame's content and header checksums), reading eight bytes at a time
 * through {@link ByteArrayViews}. Ours for the reason {@link Lz4BlockCompressor} is: of
 * lz4-java's implementations the pure Java one ran at 3.7 GB/s (ours 9, its native one 10), and
 * the faster ones are native or {@code sun.misc.Unsafe}. The function is the
 * published one (seed, primes and rounds of xxHash's specification), so every implementation
 * gives the same value; {@code XxHash32Test} checks it against lz4-java's.
 */
final class XxHash32 {
  private static final int PRIME1 = 0x9E3779B1;
  private static final int PRIME2 = 0x85EBCA77;
  private static final int PRIME3 = 0xC2B2AE3D;
  private static final int PRIME4 = 0x27D4EB2F;
  private static final int PRIME5 = 0x165667B1;
  private static final int STRIPE_BYTES = 16;

  private XxHash32() {
  }

  /** Returns the xxHash32 of bytes {@code [offset, offset + length)} with {@code seed}. */
  static int hash(byte[] bytes, int offset, int length, int seed) {
    java.util.Objects.checkFromIndexSize(offset, length, bytes.length);
    int end = offset + length;
    int i = offset;
    int h;
    if (length >= STRIPE_BYTES) {
      int v1 = seed + PRIME1 + PRIME2;
      int v2 = seed + PRIME2;
      int v3 = seed;
      int v4 = seed - PRIME1;
      // Two little-endian longs a stripe: half the bounds checks of four ints.
      for (int limit = end - STRIPE_BYTES; i <= limit; i += STRIPE_BYTES) {
        long low = (long) ByteArrayViews.LONG_LE.get(bytes, i);
        long high = (long) ByteArrayViews.LONG_LE.get(bytes, i + 8);
        v1 = round(v1, (int) low);
        v2 = round(v2, (int) (low >>> 32));
        v3 = round(v3, (int) high);
        v4 = round(v4, (int) (high >>> 32));
      }
      h = Integer.rotateLeft(v1, 1) + Integer.rotateLeft(v2, 7) + Integer.rotateLeft(v3, 12)
          + Integer.rotateLeft(v4, 18);
    } else {
      h = seed + PRIME5;
    }
    h += length;
    for (; i + Integer.BYTES <= end; i += Integer.BYTES) {
      int lane = (int) ByteArrayViews.INT_LE.get(bytes, i);
      h = Integer.rotateLeft(h + lane * PRIME3, 17) * PRIME4;
    }
    for (; i < end; i++) {
      h = Integer.rotateLeft(h + (bytes[i] & 0xFF) * PRIME5, 11) * PRIME1;
    }
    h ^= h >>> 15;
    h *= PRIME2;
    h ^= h >>> 13;
    h *= PRIME3;
    h ^= h >>> 16;
    return h;
  }

  private static int round(int accumulator, int lane) {
    return Integer.rotateLeft(accumulator + lane * PRIME2, 13) * PRIME1;
  }
}
