package dev.cairn.spark;

import dev.cairn.wire.ContentId;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The verified batch blobs this JVM (executor, or in local mode the driver) keeps between
 * tasks and jobs, keyed by content id, least recently used out first, bounded by blob bytes.
 *
 * <p>Only bytes that already hashed to their id enter ({@link #put} takes them from the fetch
 * scheduler or the stripe decoder after verification), and an id names one content forever, so
 * an entry is never stale and nothing is ever invalidated: a newer table version names other
 * ids for the batches it changed and finds the ones it shares here. The blobs stay on the JVM
 * heap and are never written out, so nothing read back needs hashing again; a warm read skips
 * the fetch and the hash and decodes the columns it needs from the blob.
 *
 * <p>The bound is the {@code cacheSize} option of the scan that used the cache last (one JVM
 * runs the tasks of many scans; the newest setting wins and evicts down to it at once). A blob
 * larger than the bound is not kept. All methods are thread-safe; the lock is held only for
 * map updates, never while fetching or decoding.
 */
final class VerifiedBlobCache {
  /** The one cache of this JVM. */
  static final VerifiedBlobCache SHARED = new VerifiedBlobCache(defaultCapacity());

  /** Access-ordered: iteration starts at the least recently used blob. */
  private final LinkedHashMap<ContentId, byte[]> blobs = new LinkedHashMap<>(64, 0.75f, true);
  private long capacityBytes;
  private long residentBytes;

  VerifiedBlobCache(long capacityBytes) {
    this.capacityBytes = capacityBytes;
  }

  /** Returns the default bound: a quarter of this JVM's maximum heap. */
  static long defaultCapacity() {
    return Runtime.getRuntime().maxMemory() / 4;
  }

  /** Sets the bound to {@code bytes} (at least 1), evicting least recently used blobs to fit. */
  synchronized void limit(long bytes) {
    capacityBytes = bytes;
    evictToFit();
  }

  /** Returns the verified blob of {@code id} if kept, marking it recently used; else null. */
  synchronized byte[] get(ContentId id) {
    return blobs.get(id);
  }

  /** Returns whether the blob of {@code id} is kept, without marking it used. */
  synchronized boolean contains(ContentId id) {
    return blobs.containsKey(id);
  }

  /**
   * Keeps {@code verifiedBytes}, which the caller has checked hash to {@code id}; the array
   * must not be changed afterwards (decoding only reads it).
   */
  synchronized void put(ContentId id, byte[] verifiedBytes) {
    if (verifiedBytes.length > capacityBytes) {
      return;
    }
    byte[] previous = blobs.put(id, verifiedBytes);
    if (previous != null) {
      residentBytes -= previous.length;
    }
    residentBytes += verifiedBytes.length;
    evictToFit();
  }

  /** Returns the blob bytes kept now. */
  synchronized long residentBytes() {
    return residentBytes;
  }

  /** Drops every blob (tests start from an empty cache). */
  synchronized void clear() {
    blobs.clear();
    residentBytes = 0;
  }

  private void evictToFit() {
    Iterator<Map.Entry<ContentId, byte[]>> oldest = blobs.entrySet().iterator();
    while (residentBytes > capacityBytes && oldest.hasNext()) {
      residentBytes -= oldest.next().getValue().length;
      oldest.remove();
    }
  }
}
