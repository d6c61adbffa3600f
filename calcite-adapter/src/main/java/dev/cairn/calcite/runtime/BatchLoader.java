package dev.cairn.calcite.runtime;

import static java.util.Objects.requireNonNull;

import dev.cairn.client.fetch.HolderDirectory;
import dev.cairn.wire.CairnException;
import dev.cairn.wire.ContentId;
import dev.cairn.wire.ErrorCode;
import dev.cairn.wire.TableSchema;
import dev.cairn.wire.batch.BatchDecoder;
import dev.cairn.wire.batch.DecodedBatch;
import dev.cairn.wire.manifest.BatchRef;
import dev.cairn.wire.manifest.RedundancyPolicy;
import java.net.InetSocketAddress;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import org.duckdb.DuckDBConnection;

/**
 * Makes the columns one query needs of the batches it needs resident in DuckDB, and pins those
 * batches until the query ends.
 *
 * <p>A batch with the needed columns resident is only pinned. One that another session is
 * loading is waited for, then looked at again (if that load failed, this query fails with the
 * same named error). For the rest this loader owns the load, as one
 * job per batch run on the runtime's load threads, at most {@code parallelism} at once: get
 * the verified blob from memory (kept by the cache for adding columns), the cache directory
 * (re-verified) or donors; decode only the missing columns; load them into DuckDB through a
 * loader connection of its own. Decoding and loading run in parallel as the fetches do, so a
 * cold query is not bound by one thread; a job holds one blob and its decoded columns, so at
 * most {@code parallelism} of each are in memory. This thread only records each finished job in
 * the cache. A {@link QueryCancel} stops it: waits end, running loads are interrupted (their
 * fetches cancelled) and the query fails with CANCELLED.
 */
final class BatchLoader {
  /** One batch this loader loads: what is resident already and which columns it adds. */
  private record Job(BatchRef batch, TableSchema stored, BitSet resident, BitSet missing) { }

  /** A finished job: the Arrow bytes it loaded and the blob if it was fetched, or a failure. */
  private record Done(Job job, long accounted, byte[] fetched, CairnException failure) { }

  private final CairnRuntime runtime;
  private final BlobSource source;
  private final HolderDirectory holders;
  private final SessionCounters counters;
  private final int parallelism;
  private final QueryCancel cancel;
  /** Evictions of batches this query waited for, past which the cache is too small. */
  static final int EVICTIONS_MAX = 3;
  /** Rounds of waiting for other sessions' loads before giving up (a livelock bound). */
  static final int ROUNDS_MAX = 256;
  /** Every pin this query holds, released by {@link #unpinAll}. */
  private final List<ContentId> pinned = new ArrayList<>();

  BatchLoader(CairnRuntime runtime, BlobSource source, HolderDirectory holders,
      SessionCounters counters, int parallelism, QueryCancel cancel) {
    this.runtime = requireNonNull(runtime, "runtime");
    this.source = requireNonNull(source, "source");
    this.holders = requireNonNull(holders, "holders");
    this.counters = requireNonNull(counters, "counters");
    this.parallelism = parallelism;
    this.cancel = requireNonNull(cancel, "cancel");
  }

  /**
   * Makes the table columns {@code columns} of every batch in {@code batches} resident (each
   * batch's own columns that hold them, {@link BatchColumns#toStored}), and pins them. Returns
   * true if they all were resident already (nothing was loaded or waited for).
   */
  boolean ensureResident(BatchColumns layout, RedundancyPolicy redundancy,
      List<BatchRef> batches, BitSet columns) throws InterruptedException {
    Map<ContentId, BatchRef> wanted = new LinkedHashMap<>();
    batches.forEach(b -> wanted.putIfAbsent(b.id(), b));
    boolean wereResident = true;
    // Batches another session was loading while this one waited: if one is not resident at
    // the next look, the cache evicted it in between. Waits that only added other columns
    // (queries loading one batch for different columns at once) are no sign of a small cache.
    Set<ContentId> waitedFor = new HashSet<>();
    int evicted = 0;
    for (int round = 0; !wanted.isEmpty(); round++) {
      if (round >= ROUNDS_MAX) {
        throw new CairnException(ErrorCode.BUSY, "other queries kept loading the batches this"
            + " one needs for " + ROUNDS_MAX + " rounds; try again");
      }
      for (Iterator<ContentId> it = wanted.keySet().iterator(); it.hasNext(); ) {
        ContentId id = it.next();
        BitSet resident = pinIfResident(id);
        if (resident == null) {
          evicted += waitedFor.contains(id) ? 1 : 0;
        } else if (covers(resident, layout.toStored(id, columns, resident))) {
          it.remove();
        }
      }
      if (evicted > EVICTIONS_MAX) {
        throw new CairnException(ErrorCode.BUSY, "batches were evicted while loading: the"
            + " cache (cache.size) is too small for the queries running at once");
      }
      waitedFor.clear();
      wereResident &= wanted.isEmpty();
      List<BatchRef> mine = new ArrayList<>();
      List<CompletableFuture<Void>> others = new ArrayList<>();
      for (BatchRef b : wanted.values()) {
        CompletableFuture<Void> ours = new CompletableFuture<>();
        CompletableFuture<Void> existing = runtime.loading.putIfAbsent(b.id(), ours);
        if (existing == null) {
          mine.add(b);
        } else {
          others.add(existing);
          waitedFor.add(b.id());
        }
      }
      loadOwned(layout, redundancy, mine, columns);
      mine.forEach(b -> wanted.remove(b.id()));
      if (!others.isEmpty()) {
        counters.loadWaits.incrementAndGet();
      }
      for (CompletableFuture<Void> other : others) {
        awaitOthersLoad(other);
      }
    }
    return wereResident;
  }

  /** Pins the resident cache entry {@code id} (a merged table) for this query; false if gone. */
  boolean pinMerged(ContentId id) {
    if (runtime.cache.pinIfResident(id) == null) {
      return false;
    }
    pinned.add(id);
    return true;
  }

  /** Adds a pin the cache already took for this query (a merged table it admitted). */
  void adoptPin(ContentId id) {
    pinned.add(id);
  }

  /**
   * Waits for another session's load, or until this query is cancelled (CANCELLED); if that
   * load failed (every holder tried), this query fails with that error too, named as it was,
   * instead of retrying into a misleading BUSY.
   */
  private void awaitOthersLoad(CompletableFuture<Void> other) {
    CompletableFuture.anyOf(other, cancel.whenCancelled()).handle((v, e) -> null).join();
    cancel.check();
    try {
      other.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof CairnException failure) {
        throw new CairnException(failure.code(), "another query loading the same batch: "
            + failure.detail(), failure);
      }
      throw e;
    }
  }

  /** Pins {@code id} if it is resident and returns its resident columns, else null. */
  private BitSet pinIfResident(ContentId id) {
    BitSet resident = runtime.cache.pinIfResident(id);
    if (resident != null) {
      pinned.add(id);
    }
    return resident;
  }

  /** Returns whether {@code resident} holds every one of {@code columns}. */
  private static boolean covers(BitSet resident, BitSet columns) {
    BitSet missing = (BitSet) columns.clone();
    missing.andNot(resident);
    return missing.isEmpty();
  }

  /**
   * Loads the batches this loader registered as loading. While registered, nobody else changes
   * their residency, so what is resident now decides what to load: nothing, missing columns,
   * or the whole set. Sessions waiting for a batch this load failed to make resident get its
   * failure.
   */
  private void loadOwned(BatchColumns layout, RedundancyPolicy redundancy, List<BatchRef> mine,
      BitSet columns)
      throws InterruptedException {
    Set<ContentId> recorded = new HashSet<>();
    CairnException failure = null;
    try {
      List<Job> jobs = new ArrayList<>();
      for (BatchRef b : mine) {
        BitSet resident = runtime.cache.pinIfResident(b.id());
        if (resident != null) {
          pinned.add(b.id());
        }
        BitSet missing = layout.toStored(b.id(), columns, resident);
        if (resident != null) {
          missing.andNot(resident);
        }
        if (!missing.isEmpty()) {
          jobs.add(new Job(b, layout.storedBy(b.id()), resident, missing));
        }
      }
      run(redundancy, jobs, recorded);
    } catch (CairnException e) {
      failure = e;
      throw e;
    } finally {
      for (BatchRef b : mine) {
        CompletableFuture<Void> f = runtime.loading.remove(b.id());
        if (f == null) {
          continue;
        }
        if (failure != null && !recorded.contains(b.id())) {
          f.completeExceptionally(failure);
        } else {
          f.complete(null);
        }
      }
    }
  }

  /**
   * Runs {@code jobs}, at most {@code parallelism} at once, and records each finished one. After
   * a failure or a cancel no job starts, but those running are still waited for and recorded if
   * they finished (their tables exist), then the first failure (or CANCELLED) is thrown. Adds
   * the id of each recorded job to {@code recorded}.
   */
  private void run(RedundancyPolicy redundancy, List<Job> jobs, Set<ContentId> recorded)
      throws InterruptedException {
    if (jobs.isEmpty()) {
      return;
    }
    HolderLookup where = new HolderLookup(redundancy, jobs);
    BlockingQueue<Done> finished = new LinkedBlockingQueue<>();
    Iterator<Job> next = jobs.iterator();
    int running = 0;
    CairnException failure = null;
    // A cancel interrupts the running loads (and so their fetches) and wakes this thread.
    Set<Thread> loaders = new HashSet<>();
    Done wake = new Done(null, 0, null, null);
    cancel.onCancel(() -> {
      synchronized (loaders) {
        loaders.forEach(Thread::interrupt);
      }
      finished.add(wake);
    });
    while (running > 0 || (next.hasNext() && failure == null)) {
      while (failure == null && running < parallelism && next.hasNext()
          && !cancel.isCancelled()) {
        Job job = next.next();
        runtime.loadThreads.execute(() -> finished.add(loadUnlessCancelled(job, where,
            loaders)));
        running++;
      }
      if (cancel.isCancelled() && failure == null) {
        failure = cancel.error(); // still wait for the running loads, and record those done
      }
      if (running == 0) {
        break;
      }
      Done done = finished.take();
      if (done == wake) {
        continue;
      }
      running--;
      if (failure == null && cancel.isCancelled()) {
        // The cancel interrupts the loads before it wakes this thread, so a load's failure
        // (its interrupted fetch) can arrive first: the query failed because it was cancelled.
        failure = cancel.error();
      }
      if (failure != null && failure.code() == ErrorCode.CANCELLED) {
        if (done.failure() == null) {
          record(done);
        }
      } else if (done.failure() != null) {
        failure = failure == null ? done.failure() : failure;
      } else {
        record(done);
        recorded.add(done.job().batch().id());
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  /**
   * Finds holders once, on the first job that must fetch: most loads need no donor. For an
   * erasure-coded version the blobs to find are the shards, each placed among k + m nodes.
   */
  private final class HolderLookup {
    private final RedundancyPolicy redundancy;
    private final List<BatchRef> batches;
    private Map<ContentId, List<InetSocketAddress>> found;

    HolderLookup(RedundancyPolicy redundancy, List<Job> jobs) {
      this.redundancy = redundancy;
      this.batches = jobs.stream().map(Job::batch).toList();
    }

    synchronized Map<ContentId, List<InetSocketAddress>> all() {
      if (found == null) {
        found = holders.holdersOf(redundancy, batches);
      }
      return found;
    }

    List<InetSocketAddress> of(ContentId id) {
      return all().getOrDefault(id, List.of());
    }
  }

  /** Runs one job on a load thread, interruptible by a cancel while it runs. */
  private Done loadUnlessCancelled(Job job, HolderLookup where,
      Set<Thread> loaders) {
    Thread self = Thread.currentThread();
    synchronized (loaders) {
      if (cancel.isCancelled()) {
        return new Done(job, 0, null, cancel.error());
      }
      loaders.add(self);
    }
    try {
      return load(job, where);
    } finally {
      synchronized (loaders) {
        loaders.remove(self);
      }
      Thread.interrupted(); // a cancel's interrupt must not reach the thread's next job
    }
  }

  /** One job, on a load thread: get the verified blob, decode the missing columns, load. */
  private Done load(Job job, HolderLookup where) {
    BatchRef batch = job.batch();
    try {
      byte[] fetched = null;
      byte[] bytes = runtime.cache.keptBlob(batch.id()).orElse(null);
      if (bytes == null) {
        bytes = runtime.cache.readFromDisk(batch.id()).orElse(null);
        if (bytes != null) {
          counters.diskBatches.incrementAndGet();
        }
      }
      if (bytes == null) {
        bytes = where.redundancy.isErasure()
            ? source.fetchStripe(batch, where.redundancy, where.all())
            : source.fetch(batch.id(), batch.byteSize(), where.of(batch.id()));
        fetched = bytes;
        counters.fetchedBatches.incrementAndGet();
        counters.fetchedBytes.addAndGet(bytes.length);
        // Here, in parallel, not when the query thread records the job: writing a cold
        // query's blobs one after another there cost it up to 1.5 s of CPU at SF 1, and the
        // next jobs start only as it takes finished ones.
        runtime.cache.writeToDisk(batch.id(), bytes);
      }
      long accounted;
      DuckDBConnection connection = runtime.store.borrowLoader();
      try (DecodedBatch decoded = BatchDecoder.decode(bytes, job.stored(),
          job.missing().stream().toArray(), runtime.allocator)) {
        accounted = DuckDbStore.load(connection, runtime.allocator, batch.id(), decoded,
            job.resident() != null);
      } finally {
        runtime.store.returnLoader(connection);
      }
      counters.decodedColumns.addAndGet(job.missing().cardinality());
      return new Done(job, accounted, fetched, null);
    } catch (CairnException e) {
      return new Done(job, 0, null, e);
    } catch (SQLException e) {
      return new Done(job, 0, null, new CairnException(ErrorCode.INTERNAL, "loading batch "
          + batch.id().toShortHex() + " into DuckDB failed: " + e.getMessage(), e));
    } catch (RuntimeException e) {
      return new Done(job, 0, null, new CairnException(ErrorCode.INTERNAL,
          "loading batch " + batch.id().toShortHex() + " failed: " + e, e));
    }
  }

  /**
   * Records a loaded job in the cache: a batch that was not resident is admitted and pinned;
   * one that was gets its new columns. The blob is kept in memory for later columns while some
   * are missing and there is no cache directory (the load thread wrote a fetched blob to the
   * directory, if there is one).
   */
  private void record(Done done) {
    Job job = done.job();
    ContentId id = job.batch().id();
    BitSet all = (BitSet) job.missing().clone();
    if (job.resident() != null) {
      all.or(job.resident());
    }
    boolean complete = all.cardinality() == job.stored().size();
    if (job.resident() == null) {
      // Not resident and no directory: the bytes were fetched, and are all there is to keep.
      byte[] keep = complete || runtime.cache.hasDirectory() ? null : done.fetched();
      runtime.cache.admit(id, job.missing(), done.accounted(), keep);
      pinned.add(id);
    } else {
      runtime.cache.addColumns(id, job.missing(), done.accounted(), complete);
    }
  }

  /** Releases every pin this query took. */
  void unpinAll() {
    runtime.cache.unpin(pinned);
    pinned.clear();
  }
}
