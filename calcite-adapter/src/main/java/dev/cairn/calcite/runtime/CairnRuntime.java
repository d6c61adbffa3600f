package dev.cairn.calcite.runtime;

import dev.cairn.calcite.cache.BatchCache;
import dev.cairn.client.net.ConnectionPool;
import dev.cairn.wire.ContentId;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;

/**
 * What all sessions of a JVM with the same cache and DuckDB settings share: the batch cache,
 * the head tracker (kept in the cache directory when there is one), the embedded DuckDB
 * database it loads into, the Arrow allocator, the network connection pool
 * and the fetch threads. Created on first use and kept for the life of the JVM, so the cache
 * survives connections closing (a pool that closes and reopens connections keeps its data).
 */
public final class CairnRuntime {
  private static final Map<RuntimeConfig.SharingKey, CairnRuntime> SHARED = new HashMap<>();
  private static final AtomicInteger THREAD_NUMBER = new AtomicInteger();

  static {
    JavaNioAccess.open(); // before the allocator initialises Arrow
  }

  final BufferAllocator allocator = new RootAllocator();
  final ConnectionPool pool;
  final DuckDbStore store;
  final BatchCache cache;
  /** What this runtime's readers saw of table heads: in the cache directory, or in memory. */
  final HeadTracker heads;
  final ExecutorService fetchThreads = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "cairn-fetch-" + THREAD_NUMBER.incrementAndGet());
    t.setDaemon(true);
    return t;
  });
  /** Batches some session is loading right now, so others wait instead of loading twice. */
  final ConcurrentHashMap<ContentId, CompletableFuture<Void>> loading = new ConcurrentHashMap<>();

  private CairnRuntime(RuntimeConfig config) {
    pool = new ConnectionPool(config.connectTimeout());
    store = new DuckDbStore(config.duckdbThreads(), config.duckdbMemoryLimit());
    cache = new BatchCache(config.cacheBytes(), config.cacheDir(), store::evict);
    heads = config.cacheDir() == null ? HeadTracker.JVM : HeadTracker.open(config.cacheDir());
  }

  /** Returns the runtime shared by every session with {@code config}'s cache settings. */
  public static synchronized CairnRuntime shared(RuntimeConfig config) {
    return SHARED.computeIfAbsent(config.sharingKey(), k -> new CairnRuntime(config));
  }

  /** Returns the head tracker every session of this runtime checks heads against. */
  public HeadTracker heads() {
    return heads;
  }

  /** Returns the batch cache (for diagnostics and tests). */
  public BatchCache cache() {
    return cache;
  }
}
