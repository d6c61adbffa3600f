package dev.cairn.spark;

import java.util.concurrent.atomic.AtomicLong;

/**
 * What the readers of this JVM fetched so far: verified batch blobs and their bytes, the
 * donors caught serving other bytes, and the batches the JVM's blob cache served or lacked.
 * Per JVM (in local mode, the whole job); tests read them to check that pushed filters skip
 * batches and that a warm read fetches nothing.
 */
public final class ReadCounters {
  private static final AtomicLong FETCHED_BATCHES = new AtomicLong();
  private static final AtomicLong FETCHED_BYTES = new AtomicLong();
  private static final AtomicLong BAD_HOLDERS = new AtomicLong();
  private static final AtomicLong CACHE_HITS = new AtomicLong();
  private static final AtomicLong CACHE_MISSES = new AtomicLong();

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

  /** Returns the batches read from this JVM's blob cache, with no fetch and no hash. */
  public static long cacheHits() {
    return CACHE_HITS.get();
  }

  /** Returns the batches a reader using the cache did not find there and fetched. */
  public static long cacheMisses() {
    return CACHE_MISSES.get();
  }

  /** Returns the batches read so far, from donors or from the cache. */
  public static long batchesRead() {
    return FETCHED_BATCHES.get() + CACHE_HITS.get();
  }

  static void cacheHit() {
    CACHE_HITS.incrementAndGet();
  }

  static void cacheMiss() {
    CACHE_MISSES.incrementAndGet();
  }

  static void badHolder() {
    BAD_HOLDERS.incrementAndGet();
  }

  static void fetched(long bytes) {
    FETCHED_BATCHES.incrementAndGet();
    FETCHED_BYTES.addAndGet(bytes);
  }
}
