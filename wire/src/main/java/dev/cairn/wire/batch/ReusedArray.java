package dev.cairn.wire.batch;

import org.apache.arrow.memory.ArrowBuf;

/**
 * A byte array one thread reuses for work of varying size (encoding or decoding thousands of
 * buffers on a few threads), grown on demand; an array above {@link #KEPT_BYTES_MAX} serves its
 * one call and is not kept, so a rare huge buffer does not stay pinned per thread. Not
 * thread-safe.
 */
final class ReusedArray {
  static final int KEPT_BYTES_MAX = 16 << 20;
  private byte[] kept = new byte[0];

  /** Returns an array of at least {@code length} bytes, with any contents. */
  byte[] atLeast(int length) {
    if (kept.length >= length) {
      return kept;
    }
    byte[] grown = new byte[Math.max(length, Math.min(kept.length * 2, KEPT_BYTES_MAX))];
    if (grown.length <= KEPT_BYTES_MAX) {
      kept = grown;
    }
    return grown;
  }

  /** Returns an array of at least {@code length} bytes starting with those of {@code source}. */
  byte[] copyOf(ArrowBuf source, long from, int length) {
    byte[] copy = atLeast(length);
    source.getBytes(from, copy, 0, length);
    return copy;
  }
}
