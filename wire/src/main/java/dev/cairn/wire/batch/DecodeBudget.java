package dev.cairn.wire.batch;

import dev.cairn.wire.CairnException;
import dev.cairn.wire.ErrorCode;

/**
 * The decompressed bytes one blob may still claim. Each buffer's declared length is charged
 * here before its memory is allocated, so the total is bounded, not just each buffer. Not
 * thread-safe: one budget belongs to one decoding.
 */
final class DecodeBudget {
  private long remainingBytes;

  DecodeBudget(long totalBytes) {
    this.remainingBytes = totalBytes;
  }

  /** Returns a budget that only the per-buffer limit bounds. */
  static DecodeBudget unlimited() {
    return new DecodeBudget(Long.MAX_VALUE);
  }

  /** Charges {@code bytes}, or throws BAD_FORMAT if the blob would exceed its total. */
  void charge(long bytes) {
    if (bytes > remainingBytes) {
      throw new CairnException(ErrorCode.BAD_FORMAT, "blob buffers declare more than "
          + BatchLimits.DECODED_BLOB_BYTES_MAX + " decompressed bytes in total");
    }
    remainingBytes -= bytes;
  }
}
