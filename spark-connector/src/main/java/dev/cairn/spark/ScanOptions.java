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
 * @param cacheSize most verified blob bytes each executor JVM keeps between tasks (option
 *     {@value #CACHE_SIZE}); 0 reads around the cache, {@link #CACHE_SIZE_DEFAULT} means a
 *     quarter of the executor's maximum heap, decided on the executor
 */
record ScanOptions(long partitionBytes, int fetchesAhead, long cacheSize)
    implements Serializable {
  static final String PARTITION_BYTES = "partitionBytes";
  static final String FETCHES_AHEAD = "fetchesAhead";
  static final String CACHE_SIZE = "cacheSize";
  static final long PARTITION_BYTES_DEFAULT = 128L << 20;
  static final int FETCHES_AHEAD_DEFAULT = 2;
  static final long CACHE_SIZE_DEFAULT = -1;

  /** Reads the options Spark passes (keys case-insensitive); BAD_FORMAT for a bad value. */
  static ScanOptions of(Map<String, String> options) {
    return new ScanOptions(
        positive(options, PARTITION_BYTES, PARTITION_BYTES_DEFAULT, Long.MAX_VALUE),
        (int) positive(options, FETCHES_AHEAD, FETCHES_AHEAD_DEFAULT, 64),
        whole(options, CACHE_SIZE, CACHE_SIZE_DEFAULT, 0, Long.MAX_VALUE));
  }

  /** Returns the bound of this JVM's blob cache, 0 when the scan reads around it. */
  long cacheBytes() {
    return cacheSize == CACHE_SIZE_DEFAULT ? VerifiedBlobCache.defaultCapacity() : cacheSize;
  }

  private static long positive(Map<String, String> options, String key, long fallback,
      long max) {
    return whole(options, key, fallback, 1, max);
  }

  private static long whole(Map<String, String> options, String key, long fallback, long min,
      long max) {
    String text = options.get(key);
    if (text == null) {
      return fallback;
    }
    try {
      long value = Long.parseLong(text.trim());
      if (value >= min && value <= max) {
        return value;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new CairnException(ErrorCode.BAD_FORMAT, "option " + key + "='" + text
        + "' must be a whole number from " + min + " to " + max);
  }
}
