package dev.cairn.client.fetch;

import java.util.Arrays;

/**
 * Recent durations of won fetches, by size class (powers of two), so a fetch is compared with
 * fetches of similar size: a 32 MiB blob is not "slow" next to 4 KiB ones. Each class keeps a
 * ring of its last {@value #SAMPLES_PER_CLASS} durations. Not thread safe: the scheduler's
 * lock guards it.
 */
final class DurationHistory {
  static final int SAMPLES_PER_CLASS = 32;
  /** Fewer samples than this in a class are no basis for calling a fetch slow. */
  static final int SAMPLES_MIN = 3;
  private static final int CLASSES = 64;

  private final long[][] rings = new long[CLASSES][];
  private final int[] counts = new int[CLASSES];

  void record(long bytes, long nanos) {
    int sizeClass = sizeClass(bytes);
    if (rings[sizeClass] == null) {
      rings[sizeClass] = new long[SAMPLES_PER_CLASS];
    }
    rings[sizeClass][counts[sizeClass] % SAMPLES_PER_CLASS] = nanos;
    counts[sizeClass]++;
  }

  /** Returns the median recent duration for blobs of about {@code bytes}, or -1 if unknown. */
  long medianNanos(long bytes) {
    int sizeClass = sizeClass(bytes);
    int n = Math.min(counts[sizeClass], SAMPLES_PER_CLASS);
    if (n < SAMPLES_MIN) {
      return -1;
    }
    long[] sorted = Arrays.copyOf(rings[sizeClass], n);
    Arrays.sort(sorted);
    return sorted[n / 2];
  }

  private static int sizeClass(long bytes) {
    return 64 - Long.numberOfLeadingZeros(Math.max(bytes, 1)) - 1;
  }
}
