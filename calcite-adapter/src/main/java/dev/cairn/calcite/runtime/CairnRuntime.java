package dev.cairn.calcite.runtime;

import dev.cairn.calcite.cache.BatchCache;
import dev.cairn.client.net.ConnectionPool;
import dev.cairn.wire.CairnException;
import dev.cairn.wire.ContentId;
import dev.cairn.wire.ErrorCode;
import dev.cairn.wire.batch.RecyclingMemory;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.arrow.memory.BufferAllocator;

/**
 * What the sessions of one set of runtime settings share: the batch cache, the head tracker
 * (kept in the cache directory when there is one, else in memory for the runtime's life), the
 * embedded DuckDB database it loads into, the Arrow allocator, the network connection pool, the
 * load threads and the query timer. {@link #close} frees all of it.
 *
 * <p>Two kinds: an owned runtime ({@link #create}), which an application (a {@code
 * CairnDataSource}) creates and closes; and a shared one ({@link #acquireShared}), which the
 * {@code DriverManager} connections with the same runtime settings ({@link
 * RuntimeConfig#sharingKey}) share, counted by its sessions and closed when the last one closes.
 * Connections with other runtime settings get another runtime, never one with different
 * settings.
 *
 * <p>Runtimes of one JVM over the same {@code cache.dir} must agree on {@code cache.size}, which
 * bounds that directory: one asking for another bound fails with {@code BAD_CONFIG} instead of
 * letting two caches evict each other's files to different bounds ({@link CacheDirs}).
 */
public final class CairnRuntime implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(CairnRuntime.class.getName());
  /** The live shared runtimes; a runtime leaves when its last session closes. */
  private static final Map<RuntimeConfig.SharingKey, CairnRuntime> SHARED = new HashMap<>();
  private static final AtomicInteger RUNTIME_NUMBER = new AtomicInteger();
  /**
   * Most load threads: one query loads at most {@code fetch.parallelism} batches at once (at
   * most {@link RuntimeConfig#FETCH_PARALLELISM_MAX}); sessions beyond that wait their turn.
   */
  static final int LOAD_THREADS_MAX = RuntimeConfig.FETCH_PARALLELISM_MAX;
  /** Most cold queries at once whose DuckDB reads batches as they arrive. */
  static final int ARRIVAL_THREADS_MAX = 16;
  /** How long an idle load thread lives: a quiet runtime holds no threads but the timer's. */
  private static final long LOAD_THREAD_IDLE_SECONDS = 30;
  /** How long {@link #close} waits for a thread pool to finish what it was doing. */
  private static final long CLOSE_WAIT_SECONDS = 10;

  static {
    JavaNioAccess.open(); // before the allocator initialises Arrow
  }

  /**
   * Freed Arrow blocks kept for the next batch loads (at most this many bytes idle), freed when
   * the runtime closes: fresh native memory for every decoded batch cost page faults.
   */
  static final long RECYCLED_BYTES_MAX = 64L << 20;

  final BufferAllocator allocator = new RecyclingMemory(RECYCLED_BYTES_MAX).newRootAllocator();
  final ConnectionPool pool;
  final DuckDbStore store;
  final BatchCache cache;
  /** What this runtime's readers saw of table heads: in the cache directory, or in memory. */
  final HeadTracker heads;
  /** Fetches, decodes and loads batches; bounded, idle threads end. */
  final ExecutorService loadThreads;
  /**
   * Runs the loads of cold queries that DuckDB reads as their batches arrive, while the query's
   * own thread runs DuckDB; at most {@link #ARRIVAL_THREADS_MAX} at once, and a query finding
   * none free loads first and queries after, as others do. Apart from {@link #loadThreads},
   * which their jobs run on, so they can never wait for a thread one of them holds.
   */
  final ThreadPoolExecutor arrivalThreads;
  /** Query timeouts and the re-sent DuckDB interrupts of cancelled queries. */
  final ScheduledThreadPoolExecutor timer;
  /** Batches some session is loading right now, so others wait instead of loading twice. */
  final ConcurrentHashMap<ContentId, CompletableFuture<Void>> loading = new ConcurrentHashMap<>();

  private final RuntimeConfig.SharingKey key;
  private final boolean shared;
  /** The cache directory this runtime claimed in {@link CacheDirs}, or null. */
  private final Path claimedDir;
  private final Set<CairnSession> sessions = ConcurrentHashMap.newKeySet();
  private int users; // sessions counted on a shared runtime; guarded by SHARED
  private volatile boolean closed;

  private CairnRuntime(RuntimeConfig config, boolean shared) {
    this.key = config.sharingKey();
    this.shared = shared;
    this.claimedDir = key.cacheDir();
    if (claimedDir != null) {
      try {
        CacheDirs.claim(claimedDir, config.cacheBytes()); // before threads, sockets and DuckDB
      } catch (CairnException e) {
        allocator.close();
        throw e;
      }
    }
    int number = RUNTIME_NUMBER.incrementAndGet();
    ThreadPoolExecutor loads = new ThreadPoolExecutor(LOAD_THREADS_MAX, LOAD_THREADS_MAX,
        LOAD_THREAD_IDLE_SECONDS, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
        named("cairn-load-" + number));
    loads.allowCoreThreadTimeOut(true);
    this.loadThreads = loads;
    this.arrivalThreads = new ThreadPoolExecutor(0, ARRIVAL_THREADS_MAX,
        LOAD_THREAD_IDLE_SECONDS, TimeUnit.SECONDS, new java.util.concurrent.SynchronousQueue<>(),
        named("cairn-arrivals-" + number));
    this.timer = new ScheduledThreadPoolExecutor(1, named("cairn-query-timer-" + number));
    timer.setRemoveOnCancelPolicy(true);
    ConnectionPool p = null;
    DuckDbStore s = null;
    try {
      p = new ConnectionPool(config.connectTimeout(),
          ConnectionPool.CONNECTIONS_PER_ADDRESS_DEFAULT, config.nodeKey());
      s = new DuckDbStore(config.duckdbThreads(), config.duckdbMemoryLimit());
      this.store = s;
      this.pool = p;
      cache = new BatchCache(config.cacheBytes(), config.cacheDir(), store::evict);
      heads = config.cacheDir() == null ? HeadTracker.inMemory()
          : HeadTracker.open(config.cacheDir());
    } catch (RuntimeException e) {
      closeQuietly(s, p);
      throw e;
    }
  }

  private void closeQuietly(DuckDbStore s, ConnectionPool p) {
    releaseDir();
    loadThreads.shutdownNow();
    arrivalThreads.shutdownNow();
    timer.shutdownNow();
    if (s != null) {
      s.close();
    }
    if (p != null) {
      p.close();
    }
    allocator.close();
  }

  private static ThreadFactory named(String prefix) {
    AtomicInteger count = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, prefix + "-" + count.incrementAndGet());
      // A runtime an application forgets to close must not keep its JVM from exiting.
      thread.setDaemon(true);
      return thread;
    };
  }

  /** Returns a new runtime with {@code config}'s settings, owned (and closed) by the caller. */
  public static CairnRuntime create(RuntimeConfig config) {
    return new CairnRuntime(config, false);
  }

  /**
   * Returns the live shared runtime with {@code config}'s runtime settings, or a new one, and
   * counts one more user of it; {@link #release} counts one less.
   */
  static CairnRuntime acquireShared(RuntimeConfig config) {
    synchronized (SHARED) {
      CairnRuntime runtime = SHARED.get(config.sharingKey());
      if (runtime == null) {
        runtime = new CairnRuntime(config, true);
        SHARED.put(runtime.key, runtime);
      }
      runtime.users++;
      return runtime;
    }
  }

  /** Counts one user less of a shared runtime, closing it when none is left. */
  void release() {
    if (!shared) {
      return;
    }
    synchronized (SHARED) {
      if (--users > 0) {
        return;
      }
      SHARED.remove(key, this);
    }
    close();
  }

  /** Returns the number of live shared runtimes (for tests and diagnostics). */
  public static int sharedCount() {
    synchronized (SHARED) {
      return SHARED.size();
    }
  }

  /** Registers an open session, which {@link #close} closes; throws if this runtime closed. */
  void attach(CairnSession session) {
    sessions.add(session);
    if (closed) {
      sessions.remove(session);
      throw new CairnException(ErrorCode.IO_ERROR, "this Cairn runtime (data source) is closed");
    }
  }

  /** Forgets a session that closed. */
  void detach(CairnSession session) {
    sessions.remove(session);
  }

  /** Returns the head tracker every session of this runtime checks heads against. */
  public HeadTracker heads() {
    return heads;
  }

  /** Returns the batch cache (for diagnostics and tests). */
  public BatchCache cache() {
    return cache;
  }

  /** Returns the bytes of direct memory the Arrow allocator holds now (0 when idle). */
  public long allocatedBytes() {
    return allocator.getAllocatedMemory();
  }

  /** Returns true once {@link #close} ran: DuckDB, threads, sockets and memory are freed. */
  public boolean isClosed() {
    return closed;
  }

  /**
   * Closes every session (cancelling what they run), then frees the load threads, the timer,
   * the network connections, the embedded DuckDB database and the Arrow allocator. Idempotent.
   */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    if (shared) {
      synchronized (SHARED) {
        SHARED.remove(key, this);
      }
    }
    for (CairnSession session : List.copyOf(sessions)) {
      session.close();
    }
    loadThreads.shutdownNow();
    arrivalThreads.shutdownNow();
    timer.shutdownNow();
    awaitTermination(arrivalThreads);
    awaitTermination(loadThreads);
    awaitTermination(timer);
    pool.close();
    store.close();
    try {
      allocator.close();
    } catch (IllegalStateException e) {
      // A leak is a Cairn bug; closing the rest matters more than reporting it loudly here.
      LOG.log(Level.WARNING, "Arrow memory still allocated when the Cairn runtime closed", e);
    }
    releaseDir();
  }

  private void releaseDir() {
    if (claimedDir != null) {
      CacheDirs.release(claimedDir);
    }
  }

  private static void awaitTermination(ExecutorService executor) {
    try {
      if (!executor.awaitTermination(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS)) {
        LOG.warning("Cairn runtime threads did not stop within " + CLOSE_WAIT_SECONDS + " s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
