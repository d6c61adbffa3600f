package dev.cairn.spark;

import java.util.concurrent.atomic.AtomicLong;

/**
 * What the readers of this JVM fetched so far: verified batch blobs and their bytes, and the
 * donors caught serving other bytes. Per JVM
 * (in local mode, the whole job); tests read them to check that pushed filters skip batches.
 */
public final class ReadCounters {
  private static final AtomicLong FETCHED_BATCHES = new AtomicLong();
  private static final AtomicLong FETCHED_BYTES = new AtomicLong();
  private static final AtomicLong BAD_HOLDERS = new AtomicLong();

  private ReadCounters() {}

  /** Returns the batches fetched and verified in this JVM so far. */
  public static long fetchedBatches() {
    return FETCHED_BATCHES.get();
  }

  /** Returns the blob bytes fetched and verified in this JVM so far. */
  public static long fetchedBytes() {
    return FETCHED_BYTES.get();
  }

  /** Returns how many times a donor served bytes that did not match the signed id. */
  public static long badHolders() {
    return BAD_HOLDERS.get();
  }

  static void badHolder() {
    BAD_HOLDERS.incrementAndGet();
  }

  static void fetched(long bytes) {
    FETCHED_BATCHES.incrementAndGet();
    FETCHED_BYTES.addAndGet(bytes);
  }
}
