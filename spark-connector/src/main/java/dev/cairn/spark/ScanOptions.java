package dev.cairn.spark;

import dev.cairn.wire.CairnException;
import dev.cairn.wire.ErrorCode;
import java.io.Serializable;
import java.util.Map;

/**
 * The read options of a scan.
 *
 * @param partitionBytes the blob bytes one input partition aims at (option {@value
 *     #PARTITION_BYTES}); batches are never split, so a partition holds at least one
 * @param fetchesAhead most verified blobs a partition's reader fetches ahead of the batch Spark
 *     is reading (option {@value #FETCHES_AHEAD}), which bounds its memory
 */
record ScanOptions(long partitionBytes, int fetchesAhead) implements Serializable {
  static final String PARTITION_BYTES = "partitionBytes";
  static final String FETCHES_AHEAD = "fetchesAhead";
  static final long PARTITION_BYTES_DEFAULT = 128L << 20;
  static final int FETCHES_AHEAD_DEFAULT = 2;

  /** Reads the options Spark passes (keys case-insensitive); BAD_FORMAT for a bad value. */
  static ScanOptions of(Map<String, String> options) {
    return new ScanOptions(
        positive(options, PARTITION_BYTES, PARTITION_BYTES_DEFAULT, Long.MAX_VALUE),
        (int) positive(options, FETCHES_AHEAD, FETCHES_AHEAD_DEFAULT, 64));
  }

  private static long positive(Map<String, String> options, String key, long fallback,
      long max) {
    String text = options.get(key);
    if (text == null) {
      return fallback;
    }
    try {
      long value = Long.parseLong(text.trim());
      if (value >= 1 && value <= max) {
        return value;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new CairnException(ErrorCode.BAD_FORMAT, "option " + key + "='" + text
        + "' must be a whole number from 1 to " + max);
  }
}
